"""Training-step time of the small translation Transformer in PyTorch (a benchmark helper, not part of Glossa), on the
batches Glossa's TransformerStepTiming wrote: torch.nn.Transformer (post-LN, ReLU) of the same shape, one embedding
shared by source, target and output layer, scaled by sqrt(d) plus sinusoidal positions, dropout, label-smoothed
cross-entropy ignoring padding, Adam with the inverse-square-root schedule and global-norm clipping, as Glossa trains.

nn.Transformer adds a LayerNorm after each stack, which Glossa's post-LN stacks do not have: two LayerNorms of
d_model per position, a negligible share of the step.

Usage: python3 torch_transformer.py BATCHES_JSON [--threads 2] [--precision fp32|bf16]
Runs the batches once to warm up and once timed; prints one JSON line: tokens/s (source + target, no padding) and
seconds per step of the timed pass, the torch version.
"""
import argparse
import json
import math
import time

import torch
from torch import nn


class Translator(nn.Module):
    def __init__(self, m):
        super().__init__()
        d = m["d_model"]
        self.d = d
        self.pad = m["pad_id"]
        self.embed = nn.Embedding(m["vocab_size"], d)
        nn.init.normal_(self.embed.weight, std=d ** -0.5)
        self.transformer = nn.Transformer(d, m["heads"], m["layers"], m["layers"], m["ffn_dim"], m["dropout"],
                                          batch_first=True)
        self.dropout = nn.Dropout(m["dropout"])
        position = torch.arange(m["max_positions"]).unsqueeze(1)
        rate = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe = torch.zeros(m["max_positions"], d)
        pe[:, 0::2] = torch.sin(position * rate)
        pe[:, 1::2] = torch.cos(position * rate)
        self.register_buffer("pe", pe)

    def embed_tokens(self, ids):
        return self.dropout(self.embed(ids) * math.sqrt(self.d) + self.pe[: ids.size(1)])

    def forward(self, src, tgt_in):
        causal = torch.triu(torch.full((tgt_in.size(1), tgt_in.size(1)), float("-inf")), diagonal=1)
        src_pad = src.eq(self.pad)
        out = self.transformer(self.embed_tokens(src), self.embed_tokens(tgt_in), tgt_mask=causal,
                               src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_in.eq(self.pad),
                               memory_key_padding_mask=src_pad)
        return out @ self.embed.weight.t()  # tied output layer (B, T, V)


def pad(rows, value):
    width = max(len(r) for r in rows)
    return torch.tensor([r + [value] * (width - len(r)) for r in rows], dtype=torch.long)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("batches")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--precision", choices=["fp32", "bf16"], default="fp32")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)
    spec = json.load(open(a.batches))
    m, t = spec["model"], spec["training"]
    if m["vocab_size"] != m["decoder_vocab_size"]:
        raise SystemExit("this helper models the shared vocabulary of the default run")
    batches = []
    for b in spec["batches"]:
        src = pad(b["source"], m["pad_id"])
        tgt_in = pad([[m["bos_id"]] + r for r in b["target"]], m["pad_id"])
        tgt_out = pad([r + [m["eos_id"]] for r in b["target"]], m["pad_id"])
        tokens = sum(len(r) for r in b["source"]) + sum(len(r) + 1 for r in b["target"])
        batches.append((src, tgt_in, tgt_out, tokens))

    model = Translator(m)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=1.0, betas=(0.9, t["adam_beta2"]), eps=t["adam_epsilon"])
    # Glossa's noam: factor * d^-0.5 * min(s^-0.5, s * warmup^-1.5), s = max(step, 1), peaking at peak_lr.
    warmup = t["warmup_steps"]
    factor = t["peak_lr"] * math.sqrt(m["d_model"]) * math.sqrt(warmup)
    noam = lambda step: factor * m["d_model"] ** -0.5 * min(max(step, 1) ** -0.5, max(step, 1) * warmup ** -1.5)
    schedule = torch.optim.lr_scheduler.LambdaLR(opt, noam)
    loss_fn = nn.CrossEntropyLoss(ignore_index=m["pad_id"], label_smoothing=t["label_smoothing"])

    def step(batch):
        src, tgt_in, tgt_out, _ = batch
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            logits = model(src, tgt_in)
        loss = loss_fn(logits.float().reshape(-1, logits.size(-1)), tgt_out.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), t["max_grad_norm"])
        opt.step()
        schedule.step()
        return loss.item()

    for batch in batches:  # warm-up pass
        step(batch)
    t0 = time.perf_counter()
    for batch in batches:
        loss = step(batch)
    elapsed = time.perf_counter() - t0
    tokens = sum(b[3] for b in batches)
    print(json.dumps({
        "who": "pytorch", "torch": torch.__version__, "threads": a.threads, "precision": a.precision,
        "tokens_per_s": tokens / elapsed, "step_s": elapsed / len(batches), "last_loss": loss,
    }))


if __name__ == "__main__":
    main()
