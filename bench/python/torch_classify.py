"""PyTorch's side of bench/classify-throughput.sh (a benchmark helper, not part of Glossa).

Fine-tuning steps of a BERT classifier the size of all-MiniLM-L6-v2 (6 layers x 384, 12 heads, feed-forward 1536,
vocabulary 30522, dropout 0.1, pooler + linear classifier over 2 labels): torch_bert's BERT from torch.nn modules
with a tanh pooler on [CLS]. On the batches Glossa wrote (token ids, no padding), each
padded here to its own longest sentence with a key-padding mask. One step: forward, cross-entropy, backward, clipping
at 1.0, AdamW (lr 5e-5 as glossa classify's default, eps 1e-8, weight decay 0.01 except biases and LayerNorm), zero_grad. For fp32 and then bf16
autocast, one pass over the batches warms up and the next one is timed.

Usage: python3 torch_classify.py BATCHES_JSON [threads=2]   (prints one JSON line per precision)
"""
import json
import sys

import torch
from torch import nn

from torch_bert import Bert, adamw, optimizer_step, padded, timed_passes


class Classifier(Bert):
    """torch_bert's BERT with HF's BertForSequenceClassification head: tanh pooler on [CLS], dropout, linear."""

    def __init__(self, vocab=30522, hidden=384, layers=6, heads=12, ffn=1536, positions=512, dropout=0.1, labels=2):
        super().__init__(vocab, hidden, layers, heads, ffn, positions, dropout)
        self.pooler = nn.Linear(hidden, hidden)
        self.classifier = nn.Linear(hidden, labels)

    def forward(self, ids, mask):
        pooled = torch.tanh(self.pooler(self.encode(ids, mask)[:, 0]))  # (B, H)
        return self.classifier(self.dropout(pooled))  # (B, labels)


def run(batches, bf16):
    torch.manual_seed(42)
    model = Classifier()
    model.train()
    optimizer = adamw(model, lr=5e-5)

    def step(batch):
        ids, mask = padded(batch["ids"])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            logits = model(ids, mask)
        return optimizer_step(nn.functional.cross_entropy(logits.float(), torch.tensor(batch["labels"])), model, optimizer)

    seconds, losses = timed_passes(batches, step)
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
