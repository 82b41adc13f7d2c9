"""Writes the reference fixtures of glossa-embeddings' io and eval tests with gensim (Debian python3-gensim 4.2.0).

Run with /usr/bin/python3 from this directory's parent module root; see README.md here.
"""
import json
import sys

import numpy as np
from gensim.models import KeyedVectors
from scipy import stats

io_dir, eval_dir, w2v_c_bin, questions = sys.argv[1:5]

# 1. Small vectors with non-ASCII words and awkward floats, written by gensim in its three layouts.
words = ["the", "naïve", "Straße", "日本", "emoji🙂", "é", "x", "UPPER", "Ünïcödé"]
rng = np.random.default_rng(20240601)
vectors = rng.normal(0, 0.3, size=(len(words), 7)).astype(np.float32)
specials = [0.0, -0.0, 1e-5, 1e-4, 9.99999e-5, 123456.79, 1e16, 3.4028235e38, 1e-45, -2.5e-7, 0.1, 1 / 3, 1e-38,
            -1.17549435e-38, 16777217.0, 0.5, 2.0 ** -20, 1e15, 9.999999e15, -7.0]
for i, v in enumerate(specials):
    vectors[1 + i // 7, i % 7] = np.float32(v)
kv = KeyedVectors(7)
kv.add_vectors(words, vectors)
kv.save_word2vec_format(f"{io_dir}/gensim.txt", binary=False)
kv.save_word2vec_format(f"{io_dir}/gensim.bin", binary=True)
kv.save_word2vec_format(f"{io_dir}/gensim-noheader.txt", binary=False, write_header=False)

# 2. Analogy and word-pair evaluation of a word2vec.c model, as gensim computes them.
model = KeyedVectors.load_word2vec_format(w2v_c_bin, binary=True)
analogies = {}
for restrict in (300000, 1000):
    score, sections = model.evaluate_word_analogies(questions, restrict_vocab=restrict)
    analogies[str(restrict)] = {
        "score": score,
        "sections": [{"section": s["section"], "correct": len(s["correct"]), "incorrect": len(s["incorrect"]),
                      "correctQuestions": [" ".join(q) for q in s["correct"]]} for s in sections],
    }
with open(f"{eval_dir}/gensim-analogies.json", "w") as f:
    json.dump(analogies, f, indent=1, ensure_ascii=False)

pearson, spearman, oov_ratio = model.evaluate_word_pairs(f"{eval_dir}/pairs.tsv")
with open(f"{eval_dir}/gensim-pairs.json", "w") as f:
    json.dump({"pearson": pearson[0], "pearsonP": pearson[1], "spearman": spearman[0], "spearmanP": spearman[1],
               "oovRatio": oov_ratio}, f, indent=1)

sims = {}
for query in (["king"], ["Paris", "Germany"]):
    neg = ["France"] if len(query) > 1 else []
    sims[" ".join(query) + ("" if not neg else " -" + " -".join(neg))] = model.most_similar(positive=query, negative=neg, topn=10)
sims["cosmul Paris Germany -France"] = model.most_similar_cosmul(positive=["Paris", "Germany"], negative=["France"], topn=10)
sims["similarity father mother"] = float(model.similarity("father", "mother"))
sims["doesnt_match car bus train mother"] = model.doesnt_match(["car", "bus", "train", "mother"])
sims["restrict 500 king"] = model.most_similar(positive=["king"], topn=5, restrict_vocab=500)
with open(f"{eval_dir}/gensim-similar.json", "w") as f:
    json.dump(sims, f, indent=1, ensure_ascii=False)

# 3. numpy's repr of float32 (what gensim's text writer prints) for random bit patterns and values.
rng = np.random.default_rng(7)
samples = np.concatenate([rng.integers(0, 2**32, size=2000, dtype=np.uint64).astype(np.uint32).view(np.float32),
                          rng.normal(0, 0.3, 1000).astype(np.float32)])
with open(f"{io_dir}/float32-repr.tsv", "w") as f:
    for v in samples:
        if not np.isnan(v):
            f.write("%08x\t%s\n" % (v.view(np.uint32), repr(v)))
