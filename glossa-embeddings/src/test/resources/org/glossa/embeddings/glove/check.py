# independent reference: counts as cooccur.c documents, compares with the C output
import struct, sys, collections
words = [l.split()[0] for l in open('vocab.txt')]
rank = {w: i + 1 for i, w in enumerate(words)}
def ref(window, symmetric, weighting):
    c = collections.defaultdict(float)
    for line in open('corpus.txt'):
        ids = [rank[t] for t in line.split() if t in rank]
        for j in range(len(ids)):
            for k in range(max(0, j - window), j):
                v = 1.0 / (j - k) if weighting else 1.0
                c[(ids[k], ids[j])] += v
                if symmetric: c[(ids[j], ids[k])] += v
    return c
def read(f):
    d = open(f, 'rb').read()
    return [struct.unpack('<iid', d[i:i + 16]) for i in range(0, len(d), 16)]
for f, args in [('cooccur-w5.bin', (5, 1, 1)), ('cooccur-w3-left-unweighted.bin', (3, 0, 0))]:
    recs = read(f); r = ref(*args)
    assert [(a, b) for a, b, _ in recs] == sorted(r), f
    assert all(abs(v - r[(a, b)]) < 1e-9 for a, b, v in recs), f
    print(f, len(recs), 'records agree with the reference')
