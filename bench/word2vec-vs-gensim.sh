#!/usr/bin/env bash
# word2vec: Glossa beside gensim (Debian's python3-gensim), skip-gram and CBOW, in one run, on the same
# tokenised file: Glossa tokenises the corpus once (lower case, runs of letters or digits, one sentence per
# line) and both train on that file (Glossa with --format lines, gensim with LineSentence).
# Settings for both: 100 dimensions, window 5, negative 5, sample 1e-3, min-count 5, alpha 0.025 → 0.0001
# (gensim's defaults; Glossa's CBOW default would be 0.05), seed 1.
#
# Usage: bench/word2vec-vs-gensim.sh [CORPUS]   (default ../shared/data/enwiki-extract/enwiki_wikiextractor_AA.txt)
# Environment: EPOCHS (5), THREADS (2), ARCHS ("sg cbow"), CUT_MB (train on the first N MB of the tokenised
# text; default: all of it), WORK (where files go; default ${TMPDIR:-/tmp}/glossa-bench-word2vec),
# QUESTIONS (default ../shared/data/word-analogy/questions-words.txt), GLOSSA_JAVA_OPTS (extra JVM options).
#
# Training words/s is counted the same way for both: corpus words in the vocabulary (before frequent-word
# subsampling) of all epochs, divided by the time of the training phase alone (Glossa: the sum of its epoch
# times from --metrics; gensim: the time of Word2Vec.train, after build_vocab). Wall time and peak RSS are
# those of the whole process (/usr/bin/time). Accuracy: Glossa's `vectors eval` (gensim's semantics:
# 300,000 most frequent words, case-insensitive) on both vector files, and gensim's own
# evaluate_word_analogies on both as a cross-check.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
corpus="${1:-$root/../shared/data/enwiki-extract/enwiki_wikiextractor_AA.txt}"
questions="${QUESTIONS:-$root/../shared/data/word-analogy/questions-words.txt}"
epochs="${EPOCHS:-5}"
threads="${THREADS:-2}"
archs="${ARCHS:-sg cbow}"
work="${WORK:-${TMPDIR:-/tmp}/glossa-bench-word2vec}"
python=/usr/bin/python3

die() { echo "word2vec-vs-gensim: $*" >&2; exit 1; }
[[ -f "$corpus" ]] || die "no corpus at $corpus"
[[ -f "$questions" ]] || die "no analogy questions at $questions (set QUESTIONS)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is needed (Debian: apt-get install time)"
"$python" -c 'import gensim' 2>/dev/null \
    || die "gensim is not importable by $python: install Debian's package (apt-get install python3-gensim)"
mkdir -p "$work"
# Build first (./glossa rebuilds when sources changed); then run the jar itself, so that no timing can
# include a rebuild when someone edits the sources meanwhile.
"$root/glossa" --version >/dev/null
read -r -a java_opts <<< "${GLOSSA_JAVA_OPTS:-}"
# As the glossa launcher runs word2vec: with the Vector API (FloatKernels), and OpenMP waiting passively.
java_opts=(--add-modules jdk.incubator.vector "${java_opts[@]}")
export OPENBLAS_NUM_THREADS=1 OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
jar="$root/glossa-cli/target/glossa.jar"
glossa=(java "${java_opts[@]}" -jar "$jar")

echo "== $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), gensim $("$python" -c 'import gensim; print(gensim.__version__)'), $(java -version 2>&1 | head -1)"
echo "== tokenising $corpus"
tokens="$work/corpus.tok.txt"
"${glossa[@]}" word2vec tokenize --corpus "$corpus" --lowercase --token-pattern '\p{L}+|\p{N}+' --out "$tokens"
if [[ -n "${CUT_MB:-}" ]]; then
    # The first CUT_MB megabytes, cut after the last whole line.
    head -c "$((CUT_MB * 1000000))" "$tokens" | sed '$d' > "$work/corpus.cut.txt"
    tokens="$work/corpus.cut.txt"
    echo "== cut to the first ${CUT_MB} MB: $(wc -l < "$tokens") lines, $(wc -w < "$tokens") words"
fi

for arch in $archs; do
    case "$arch" in
        sg) flag=--sg; sg=1 ;;
        cbow) flag=--cbow; sg=0 ;;
        *) die "ARCHS holds '$arch': use sg and/or cbow" ;;
    esac
    echo "== $arch: Glossa"
    /usr/bin/time -f '%e %M' -o "$work/glossa-$arch.time" \
        java "${java_opts[@]}" -Xlog:gc,gc+heap+exit:file="$work/glossa-$arch.gc.log" -jar "$jar" \
        word2vec train --corpus "$tokens" --format lines --out "$work/glossa-$arch.bin" $flag \
        --dim 100 --window 5 --negative 5 --sample 1e-3 --min-count 5 --epochs "$epochs" --alpha 0.025 \
        --min-alpha 0.0001 --seed 1 --threads "$threads" --metrics "$work/glossa-$arch.jsonl" \
        | tee "$work/glossa-$arch.out"
    echo "== $arch: gensim"
    /usr/bin/time -f '%e %M' -o "$work/gensim-$arch.time" \
        "$python" "$root/bench/python/gensim_word2vec.py" --corpus "$tokens" --out "$work/gensim-$arch.bin" --sg "$sg" \
        --dim 100 --window 5 --negative 5 --sample 1e-3 --min-count 5 --epochs "$epochs" --alpha 0.025 \
        --min-alpha 0.0001 --seed 1 --threads "$threads" --log "$work/gensim-$arch.log" \
        | tee "$work/gensim-$arch.json"
    echo "== $arch: analogies"
    for who in glossa gensim; do
        "${glossa[@]}" vectors eval "$work/$who-$arch.bin" --analogies "$questions" --json --no-progress > "$work/$who-$arch.eval.json"
        "$python" "$root/bench/python/gensim_analogies.py" "$work/$who-$arch.bin" "$questions" binary \
            > "$work/$who-$arch.gensim-eval.json"
    done
done

echo
echo "== results (files in $work)"
"$python" "$root/bench/python/bench_report.py" word2vec "$work" "$archs"
