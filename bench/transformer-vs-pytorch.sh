#!/usr/bin/env bash
# Training-step time of the small translation Transformer (3+3 layers of 256, 8 heads, FFN 1024, shared vocabulary of
# 8000, the default of `glossa translate train`): Glossa (its Trainer running the training step) beside PyTorch
# (Debian's python3-torch, torch.nn.Transformer of the same shape), fp32 and bf16 autocast each, in one run, on the
# same length-grouped batches of 128 Multi30k sentence pairs (Glossa writes them; PyTorch pads each on its own). Each
# side runs the batches once to warm up and once timed; the figures are of the timed pass.
#
# Usage: bench/transformer-vs-pytorch.sh [steps=20] [threads=2]
# Environment: WORK (default ${TMPDIR:-/tmp}/glossa-bench-transformer), OMP_WAIT_POLICY or GOMP_SPINCOUNT
# (default GOMP_SPINCOUNT=10000 for both sides, as ./glossa sets it; OMP_WAIT_POLICY=passive on a shared machine).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
steps="${1:-20}"
threads="${2:-2}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-transformer}"
# As ./glossa: a short OpenMP spin unless the caller chose (docs/BENCHMARKS.md, "OpenMP waiting").
if [[ -z "${OMP_WAIT_POLICY:-}" && -z "${GOMP_SPINCOUNT:-}" ]]; then
    export GOMP_SPINCOUNT=10000
fi
python=/usr/bin/python3

"$python" -c 'import torch' 2>/dev/null \
    || { echo "transformer-vs-pytorch: torch is not importable by $python (Debian: apt-get install python3-torch)" >&2; exit 1; }
mkdir -p "$work"
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), torch $("$python" -c 'import torch; print(torch.__version__)'), $threads threads, $steps batches, OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-} GOMP_SPINCOUNT=${GOMP_SPINCOUNT:-}"
(cd "$root" && "$root/bench/java-bench.sh" TransformerStepTiming -Xmx6g -- "$work" "$steps" "$threads") | tee "$work/glossa.txt"
for precision in fp32 bf16; do
    "$python" "$root/bench/python/torch_transformer.py" "$work/batches.json" --threads "$threads" --precision "$precision"
done | tee "$work/torch.jsonl"
"$python" - "$work/glossa.txt" "$work/torch.jsonl" <<'EOF'
import json, re, sys
glossa = {m[0]: (float(m[1]), float(m[2])) for m in
          re.findall(r"^glossa (\w+): ([\d.]+) tokens/s, ([\d.]+) s/step$", open(sys.argv[1]).read(), re.M)}
torch = {r["precision"]: (r["tokens_per_s"], r["step_s"]) for r in map(json.loads, open(sys.argv[2]))}
print("\n| precision | Glossa s/step | PyTorch s/step | Glossa tokens/s | PyTorch tokens/s | Glossa / PyTorch (speed) |")
print("|---|---|---|---|---|---|")
for p in ("fp32", "bf16"):
    g, t = glossa[p], torch[p]
    print(f"| {p} | {g[1]:.3f} | {t[1]:.3f} | {g[0]:,.0f} | {t[0]:,.0f} | {g[0] / t[0]:.2f}x |")
EOF
