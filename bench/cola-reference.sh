#!/usr/bin/env bash
# A PyTorch reference for `glossa classify train` on CoLA: all-MiniLM-L6-v2 fine-tuned by Debian's python3-torch
# (a BERT from torch.nn modules loading the imported model.safetensors) on exactly the token ids Glossa feeds, with
# the recipe of `glossa classify train --pooling mean --lr 5e-5` in fp32, scored on the in-domain dev set after
# every epoch (sklearn's MCC and accuracy). Whether Glossa's dev MCC is the checkpoint's limit or a Glossa bug is
# then a comparison of the two.
#
# Glossa writes the data (bench ColaReferenceData: CoLA train and dev tokenised by Glossa, plus sentence vectors of
# a few dev sentences from ONNX Runtime and Glossa); bench/python/torch_cola_finetune.py checks its weight loading
# against them and fine-tunes once per seed, printing one JSON line per epoch. A table per epoch over the seeds
# (mean and sample standard deviation) ends the run.
#
# Usage: bench/cola-reference.sh [seeds=42] [OPTION...]
#   seeds: comma-separated, e.g. 42,43,44 (one fine-tune each, ~15 min on one core)
#   OPTION: passed to torch_cola_finetune.py, e.g. --pooling cls --lr 2e-5, or --batches grouped
# Environment: WORK (default ${TMPDIR:-/tmp}/glossa-bench-cola-reference), THREADS (torch threads, default 1),
#   NICE (niceness of the fine-tune, default 5).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
seeds="${1:-42}"
[[ $# -gt 0 ]] && shift
threads="${THREADS:-1}"
niceness="${NICE:-5}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-cola-reference}"
python=/usr/bin/python3

"$python" -c 'import torch, sklearn' 2>/dev/null \
    || { echo "cola-reference: torch and sklearn must be importable by $python (Debian: apt-get install python3-torch python3-sklearn)" >&2; exit 1; }
[[ "$seeds" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "cola-reference: seeds must be comma-separated integers, got '$seeds'" >&2; exit 2; }
mkdir -p "$work"
results="$work/results-$(date -u '+%Y%m%dT%H%M%SZ').jsonl"
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), torch $("$python" -c 'import torch; print(torch.__version__)'), $threads threads, seeds $seeds, options: ${*:-(defaults)}"
"$root/bench/java-bench.sh" ColaReferenceData -Xmx2g -Dglossa.threads=1 -- "$work/cola.json"
nice -n "$niceness" "$python" "$root/bench/python/torch_cola_finetune.py" "$work/cola.json" --seeds "$seeds" \
    --threads "$threads" --out "$results" "$@"
"$python" - "$results" <<'EOF'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
first = rows[0]
print(f"\nPyTorch reference, {first['pooling']} pooling, lr {first['lr']}, {first['batches']} batches, fp32 ({sys.argv[1]})")
print("\n| epoch | seeds | dev MCC mean | MCC sd | MCC per seed | dev accuracy mean |\n|---|---|---|---|---|---|")
for epoch in sorted({r["epoch"] for r in rows}):
    at = [r for r in rows if r["epoch"] == epoch]
    mcc = [r["dev_mcc"] for r in at]
    sd = statistics.stdev(mcc) if len(mcc) > 1 else float("nan")
    per_seed = ", ".join(f"{r['seed']}: {r['dev_mcc']:.3f}" for r in at)
    print(f"| {epoch} | {len(at)} | {statistics.mean(mcc):.3f} | {sd:.3f} | {per_seed} | "
          f"{statistics.mean(r['dev_accuracy'] for r in at):.3f} |")
best = {}
for r in rows:
    if r["seed"] not in best or r["dev_mcc"] > best[r["seed"]]["dev_mcc"]:
        best[r["seed"]] = r
print("\nbest epoch per seed (what glossa keeps): " + ", ".join(
    f"seed {s}: {r['dev_mcc']:.3f} (epoch {r['epoch']})" for s, r in sorted(best.items()))
      + f"; mean {statistics.mean(r['dev_mcc'] for r in best.values()):.3f}")
EOF
