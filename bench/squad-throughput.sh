#!/usr/bin/env bash
# SQuAD fine-tuning and prediction throughput of all-MiniLM-L6-v2 with a QA head: Glossa (the Trainer running
# glossa squad train's step; SquadPredictor's batched logits) beside PyTorch (Debian's python3-torch, a BERT of the
# same shape from torch.nn modules with a qa_outputs head), fp32 and bf16 autocast each, in one run, on the very same
# padded batches: real windows of the SQuAD 2.0 dev file (384 tokens, stride 128, questions ≤ 64 tokens), the first
# STEPS length-grouped batches of 32 that training draws, and those windows again in the predictor's batches of 64.
# Each side runs each measurement's batches once to warm up and once timed; the figures are features (windows) per
# second of the timed pass. Word embeddings are frozen in training on both sides, as glossa squad train does.
#
# Usage: bench/squad-throughput.sh [steps=10] [threads=2]
# Environment: WORK (where the batch file goes; default ${TMPDIR:-/tmp}/glossa-bench-squad); OMP_WAIT_POLICY or
# GOMP_SPINCOUNT (default GOMP_SPINCOUNT=10000, what ./glossa sets), for both sides alike.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
steps="${1:-10}"
threads="${2:-2}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-squad}"
python=/usr/bin/python3
if [[ -z "${OMP_WAIT_POLICY:-}" && -z "${GOMP_SPINCOUNT:-}" ]]; then
    export GOMP_SPINCOUNT=10000
fi

"$python" -c 'import torch' 2>/dev/null \
    || { echo "squad-throughput: torch is not importable by $python (Debian: apt-get install python3-torch)" >&2; exit 1; }
mkdir -p "$work"
header="== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), torch $("$python" -c 'import torch; print(torch.__version__)'), $threads threads, $steps batches of 32, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-} GOMP_SPINCOUNT=${GOMP_SPINCOUNT:-}"
echo "$header"
(cd "$root" && "$root/bench/java-bench.sh" SquadThroughput -Xmx6g -- "$work/batches.json" "$steps" "$threads") | tee "$work/glossa.txt"
"$python" "$root/bench/python/torch_qa.py" "$work/batches.json" "$threads" | tee "$work/torch.jsonl"
"$python" - "$header" "$work/glossa.txt" "$work/torch.jsonl" <<'EOF'
import json, re, sys
header, glossa_out = sys.argv[1], open(sys.argv[2]).read()
glossa = {(m[0], m[1]): float(m[2]) for m in
          re.findall(r"^glossa (train|predict) (\w+): ([\d.]+) features/s$", glossa_out, re.M)}
mean_length = float(re.search(r"^mean window length: ([\d.]+)$", glossa_out, re.M).group(1))
torch = {(r["phase"], r["precision"]): r["features_per_s"] for r in map(json.loads, open(sys.argv[3]))}
print(f"\n{header}, mean window length {mean_length:.1f} tokens")
print("\n| phase | precision | Glossa (features/s) | PyTorch (features/s) | Glossa / PyTorch |\n|---|---|---|---|---|")
for phase, label in (("train", "training"), ("predict", "prediction")):
    for p in ("fp32", "bf16"):
        g, t = glossa[(phase, p)], torch[(phase, p)]
        print(f"| {label} | {p} | {g:.2f} | {t:.2f} | {g / t:.2f}x |")
EOF
