#!/usr/bin/env bash
# GloVe: Glossa beside a local build of Stanford GloVe's C tools, in one run, on the same tokenised file:
# Glossa tokenises the corpus once (lower case, runs of letters or digits, one sentence per line) and both
# pipelines read that file. Settings are those of GloVe's demo.sh (min-count 5, window 15, memory 4.0,
# 50 dimensions, 15 iterations, x-max 10) with 2 threads for both; the C tools also get -seed 1 and write
# text vectors only (-binary 0), as Glossa does.
#
# Usage: GLOVE_BUILD=/path/to/build bench/glove-vs-stanford.sh [CORPUS]
#   GLOVE_BUILD: a directory holding Stanford GloVe's vocab_count, cooccur, shuffle and glove executables
#   (your own local build of https://github.com/stanfordnlp/GloVe; this script does not build it).
#   CORPUS: default ../shared/data/enwiki-extract/enwiki_wikiextractor_AA.txt
# Environment: THREADS (2), ITER (15: change only for short checks), CUT_MB (use the first N MB of the
# tokenised text; default: all of it), WORK (default ${TMPDIR:-/tmp}/glossa-bench-glove), QUESTIONS
# (default ../shared/data/word-analogy/questions-words.txt), GLOSSA_JAVA_OPTS (extra JVM options).
#
# Times: each C tool's wall time (/usr/bin/time), summed; Glossa's whole process (/usr/bin/time) and its
# stages (--metrics). Accuracy: Glossa's `vectors eval` (gensim's semantics: 300,000 most frequent words,
# case-insensitive) on both vector files.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
corpus="${1:-$root/../shared/data/enwiki-extract/enwiki_wikiextractor_AA.txt}"
questions="${QUESTIONS:-$root/../shared/data/word-analogy/questions-words.txt}"
threads="${THREADS:-2}"
iterations="${ITER:-15}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-glove}"
python=/usr/bin/python3

die() { echo "glove-vs-stanford: $*" >&2; exit 1; }
[[ -n "${GLOVE_BUILD:-}" ]] || die "set GLOVE_BUILD to a directory holding Stanford GloVe's vocab_count, cooccur, shuffle and glove"
for tool in vocab_count cooccur shuffle glove; do
    [[ -x "$GLOVE_BUILD/$tool" ]] || die "$GLOVE_BUILD/$tool is missing or not executable"
done
[[ -f "$corpus" ]] || die "no corpus at $corpus"
[[ -f "$questions" ]] || die "no analogy questions at $questions (set QUESTIONS)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (Debian: apt-get install time)"
[[ -x "$python" ]] || die "$python is needed for the report"
mkdir -p "$work"
# Build first (./glossa rebuilds when sources changed); then run the jar itself, so that no timing can
# include a rebuild when someone edits the sources meanwhile.
"$root/glossa" --version >/dev/null
read -r -a java_opts <<< "${GLOSSA_JAVA_OPTS:-}"
glossa=(java "${java_opts[@]}" -jar "$root/glossa-cli/target/glossa.jar")

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "== tokenising $corpus"
tokens="$work/corpus.tok.txt"
"${glossa[@]}" word2vec tokenize --corpus "$corpus" --lowercase --token-pattern '\p{L}+|\p{N}+' --out "$tokens"
if [[ -n "${CUT_MB:-}" ]]; then
    head -c "$((CUT_MB * 1000000))" "$tokens" | sed '$d' > "$work/corpus.cut.txt"
    tokens="$work/corpus.cut.txt"
    echo "== cut to the first ${CUT_MB} MB: $(wc -l < "$tokens") lines, $(wc -w < "$tokens") words"
fi

echo "== Stanford GloVe ($GLOVE_BUILD)"
c="$work/c"
mkdir -p "$c"
timed() { # name, then the command; stdin/stdout redirections are the caller's
    local name="$1"
    shift
    /usr/bin/time -f '%e %M' -o "$work/c-$name.time" "$@"
    echo "$name: $(cut -d' ' -f1 "$work/c-$name.time") s" >&2
}
timed vocab_count "$GLOVE_BUILD/vocab_count" -min-count 5 -verbose 2 < "$tokens" > "$c/vocab.txt"
timed cooccur "$GLOVE_BUILD/cooccur" -memory 4.0 -vocab-file "$c/vocab.txt" -verbose 2 -window-size 15 \
    < "$tokens" > "$c/cooccurrence.bin"
timed shuffle "$GLOVE_BUILD/shuffle" -memory 4.0 -verbose 2 -seed 1 < "$c/cooccurrence.bin" > "$c/cooccurrence.shuf.bin"
timed glove "$GLOVE_BUILD/glove" -save-file "$c/vectors" -threads "$threads" -input-file "$c/cooccurrence.shuf.bin" \
    -x-max 10 -iter "$iterations" -vector-size 50 -binary 0 -vocab-file "$c/vocab.txt" -verbose 2 -seed 1
rm -f "$c/cooccurrence.bin" "$c/cooccurrence.shuf.bin"

echo "== Glossa"
/usr/bin/time -f '%e %M' -o "$work/glossa-glove.time" \
    java "${java_opts[@]}" -Xlog:gc,gc+heap+exit:file="$work/glossa-glove.gc.log" -jar "$root/glossa-cli/target/glossa.jar" \
    glove train --corpus "$tokens" --format lines --out "$work/glossa-glove.txt" --min-count 5 --window 15 \
    --dim 50 --iter "$iterations" --x-max 10 --threads "$threads" --seed 1 --metrics "$work/glossa-glove.jsonl" \
    | tee "$work/glossa-glove.out"

echo "== analogies"
"${glossa[@]}" vectors eval "$c/vectors.txt" --analogies "$questions" --json --no-progress > "$work/c-vectors.eval.json"
"${glossa[@]}" vectors eval "$work/glossa-glove.txt" --analogies "$questions" --json --no-progress > "$work/glossa-glove.eval.json"

echo
echo "== results (files in $work)"
"$python" "$root/bench/python/bench_report.py" glove "$work"
