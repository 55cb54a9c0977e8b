"""The ``transformers`` teacher: a local model answering in this process (a GPU when there is one), in batches.

It has the :class:`chukmath.teach.Teacher` interface, so its answers go through the same journal (resume), the
same parser and the same verifier as an endpoint's. Requests handed in while a batch is being generated are
collected into the next one (up to ``batch_size``), so running it with ``concurrency = batch_size`` keeps the
device busy. Greedy decoding with ``temperature = 0`` (the default), sampling otherwise.

Example::

    from chukmath.eval import TransformersConfig, TransformersTeacher
    teacher = TransformersTeacher(TransformersConfig(model="runs/sft", batch_size=32, max_new_tokens=1024))
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from chukmath.errors import ChukmathError, ConfigError, TeacherError
from chukmath.eval.chat_templates import stop_token_ids
from chukmath.records import Request, Response


@dataclass(slots=True)
class TransformersConfig:
    """How to load and run the model. ``model``: a local folder or hub id; ``gguf_file``: a GGUF file inside it
    (transformers dequantises it); ``device``: ``auto`` picks CUDA when present; ``dtype``: ``auto`` is bfloat16 on
    CUDA and float32 on CPU."""

    model: str
    gguf_file: str | None = None
    batch_size: int = 16
    max_new_tokens: int = 1024
    temperature: float = 0.0
    top_p: float = 1.0
    seed: int = 0
    device: str = "auto"
    dtype: str = "auto"
    name: str | None = None  # the model name recorded in the journal (default: model, plus the GGUF file)
    chat_template: str | None = None  # a built-in name (gemma, chatml), a file or Jinja text; None: the tokenizer's

    def validate(self) -> None:
        """Raise ConfigError naming the bad option."""
        if not self.model:
            raise ConfigError("--model: the transformers teacher needs a model folder or hub id")
        if self.batch_size < 1:
            raise ConfigError(f"--batch-size {self.batch_size}: must be >= 1")
        if self.max_new_tokens < 1:
            raise ConfigError(f"--max-tokens {self.max_new_tokens}: must be >= 1")
        if not 0 <= self.temperature <= 5:
            raise ConfigError(f"--temperature {self.temperature}: must be between 0 and 5")
        if not 0 < self.top_p <= 1:
            raise ConfigError(f"--top-p {self.top_p}: must be in (0, 1]")
        if self.dtype not in ("auto", "float32", "bfloat16", "float16"):
            raise ConfigError(f"--dtype {self.dtype!r}: choose auto, float32, bfloat16 or float16")

    @property
    def model_name(self) -> str:
        if self.name:
            return self.name
        return self.model + (f"#{self.gguf_file}" if self.gguf_file else "")


class TransformersTeacher:
    """Answers requests with a local ``transformers`` causal LM, batching the requests that wait together."""

    name = "transformers"

    def __init__(self, config: TransformersConfig, *, model: Any = None, tokenizer: Any = None) -> None:
        config.validate()
        self.config = config
        self.model = config.model_name
        self._lm = model
        self._tokenizer = tokenizer
        self._device: Any = None
        self.template_source: str | None = None
        self._pending: list[tuple[Request, int, asyncio.Future[Response]]] = []
        self._drainer: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    # -- loading ------------------------------------------------------------------------------------------
    def load(self) -> None:
        """Load the model and tokenizer (on the first request, or now)."""
        if self._lm is not None and self._device is not None:
            return
        try:
            import torch
        except ImportError as exc:
            raise TeacherError(f"the transformers teacher needs torch ({exc}); pip install -e '.[train]'") from None

        from chukmath.eval.chat_templates import prepare
        from chukmath.eval.local_model import load_local_model

        cfg = self.config
        device = cfg.device if cfg.device != "auto" else ("cuda" if torch.cuda.is_available() else "cpu")
        dtype_name = cfg.dtype if cfg.dtype != "auto" else ("bfloat16" if device.startswith("cuda") else "float32")
        if self._lm is None or self._tokenizer is None:
            self._lm, self._tokenizer, self.template_source = load_local_model(
                cfg.model, gguf_file=cfg.gguf_file, dtype=dtype_name, chat_template=cfg.chat_template
            )
        else:  # a model and tokenizer handed in
            self.template_source = prepare(self._tokenizer, self._lm, cfg.chat_template)
        self._lm.to(device)
        self._lm.eval()
        tok = self._tokenizer
        tok.padding_side = "left"  # generation continues every row at its right end
        if tok.pad_token is None:
            tok.pad_token = tok.eos_token
        self._device = device

    def describe(self) -> dict[str, str]:
        """Where the model runs and in which dtype (after :meth:`load`; ``config`` values before)."""
        if self._lm is None or self._device is None:
            return {"device": self.config.device, "dtype": self.config.dtype}
        dtype = str(next(self._lm.parameters()).dtype).removeprefix("torch.")
        return {"device": str(self._device), "dtype": dtype, "chat_template": str(self.template_source)}

    # -- the Teacher interface ----------------------------------------------------------------------------
    async def answer(self, request: Request, sample: int) -> Response:
        """The model's answer to sample ``sample`` of ``request`` (generated in a batch with others waiting)."""
        future: asyncio.Future[Response] = asyncio.get_running_loop().create_future()
        self._pending.append((request, sample, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def aclose(self) -> None:
        """Nothing to close: the model stays loaded for another run in this process."""
        if self._drainer is not None and not self._drainer.done():
            self._drainer.cancel()

    async def __aenter__(self) -> TransformersTeacher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _drain(self) -> None:
        while self._pending:
            await asyncio.sleep(0.01)  # let the runner's other workers hand in their requests
            batch = self._pending[: self.config.batch_size]
            del self._pending[: len(batch)]
            try:
                responses = await asyncio.to_thread(self._generate, [(r, s) for r, s, _ in batch])
            except ChukmathError as exc:  # the model cannot be loaded or prompted: the run cannot go on
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            except Exception as exc:  # a failed batch fails its requests; a rerun asks them again
                responses = [self._error(r, s, exc) for r, s, _ in batch]
            for (_, _, future), response in zip(batch, responses, strict=True):
                if not future.done():
                    future.set_result(response)

    def _error(self, request: Request, sample: int, exc: Exception) -> Response:
        return Response(
            request_id=request.id, sample=sample, teacher=self.name, model=self.model, content=None,
            error={"kind": "generation", "message": f"{type(exc).__name__}: {exc}"}, created=time.time(),
        )  # fmt: skip

    def generate(self, items: list[tuple[Request, int]]) -> list[Response]:
        """Answer ``(request, sample)`` pairs in one batch, synchronously (what :meth:`answer` runs in a thread)."""
        return self._generate(items)

    def _generate(self, items: list[tuple[Request, int]]) -> list[Response]:
        import torch

        self.load()
        cfg, tok, lm = self.config, self._tokenizer, self._lm
        started = time.perf_counter()
        texts = [tok.apply_chat_template(r.messages, add_generation_prompt=True, tokenize=False) for r, _ in items]
        # The chat template already holds the special tokens it wants (BOS included).
        batch = tok(texts, return_tensors="pt", padding=True, add_special_tokens=False).to(self._device)
        options: dict[str, Any] = {"max_new_tokens": cfg.max_new_tokens, "pad_token_id": tok.pad_token_id}
        if cfg.temperature > 0:
            options.update(do_sample=True, temperature=cfg.temperature, top_p=cfg.top_p)
            # One seed per batch from its first key: a rerun of the same batch samples the same answers.
            torch.manual_seed(cfg.seed + items[0][1] + int(items[0][0].id[:8], 16))
        else:
            options.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        with torch.inference_mode():
            output = lm.generate(**batch, **options)
        new = output[:, batch["input_ids"].shape[1] :]
        eos = stop_token_ids(tok, lm)
        latency = (time.perf_counter() - started) / len(items)
        responses = []
        for row, (request, sample), prompt_mask in zip(new.tolist(), items, batch["attention_mask"], strict=True):
            ended = next((i for i, t in enumerate(row) if t in eos), None)
            kept = row if ended is None else row[:ended]
            prompt_tokens, completion_tokens = int(prompt_mask.sum()), len(kept) + (ended is not None)
            content = tok.decode(kept, skip_special_tokens=True)
            responses.append(
                Response(
                    request_id=request.id, sample=sample, teacher=self.name, model=self.model, content=content,
                    finish_reason="stop" if ended is not None else "length",
                    usage={"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                           "total_tokens": prompt_tokens + completion_tokens},
                    latency_s=latency, created=time.time(),
                )
            )  # fmt: skip
        return responses


__all__ = ["TransformersConfig", "TransformersTeacher"]
