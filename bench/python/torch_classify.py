"""PyTorch's side of bench/classify-throughput.sh (a benchmark helper, not part of Glossa).

Fine-tuning steps of a BERT classifier the size of all-MiniLM-L6-v2 (6 layers x 384, 12 heads, feed-forward 1536,
vocabulary 30522, dropout 0.1, pooler + linear classifier over 2 labels), built from torch.nn modules (HF
transformers is not installed): word + position + token-type embeddings, LayerNorm, dropout, six post-LN
nn.TransformerEncoderLayer(gelu), tanh pooler on [CLS]. On the batches Glossa wrote (token ids, no padding), each
padded here to its own longest sentence with a key-padding mask. One step: forward, cross-entropy, backward, clipping
at 1.0, AdamW (lr 2e-5, eps 1e-8, weight decay 0.01 except biases and LayerNorm), zero_grad. For fp32 and then bf16
autocast, one pass over the batches warms up and the next one is timed.

Usage: python3 torch_classify.py BATCHES_JSON [threads=2]   (prints one JSON line per precision)
"""
import json
import sys
import time

import torch
from torch import nn


class Classifier(nn.Module):
    def __init__(self, vocab=30522, hidden=384, layers=6, heads=12, ffn=1536, positions=512, dropout=0.1, labels=2):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden)
        self.position = nn.Embedding(positions, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.norm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(hidden, heads, ffn, dropout, activation="gelu", layer_norm_eps=1e-12,
                                           batch_first=True, norm_first=False)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.pooler = nn.Linear(hidden, hidden)
        self.classifier = nn.Linear(hidden, labels)

    def forward(self, ids, mask):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.word(ids) + self.position(positions) + self.token_type(torch.zeros_like(ids))
        x = self.dropout(self.norm(x))
        x = self.encoder(x, src_key_padding_mask=~mask)  # True marks padding
        pooled = torch.tanh(self.pooler(x[:, 0]))
        return self.classifier(self.dropout(pooled))


def padded(batch):
    """Pads the batch's sentences to its longest: ids (B, T) with 0, mask (B, T) True for real tokens."""
    rows = batch["ids"]
    width = max(len(r) for r in rows)
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.bool)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = True
    return ids, mask, torch.tensor(batch["labels"])


def run(batches, bf16):
    torch.manual_seed(42)
    model = Classifier()
    model.train()
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "norm" in n)]
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "norm" in n]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=2e-5, eps=1e-8)
    seconds = []
    losses = []
    for rep in range(2):
        start = time.perf_counter()
        for batch in batches:
            ids, mask, labels = padded(batch)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
                logits = model(ids, mask)
            loss = nn.functional.cross_entropy(logits.float(), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            losses.append(loss.item())
        seconds.append(time.perf_counter() - start)
    examples = sum(len(b["labels"]) for b in batches)
    return {"precision": "bf16" if bf16 else "fp32", "examples_per_s": examples / seconds[1],
            "warmup_examples_per_s": examples / seconds[0], "first_loss": losses[0], "last_loss": losses[-1]}


def main():
    batches = json.load(open(sys.argv[1]))["batches"]
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    for bf16 in (False, True):
        print(json.dumps(run(batches, bf16)), flush=True)


if __name__ == "__main__":
    main()
