#!/usr/bin/env bash
# Character GRU training throughput: `glossa textgen train` beside PyTorch (Debian's python3-torch) running the same
# model and batches, in one run: embedding 256 → GRU 1024 → dense over Tiny Shakespeare's 65 characters, batch 64 ×
# 100 characters, stateful, AdamW, clipping at 5, fp32 and bf16 autocast each, THREADS threads for both.
#
# Usage: bench/textgen-vs-pytorch.sh [STEPS=40]
# Environment: THREADS (2), PRECISIONS ("fp32 bf16"), CORPUS (default ../shared/data/tinyshakespeare/input.txt),
# WORK (default ${TMPDIR:-/tmp}/glossa-bench-textgen), and the model: CELL (gru), UNITS (1024), LAYERS (1).
#
# Characters/s: Glossa's tokens_per_s of metrics.jsonl (one line per 10 steps), averaged over the lines after the
# first (the first window holds the warm-up); PyTorch's over STEPS steps after 3 warm-up steps.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
steps="${1:-40}"
threads="${THREADS:-2}"
precisions="${PRECISIONS:-fp32 bf16}"
corpus="${CORPUS:-$root/../shared/data/tinyshakespeare/input.txt}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-textgen}"
cell="${CELL:-gru}" units="${UNITS:-1024}" layers="${LAYERS:-1}"
python=/usr/bin/python3

die() { echo "textgen-vs-pytorch: $*" >&2; exit 1; }
[[ -f "$corpus" ]] || die "no corpus at $corpus (set CORPUS)"
(( steps >= 20 )) || die "use at least 20 steps: Glossa logs every 10 and the first 10 are warm-up"
"$python" -c 'import torch' 2>/dev/null || die "torch is not importable by $python (Debian: apt-get install python3-torch)"
mkdir -p "$work"
"$root/glossa" --version >/dev/null # build first, so that no timing includes a build

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), torch $("$python" -c 'import torch; print(torch.__version__)'), $(java -version 2>&1 | head -1)"
echo "== $cell $units × $layers, batch 64 × 100, $threads threads, $steps steps"
for precision in $precisions; do
    run="$work/glossa-$precision"
    rm -rf "$run"
    GLOSSA_THREADS="$threads" "$root/glossa" textgen train --corpus "$corpus" --out "$run" --steps "$steps" \
        --cell "$cell" --units "$units" --layers "$layers" --precision "$precision" \
        --eval-every 0 --save-every 0 --sample 0 --no-progress > "$work/glossa-$precision.out"
    "$python" - "$run/metrics.jsonl" "$precision" "$threads" > "$work/glossa-$precision.json" <<'PY'
import json, sys
rates = [l["tokens_per_s"] for l in map(json.loads, open(sys.argv[1])) if l.get("tokens_per_s")]
timed = rates[1:]
print(json.dumps({"who": "glossa", "precision": sys.argv[2], "threads": int(sys.argv[3]),
                  "chars_per_s": sum(timed) / len(timed), "step_s": 6400 * len(timed) / sum(timed)}))
PY
    cat "$work/glossa-$precision.json"
    "$python" "$root/bench/python/torch_char_gru.py" --corpus "$corpus" --threads "$threads" --steps "$steps" \
        --cell "$cell" --units "$units" --layers "$layers" --precision "$precision" | tee "$work/pytorch-$precision.json"
done
echo
echo "| precision | Glossa chars/s | PyTorch chars/s | Glossa / PyTorch |"
echo "|---|---|---|---|"
for precision in $precisions; do
    "$python" - "$work/glossa-$precision.json" "$work/pytorch-$precision.json" <<'PY'
import json, sys
g, t = (json.load(open(p)) for p in sys.argv[1:3])
print(f"| {g['precision']} | {g['chars_per_s']:,.0f} | {t['chars_per_s']:,.0f} | {g['chars_per_s'] / t['chars_per_s']:.2f}× |")
PY
done
