#!/usr/bin/env bash
# BERT fine-tuning throughput on CoLA: Glossa (the Trainer running glossa classify's step) beside PyTorch (Debian's
# python3-torch, a BERT of the same shape from torch.nn modules), fp32 and bf16 autocast each, in one run, on the
# same length-grouped batches of 32 sentences (Glossa writes them; PyTorch pads each to its longest on its own).
# Each side runs the batches once to warm up and once timed; the figure is sentences per second of the timed pass.
#
# Usage: bench/classify-throughput.sh [steps=20] [threads=2]
# Environment: WORK (where the batch file goes; default ${TMPDIR:-/tmp}/glossa-bench-classify).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
steps="${1:-20}"
threads="${2:-2}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-classify}"
python=/usr/bin/python3

"$python" -c 'import torch' 2>/dev/null \
    || { echo "classify-throughput: torch is not importable by $python (Debian: apt-get install python3-torch)" >&2; exit 1; }
mkdir -p "$work"
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), torch $("$python" -c 'import torch; print(torch.__version__)'), $threads threads, $steps batches"
"$root/bench/java-bench.sh" ClassifyThroughput -Xmx6g -- "$work/batches.json" "$steps" "$threads" | tee "$work/glossa.txt"
"$python" "$root/bench/python/torch_classify.py" "$work/batches.json" "$threads" | tee "$work/torch.jsonl"
"$python" - "$work/glossa.txt" "$work/torch.jsonl" <<'EOF'
import json, re, sys
glossa = {m[0]: float(m[1]) for m in re.findall(r"^glossa (\w+): ([\d.]+) examples/s$", open(sys.argv[1]).read(), re.M)}
torch = {r["precision"]: r["examples_per_s"] for r in map(json.loads, open(sys.argv[2]))}
print("\n| precision | Glossa (examples/s) | PyTorch (examples/s) | Glossa / PyTorch |\n|---|---|---|---|")
for p in ("fp32", "bf16"):
    print(f"| {p} | {glossa[p]:.1f} | {torch[p]:.1f} | {glossa[p] / torch[p]:.2f}x |")
EOF
