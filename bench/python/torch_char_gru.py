"""Training throughput of the character GRU of `glossa textgen train` in PyTorch (a benchmark helper, not part of
Glossa): embedding → GRU → dense over the characters, stateful windows (the state is carried across batches and
detached), AdamW and global-norm clipping as Glossa's defaults, on Tiny Shakespeare's first 90 %.

Usage: python3 torch_char_gru.py --corpus FILE [--threads 2] [--batch 64] [--seq 100] [--embedding 256]
       [--units 1024] [--layers 1] [--cell gru] [--warmup 3] [--steps 20] [--precision fp32|bf16]
Prints one JSON line: characters/s over the timed steps (after warm-up), the step time and the torch version.
"""
import argparse
import json
import time

import torch


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--corpus", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seq", type=int, default=100)
    p.add_argument("--embedding", type=int, default=256)
    p.add_argument("--units", type=int, default=1024)
    p.add_argument("--layers", type=int, default=1)
    p.add_argument("--cell", choices=["gru", "lstm"], default="gru")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    text = open(a.corpus, encoding="utf-8").read()
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    train = torch.tensor([index[c] for c in text[: int(len(text) * 0.9)]], dtype=torch.long)
    # B parallel streams over the text, as stateful training reads it.
    stream = len(train) // a.batch
    streams = train[: stream * a.batch].view(a.batch, stream)

    rnn_type = torch.nn.GRU if a.cell == "gru" else torch.nn.LSTM
    embed = torch.nn.Embedding(len(chars), a.embedding)
    rnn = rnn_type(a.embedding, a.units, a.layers, batch_first=True)
    dense = torch.nn.Linear(a.units, len(chars))
    params = list(embed.parameters()) + list(rnn.parameters()) + list(dense.parameters())
    opt = torch.optim.AdamW(params, lr=2e-3, weight_decay=0.0)
    state = None

    def step(i):
        nonlocal state
        start = (i * a.seq) % (stream - a.seq - 1)
        x = streams[:, start:start + a.seq]
        y = streams[:, start + 1:start + a.seq + 1]
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            out, new_state = rnn(embed(x), state)
            logits = dense(out)
        loss = torch.nn.functional.cross_entropy(logits.float().reshape(-1, len(chars)), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 5.0)
        opt.step()
        state = tuple(s.detach() for s in new_state) if isinstance(new_state, tuple) else new_state.detach()
        return loss.item()

    for i in range(a.warmup):
        step(i)
    t0 = time.perf_counter()
    for i in range(a.warmup, a.warmup + a.steps):
        loss = step(i)
    elapsed = time.perf_counter() - t0
    print(json.dumps({
        "who": "pytorch", "torch": torch.__version__, "threads": a.threads, "precision": a.precision,
        "chars_per_s": a.steps * a.batch * a.seq / elapsed, "step_s": elapsed / a.steps, "last_loss": loss,
    }))


if __name__ == "__main__":
    main()
