"""Trains gensim's Word2Vec for bench/word2vec-vs-gensim.sh (a reference, not part of Glossa).

Reads the tokenised corpus that `glossa word2vec tokenize` wrote (one sentence per line, tokens separated by
spaces) with gensim's LineSentence, trains with the given settings, saves the vectors in word2vec binary
format and prints one JSON object: the training time (of Word2Vec.train alone, not of the vocabulary
scan), the words trained per second counted as Glossa counts them (corpus words in the vocabulary, before
frequent-word subsampling, all epochs) and as gensim reports them (after subsampling). gensim's own analogy
evaluation runs separately (gensim_analogies.py), so that it is not part of this process's time and memory.

Run with Debian's /usr/bin/python3 (package python3-gensim).
"""
import argparse
import json
import logging
import resource
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence

parser = argparse.ArgumentParser()
parser.add_argument("--corpus", required=True)
parser.add_argument("--out", required=True)
parser.add_argument("--sg", type=int, choices=(0, 1), required=True)
parser.add_argument("--dim", type=int, default=100)
parser.add_argument("--window", type=int, default=5)
parser.add_argument("--negative", type=int, default=5)
parser.add_argument("--sample", type=float, default=1e-3)
parser.add_argument("--min-count", type=int, default=5)
parser.add_argument("--epochs", type=int, default=5)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--alpha", type=float, default=0.025)
parser.add_argument("--min-alpha", type=float, default=0.0001)
parser.add_argument("--seed", type=int, default=1)
parser.add_argument("--log", help="gensim's INFO log goes here")
args = parser.parse_args()

if args.log:
    logging.basicConfig(filename=args.log, format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)

sentences = LineSentence(args.corpus)
model = Word2Vec(vector_size=args.dim, window=args.window, negative=args.negative, hs=0, sample=args.sample,
                 min_count=args.min_count, sg=args.sg, cbow_mean=1, workers=args.threads, alpha=args.alpha,
                 min_alpha=args.min_alpha, seed=args.seed, epochs=args.epochs)
start = time.perf_counter()
model.build_vocab(sentences)
vocab_seconds = time.perf_counter() - start

# Corpus words in the vocabulary (before subsampling): what one epoch reads, as Glossa counts it.
words_per_epoch = int(sum(model.wv.get_vecattr(w, "count") for w in model.wv.index_to_key))
start = time.perf_counter()
trained, raw = model.train(sentences, total_examples=model.corpus_count, epochs=model.epochs)
train_seconds = time.perf_counter() - start
model.wv.save_word2vec_format(args.out, binary=True)

report = {
    "vocabulary": len(model.wv),
    "corpus_words": model.corpus_total_words,
    "words_per_epoch": words_per_epoch,
    "vocab_seconds": vocab_seconds,
    "train_seconds": train_seconds,
    "words_per_second": words_per_epoch * args.epochs / train_seconds,
    "effective_words": int(trained),
    "effective_words_per_second": trained / train_seconds,
    "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}
print(json.dumps(report))
