#!/usr/bin/env bash
# What the synthetic unanswerable questions do (issue 7): the same SQuAD fine-tune of all-MiniLM-L6-v2 on a seeded
# subset of the training questions, four times: with no synthetic negatives (only the 348 real unanswerable
# questions of the SQuAD 2.0 excerpt); with 0.5 per answerable question, all of them the question paired with another
# paragraph of its article; with the default mix (half of them the question's own paragraph with the sentences
# holding its answer removed); and with half of them the question edited on its own paragraph (a quarter
# answer-removed, a quarter another paragraph). --subset counts synthetic questions too, so the run without them takes
# as many questions as the mixed run had real ones: all see about the same answerable questions. Each model then
# answers the first EVAL questions of the SQuAD 2.0 dev set (`glossa squad predict`, official scores), once at null
# threshold 0 and once at the threshold that maximises F1 (the official best_f1_thresh), so that HasAns/NoAns are
# reported at both.
# From scratch, a subset this small teaches too little to compare (every variant ends near best_f1 50, all-null);
# the recorded comparison continues a partly fine-tuned reader instead: TRAIN_ARGS="--model DIR" (a QA model).
#
# Usage: bench/squad-negatives.sh [subset=8000] [eval=2000] [threads=2]
# Environment: WORK (default ${TMPDIR:-/tmp}/glossa-bench-squad-negatives), GLOSSA (the command; default the
#   repository's launcher), TRAIN_ARGS (more `squad train` options, e.g. "--steps 2" to check this script quickly).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
subset="${1:-8000}"
eval_questions="${2:-2000}"
threads="${3:-2}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-squad-negatives}"
read -r -a glossa <<< "${GLOSSA:-$root/glossa}"
read -r -a train_args <<< "${TRAIN_ARGS:-}"
python=/usr/bin/python3

declare -A negatives=([none]="--negatives 0" [other-paragraph]="--negatives 0.5 --negatives-answer-removed 0"
                      [mixed]="--negatives 0.5 --negatives-answer-removed 0.5"
                      [edited-question]="--negatives 0.5 --negatives-answer-removed 0.25 --negatives-edited-question 0.5")
configs=(mixed edited-question other-paragraph none)

mkdir -p "$work"
"${glossa[@]}" --version >/dev/null # build first
header="== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $threads threads, subset $subset, first $eval_questions dev questions"
echo "$header"
for config in "${configs[@]}"; do
    run="$work/$config"
    rm -rf "$run"
    read -r -a options <<< "${negatives[$config]}"
    questions="$subset"
    if [[ "$config" == none ]]; then
        questions=$("$python" -c 'import json,sys; d=json.load(open(sys.argv[1]))["data"]; print(d["questions"]-d["synthetic"])' \
            "$work/mixed/squad.json")
    fi
    echo "== $config: training into $run (log: $run.train.log)"
    "${glossa[@]}" --threads "$threads" squad train --subset "$questions" --epochs 1 --dev none --out "$run" --no-progress \
        "${options[@]}" "${train_args[@]}" > "$run.train.log" 2>&1 || { tail -5 "$run.train.log" >&2; exit 1; }
    grep -E '^(training|synthetic)' "$run.train.log" || true
    "${glossa[@]}" --threads "$threads" squad predict --model "$run" --limit "$eval_questions" --out "$run/dev-0" \
        --precision bf16 --no-progress > "$run.predict.log" 2>&1 || { tail -5 "$run.predict.log" >&2; exit 1; }
    threshold=$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["best_f1_thresh"])' "$run/dev-0/scores.json")
    "${glossa[@]}" --threads "$threads" squad predict --model "$run" --limit "$eval_questions" --out "$run/dev-best" \
        --precision bf16 --no-progress --null-threshold "$threshold" >> "$run.predict.log" 2>&1 \
        || { tail -5 "$run.predict.log" >&2; exit 1; }
done

"$python" - "$header" "$work" "${configs[@]}" <<'PY'
import json, sys, pathlib
header, work, configs = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3:]
print(f"\n{header}\n")
print("| synthetic negatives | training questions | EM / F1 (thresh 0) | HasAns F1 / NoAns F1 (thresh 0) "
      "| best F1 (thresh) | EM / F1 / HasAns F1 / NoAns F1 at the best threshold |")
print("|---|---|---|---|---|---|")
for config in reversed(configs):
    run = work / config
    data = json.load(open(run / "squad.json"))["data"]
    zero, best = json.load(open(run / "dev-0" / "scores.json")), json.load(open(run / "dev-best" / "scores.json"))
    print(f"| {config} | {data['questions']:,} ({data['synthetic']:,} synthetic) "
          f"| {zero['exact']:.2f} / {zero['f1']:.2f} | {zero['HasAns_f1']:.2f} / {zero['NoAns_f1']:.2f} "
          f"| {zero['best_f1']:.2f} ({zero['best_f1_thresh']:.2f}) "
          f"| {best['exact']:.2f} / {best['f1']:.2f} / {best['HasAns_f1']:.2f} / {best['NoAns_f1']:.2f} |")
PY
