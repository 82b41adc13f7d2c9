"""Writes corpus.txt: a synthetic corpus for the GloVe co-occurrence fixtures (deterministic).

300 lines of 1 to 30 words drawn from 48 words with Zipf-like weights, plus words that occur once
(dropped by min-count 2, so they must take no place in the windows) and empty lines.
"""
import random

rng = random.Random(20240611)
words = ["w%02d" % i for i in range(48)]
weights = [1.0 / (i + 1) ** 0.9 for i in range(len(words))]
lines = []
for n in range(300):
    if n % 37 == 5:
        lines.append("")
        continue
    length = rng.randint(1, 30)
    tokens = rng.choices(words, weights, k=length)
    if n % 11 == 3:
        tokens.insert(rng.randint(0, len(tokens)), "once%03d" % n)
    lines.append(" ".join(tokens))
with open("corpus.txt", "w", encoding="utf-8") as out:
    out.write("\n".join(lines) + "\n")
