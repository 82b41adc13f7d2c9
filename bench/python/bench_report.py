"""Prints the tables of bench/word2vec-vs-gensim.sh and bench/glove-vs-stanford.sh from the files they left in
their work directory (a benchmark helper, not part of Glossa).

Usage: python3 bench_report.py word2vec WORK "sg cbow"
       python3 bench_report.py glove WORK
"""
import json
import os
import re
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def maybe_json(path):
    return json.loads(read(path)) if os.path.exists(path) else None


def time_file(path):
    """/usr/bin/time -f '%e %M': wall seconds and peak resident set in KiB."""
    wall, rss = read(path).split()[-2:]
    return float(wall), int(rss)


def heap(gc_log):
    """Peak heap in MiB from a -Xlog:gc,gc+heap+exit log: the most in use (before a collection, or at exit)
    and the most left after a collection (the live data at its largest); None where there was no collection."""
    text = read(gc_log)
    pauses = [(int(b), int(a)) for b, a in re.findall(r"Pause.* (\d+)M->(\d+)M\(\d+M\)", text)]
    at_exit = [int(u) / 1024 for u in re.findall(r"heap\s+total \d+K, used (\d+)K", text)]
    used = max([b for b, _ in pauses] + at_exit) if pauses or at_exit else None
    live = max(a for _, a in pauses) if pauses else None
    return used, live


def pct(x):
    return f"{100 * x:.2f} %"


def mib(kib):
    return f"{kib / 1024:,.0f} MiB"


def word2vec(work, archs):
    names = {"sg": "skip-gram", "cbow": "CBOW"}
    columns = []
    for arch in archs:
        metrics = [json.loads(line) for line in read(f"{work}/glossa-{arch}.jsonl").splitlines()]
        words = sum(m["words"] for m in metrics)
        seconds = sum(m["seconds"] for m in metrics)
        out = read(f"{work}/glossa-{arch}.out")
        vocabulary = int(re.search(r"vocabulary: ([\d,]+) words", out).group(1).replace(",", ""))
        wall, rss = time_file(f"{work}/glossa-{arch}.time")
        used, live = heap(f"{work}/glossa-{arch}.gc.log")
        ours = maybe_json(f"{work}/glossa-{arch}.eval.json")["analogies"]
        by_gensim = maybe_json(f"{work}/glossa-{arch}.gensim-eval.json")
        columns.append({
            "name": f"Glossa {names[arch]}", "vocabulary": vocabulary, "words_per_epoch": words // len(metrics),
            "train_seconds": seconds, "words_per_second": words / seconds, "wall": wall, "rss": rss,
            "heap": f"{used:,.0f} MiB in use, {live:,.0f} MiB after GC" if used is not None and live is not None
            else "(no collection)" if used is None else f"{used:,.0f} MiB in use",
            "total": ours["total"]["accuracy"], "semantic": ours["semantic"]["accuracy"],
            "syntactic": ours["syntactic"]["accuracy"], "evaluated": ours["total"]["evaluated"],
            "gensim_eval": by_gensim["total"]["accuracy"] if by_gensim else None,
            "losses": ", ".join(f"{m['loss']:.3f}" for m in metrics),
        })
        g = maybe_json(f"{work}/gensim-{arch}.json")
        wall, rss = time_file(f"{work}/gensim-{arch}.time")
        ours = maybe_json(f"{work}/gensim-{arch}.eval.json")["analogies"]
        own = maybe_json(f"{work}/gensim-{arch}.gensim-eval.json")
        columns.append({
            "name": f"gensim {names[arch]}", "vocabulary": g["vocabulary"], "words_per_epoch": g["words_per_epoch"],
            "train_seconds": g["train_seconds"], "words_per_second": g["words_per_second"], "wall": wall, "rss": rss,
            "heap": "–", "total": ours["total"]["accuracy"], "semantic": ours["semantic"]["accuracy"],
            "syntactic": ours["syntactic"]["accuracy"], "evaluated": ours["total"]["evaluated"],
            "gensim_eval": own["total"]["accuracy"] if own else None, "losses": "–",
            "effective": g["effective_words_per_second"],
        })
    rows = [
        ("vocabulary (words)", lambda c: f"{c['vocabulary']:,}"),
        ("corpus words per epoch (in the vocabulary)", lambda c: f"{c['words_per_epoch']:,}"),
        ("training time", lambda c: f"{c['train_seconds']:.1f} s"),
        ("**training words/s**", lambda c: f"**{c['words_per_second']:,.0f}**"),
        ("wall time (whole process)", lambda c: f"{c['wall']:.1f} s"),
        ("analogies, total (Glossa's evaluator, gensim semantics)", lambda c: f"**{pct(c['total'])}** ({c['evaluated']:,} questions)"),
        ("semantic / syntactic", lambda c: f"{pct(c['semantic'])} / {pct(c['syntactic'])}"),
        ("analogies, total (gensim's evaluate_word_analogies)", lambda c: pct(c["gensim_eval"]) if c["gensim_eval"] is not None else "–"),
        ("peak RSS", lambda c: mib(c["rss"])),
        ("peak Java heap", lambda c: c["heap"]),
        ("loss per epoch (Glossa)", lambda c: c["losses"]),
    ]
    print("| | " + " | ".join(c["name"] for c in columns) + " |")
    print("|---|" + "---|" * len(columns))
    for label, cell in rows:
        print(f"| {label} | " + " | ".join(cell(c) for c in columns) + " |")
    for i in range(0, len(columns), 2):
        ours, theirs = columns[i], columns[i + 1]
        print(f"\n{ours['name']}: {ours['words_per_second'] / theirs['words_per_second']:.2f}× gensim's words/s;"
              f" accuracy {100 * (ours['total'] - theirs['total']):+.2f} points"
              f" (gensim's own figure for gensim's vectors: {pct(theirs['gensim_eval']) if theirs['gensim_eval'] is not None else '–'};"
              f" gensim reports {theirs['effective']:,.0f} effective words/s, counted after subsampling)")


def glove(work):
    stages = ["vocab_count", "cooccur", "shuffle", "glove"]
    c_times = {s: time_file(f"{work}/c-{s}.time") for s in stages}
    ours_stages = {}
    for line in read(f"{work}/glossa-glove.jsonl").splitlines():
        record = json.loads(line)
        if "stage" in record:
            ours_stages[record["stage"]] = record["seconds"]
    wall, rss = time_file(f"{work}/glossa-glove.time")
    used, live = heap(f"{work}/glossa-glove.gc.log")
    c_eval = maybe_json(f"{work}/c-vectors.eval.json")["analogies"]
    ours_eval = maybe_json(f"{work}/glossa-glove.eval.json")["analogies"]
    names = {"vocab_count": "vocabulary", "cooccur": "cooccurrence", "shuffle": "shuffle", "glove": "training"}
    print("| stage | Stanford GloVe | Glossa |")
    print("|---|---|---|")
    for s in stages:
        print(f"| {s} / {names[s]} | {c_times[s][0]:.1f} s ({mib(c_times[s][1])} peak RSS) | {ours_stages.get(names[s], float('nan')):.1f} s |")
    c_total = sum(t[0] for t in c_times.values())
    print(f"| **total** | **{c_total:.1f} s** | **{wall:.1f} s** (whole process; stages {sum(ours_stages.values()):.1f} s) |")
    print(f"| peak RSS | {mib(max(t[1] for t in c_times.values()))} (largest stage) | {mib(rss)} |")
    heap_text = "(no collection)" if used is None else f"{used:,.0f} MiB in use" + (f", {live:,.0f} MiB after GC" if live else "")
    print(f"| peak Java heap | – | {heap_text} |")
    for label, key in (("analogies, total", "total"), ("semantic", "semantic"), ("syntactic", "syntactic")):
        print(f"| {label} (Glossa's evaluator, gensim semantics) | {pct(c_eval[key]['accuracy'])} | {pct(ours_eval[key]['accuracy'])} |")
    print(f"| questions evaluated | {c_eval['total']['evaluated']:,} | {ours_eval['total']['evaluated']:,} |")
    print(f"\nGlossa: {c_total / wall:.2f}× Stanford GloVe's speed (total time); accuracy"
          f" {100 * (ours_eval['total']['accuracy'] - c_eval['total']['accuracy']):+.2f} points")


if __name__ == "__main__":
    if sys.argv[1] == "word2vec":
        word2vec(sys.argv[2], sys.argv[3].split())
    else:
        glove(sys.argv[2])
