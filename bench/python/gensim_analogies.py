"""gensim's own analogy evaluation of a vector file, for the benchmarks (a reference, not part of Glossa).

Usage: /usr/bin/python3 gensim_analogies.py VECTORS QUESTIONS binary|text|glove
Prints one JSON object: gensim's evaluate_word_analogies (restrict_vocab 300000, case-insensitive, its
defaults) as total, semantic (sections not starting with "gram") and syntactic accuracy, and the counts.
The third argument is the file's layout: word2vec binary, word2vec text, or GloVe's headerless text.
"""
import json
import sys

from gensim.models import KeyedVectors

path, questions, layout = sys.argv[1:4]
kv = KeyedVectors.load_word2vec_format(path, binary=layout == "binary", no_header=layout == "glove")
score, sections = kv.evaluate_word_analogies(questions, restrict_vocab=300000)


def part(keep):
    chosen = [s for s in sections if s["section"] != "Total accuracy" and keep(s["section"])]
    correct = sum(len(s["correct"]) for s in chosen)
    evaluated = correct + sum(len(s["incorrect"]) for s in chosen)
    return {"correct": correct, "evaluated": evaluated, "accuracy": correct / evaluated if evaluated else 0.0}


print(json.dumps({"vectors": path, "total": part(lambda n: True), "semantic": part(lambda n: not n.startswith("gram")),
                  "syntactic": part(lambda n: n.startswith("gram")), "score": score}))
