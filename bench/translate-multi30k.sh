#!/usr/bin/env bash
# Multi30k German→English end to end, as a user runs it: `glossa translate train` with each architecture's defaults
# (the small Transformer; the RNN with attention), then `glossa translate eval` of the saved model on the 2016 test
# set: BLEU as sacreBLEU computes it by default and tokenised lower-cased (the figure Multi30k papers report), greedy
# and beam 5 (α 0.6), each with its decoding sentences/s. Training wall time and mean training tokens/s come from the
# run (eval_results.json, metrics.jsonl).
#
# Each default run is sized for about 90 minutes on 2 cores: the whole benchmark takes about three hours.
#
# Usage: bench/translate-multi30k.sh [ARCH...]   (default: transformer rnn-attention)
# Environment: THREADS (2), WORK (default ${TMPDIR:-/tmp}/glossa-bench-translate), OMP_WAIT_POLICY or
#   GOMP_SPINCOUNT (default GOMP_SPINCOUNT=10000, as ./glossa: quiet-machine speed; passive on a shared machine),
#   TRAIN_ARGS (more `translate train` options; e.g. "--steps 20 --eval-sentences 50" to check this script quickly),
#   EVAL_ARGS (more `translate eval` options; e.g. "--limit 50"), GLOSSA (the command; default the repository's launcher).
# Spanish→English instead (the tutorial's pairs, 2,000 held-out test pairs): TRAIN_ARGS="--dataset spa-eng --epochs 4";
#   eval then scores the model's own data set's test part.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
threads="${THREADS:-2}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-translate}"
# As ./glossa: a short OpenMP spin unless the caller chose (docs/BENCHMARKS.md, "OpenMP waiting").
if [[ -z "${OMP_WAIT_POLICY:-}" && -z "${GOMP_SPINCOUNT:-}" ]]; then
    export GOMP_SPINCOUNT=10000
fi
read -r -a glossa <<< "${GLOSSA:-$root/glossa}"
read -r -a train_args <<< "${TRAIN_ARGS:-}"
read -r -a eval_args <<< "${EVAL_ARGS:-}"
archs=("$@")
(( ${#archs[@]} > 0 )) || archs=(transformer rnn-attention)
python=/usr/bin/python3

mkdir -p "$work"
"${glossa[@]}" --version >/dev/null # build first, so that no timing includes a build
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $threads threads," \
    "OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-} GOMP_SPINCOUNT=${GOMP_SPINCOUNT:-}, $(java -version 2>&1 | head -1)"
for arch in "${archs[@]}"; do
    run="$work/$arch"
    rm -rf "$run"
    echo "== $arch: training into $run (log: $work/$arch.train.log)"
    GLOSSA_THREADS="$threads" "${glossa[@]}" translate train --arch "$arch" --out "$run" --no-progress "${train_args[@]}" \
        > "$work/$arch.train.log" 2>&1 || { tail -5 "$work/$arch.train.log" >&2; exit 1; }
    tail -2 "$work/$arch.train.log"
    echo "== $arch: test BLEU"
    GLOSSA_THREADS="$threads" "${glossa[@]}" translate eval --model "$run" --out "$work/$arch.test.json" \
        --translations "$work/$arch.test" "${eval_args[@]}" | tee "$work/$arch.eval.txt"
done

echo
echo "| model | training | wall time | tokens/s | best val BLEU | test BLEU greedy (sacreBLEU / tok lc) | test BLEU beam 5 | greedy sent/s | beam sent/s |"
echo "|---|---|---|---|---|---|---|---|---|"
for arch in "${archs[@]}"; do
    "$python" - "$arch" "$work/$arch" "$work/$arch.test.json" <<'PY'
import json, sys, pathlib
arch, run, test = sys.argv[1], pathlib.Path(sys.argv[2]), json.load(open(sys.argv[3]))
lines = [json.loads(l) for l in open(run / "metrics.jsonl")]
rates = [l["tokens_per_s"] for l in lines if l.get("tokens_per_s")]
timed = rates[1:] or rates  # the first window holds the warm-up
bleus = [l["val_bleu"] for l in lines if "val_bleu" in l]
results = json.load(open(run / "eval_results.json"))
options = json.load(open(run / "translate.json"))["options"]
g, b = test["greedy"], test.get("beam")
minutes = results["train_wall_seconds"] / 60
beam = f"{b['bleu']:.2f} / {b['bleu_tok_lc']:.2f}" if b else "–"
beam_rate = f"{b['sentences_per_s']:.1f}" if b else "–"
print(f"| {arch} | {results['train_epochs']:.1f} epochs, {results['train_steps']} steps, {options['precision']} | "
      f"{minutes:.1f} min | {sum(timed) / len(timed):,.0f} | {max(bleus):.2f} | {g['bleu']:.2f} / {g['bleu_tok_lc']:.2f} | "
      f"{beam} | {g['sentences_per_s']:.1f} | {beam_rate} |")
PY
done
