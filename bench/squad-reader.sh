#!/usr/bin/env bash
# The shipped SQuAD 2.0 reader's scores (issue 7): a fine-tuned question-answering model answers every SQuAD 2.0
# dev question (11,873) in fp32; the official evaluation tunes the no-answer threshold on the model's null odds and
# gives EM, F1 and the HasAns/NoAns split at that threshold; `glossa squad pack` writes the compact reader (16-bit
# weights, word embeddings from all-MiniLM-L6-v2) with that threshold and a model card; the packed reader answers the
# dev set again, as `glossa qa` runs it, to measure what the 16 bits cost.
#
# Scores at any threshold come from one prediction run: with --null-threshold 1e9 every prediction is the best span,
# and the official script's --na-prob-thresh X then scores "no answer" wherever the null odds exceed X, which is what
# predicting with threshold X does (utils_qa: null score - best span score > X).
#
# How the shipped model was trained (two stages, 2026-11-28/29; figures in docs/BENCHMARKS.md):
#   glossa squad train --epochs 1 --negatives-answer-removed 0.5 --negatives-edited-question 0 --out S1
#     (stopped with kill -TERM at step 2,328: its checkpoint is the next stage's start)
#   glossa squad train --model S1 --epochs 0.5 --lr 3e-5 --warmup-ratio 0.05 --seed 43 --out S2
#     (the run keeps its best checkpoint by best_f1 on the first 2,000 dev questions: step 2,000)
# then: TRAINING_DATA="..." STEPS=4328 bench/squad-reader.sh S2
#
# Usage: bench/squad-reader.sh MODEL_DIR [threads=2]
# Environment: WORK (default ${TMPDIR:-/tmp}/glossa-bench-squad-reader), GLOSSA (the command; default the
#   repository's launcher), TRAINING_DATA, STEPS and LIMITATIONS (the model card's), LIMIT (only the first N dev questions, to
#   check this script quickly).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
model="${1:?usage: bench/squad-reader.sh MODEL_DIR [threads]}"
threads="${2:-2}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-squad-reader}"
read -r -a glossa <<< "${GLOSSA:-$root/glossa}"
dev="$root/../shared/data/squad2/dev-v2.0.reconstructed.json"
limit=()
[[ -n "${LIMIT:-}" ]] && limit=(--limit "$LIMIT")
python=/usr/bin/python3
json() { "$python" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

mkdir -p "$work"
"${glossa[@]}" --version >/dev/null # build first
echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $threads threads, model $model"

start=$(date +%s)
"${glossa[@]}" --threads "$threads" squad predict --model "$model" --null-threshold 1e9 --out "$work/model" \
    --no-progress "${limit[@]}" > "$work/model.log" 2>&1 || { tail -5 "$work/model.log" >&2; exit 1; }
echo "fp32 prediction of the model: $(( $(date +%s) - start )) s"
data="$dev"
if [[ -n "${LIMIT:-}" ]]; then # the evaluation scores every question of its file: cut the file like the predictions
    data="$work/dev-limited.json"
    "$python" - "$dev" "$LIMIT" "$data" <<'PY'
import json, sys
source, limit, target = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
articles, kept = [], 0
for article in source["data"]:
    paragraphs = []
    for paragraph in article["paragraphs"]:
        qas = paragraph["qas"][:max(0, limit - kept)]
        kept += len(qas)
        if qas:
            paragraphs.append(dict(paragraph, qas=qas))
    if paragraphs:
        articles.append(dict(article, paragraphs=paragraphs))
json.dump({"version": source["version"], "data": articles}, open(target, "w"))
PY
fi
"${glossa[@]}" squad eval --data "$data" --predictions "$work/model/predictions.json" \
    --na-probs "$work/model/null_odds.json" --na-prob-thresh 0 --out "$work/model-tuned.json" > /dev/null
threshold=$(json "$work/model-tuned.json" best_f1_thresh)
"${glossa[@]}" squad eval --data "$data" --predictions "$work/model/predictions.json" \
    --na-probs "$work/model/null_odds.json" --na-prob-thresh "$threshold" --out "$work/model-at-threshold.json" > /dev/null

scores=$("$python" - "$work/model-at-threshold.json" "$threshold" <<'PY'
import json, sys
s, t = json.load(open(sys.argv[1])), float(sys.argv[2])
print(f"SQuAD 2.0 dev ({s['total']:,} questions), fp32, null threshold {t:.3f} (tuned on dev): EM {s['exact']:.2f}, "
      f"F1 {s['f1']:.2f}; answerable (HasAns, {s['HasAns_total']:,}) EM {s['HasAns_exact']:.2f}, F1 {s['HasAns_f1']:.2f}; "
      f"unanswerable (NoAns, {s['NoAns_total']:,}) {s['NoAns_exact']:.2f}")
PY
)
"${glossa[@]}" squad pack --model "$model" --out "$work/reader" --null-threshold "$threshold" \
    --training-data "${TRAINING_DATA:-not stated}" --steps "${STEPS:--1}" --scores "$scores" --limitations "${LIMITATIONS:-}" \
    > "$work/pack.log"

start=$(date +%s)
"${glossa[@]}" --threads "$threads" squad predict --model "$work/reader" --out "$work/reader-dev" --no-progress \
    "${limit[@]}" > "$work/reader.log" 2>&1 || { tail -5 "$work/reader.log" >&2; exit 1; }
echo "fp32 prediction of the packed reader: $(( $(date +%s) - start )) s"

"$python" - "$work" "$threshold" <<'PY'
import json, sys, pathlib
work, t = pathlib.Path(sys.argv[1]), float(sys.argv[2])
tuned = json.load(open(work / "model-tuned.json"))
model = json.load(open(work / "model-at-threshold.json"))
reader = json.load(open(work / "reader-dev" / "scores.json"))
size = sum(f.stat().st_size for f in (work / "reader").iterdir())
print(f"\nbest_f1 {tuned['best_f1']:.2f} at {tuned['best_f1_thresh']:.3f}; best_exact {tuned['best_exact']:.2f} "
      f"at {tuned['best_exact_thresh']:.3f}; at threshold 0: EM {tuned['exact']:.2f}, F1 {tuned['f1']:.2f}, "
      f"HasAns F1 {tuned['HasAns_f1']:.2f}, NoAns F1 {tuned['NoAns_f1']:.2f}\n")
print("| weights | null threshold | EM | F1 | HasAns EM / F1 | NoAns EM = F1 |")
print("|---|---|---|---|---|---|")
for name, s in (("fine-tuned model, fp32", model), (f"packed reader, 16-bit ({size / 1e6:.1f} MB)", reader)):
    print(f"| {name} | {t:.3f} | {s['exact']:.2f} | {s['f1']:.2f} | {s['HasAns_exact']:.2f} / {s['HasAns_f1']:.2f} "
          f"| {s['NoAns_f1']:.2f} |")
print(f"\nF1 of the packed reader minus the model's: {reader['f1'] - model['f1']:+.3f}")
PY
