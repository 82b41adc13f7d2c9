"""PyTorch's side of bench/squad-throughput.sh (a benchmark helper, not part of Glossa).

A BERT question-answering model the size of all-MiniLM-L6-v2 (6 layers x 384, 12 heads, feed-forward 1536, GELU,
vocabulary 30522, 512 positions, dropout 0.1): torch_bert's BERT from torch.nn modules and a qa_outputs linear
layer giving a start and an end logit per token (HF's BertForQuestionAnswering). Random weights:
only the time counts.

It runs the very batches Glossa wrote (already padded: input ids, token types, attention mask, start and end
positions), with the same settings as `glossa squad train`:
- training: forward, HF's loss (the mean of the start and end cross-entropies, positions clamped to [0, T], T
  ignored), backward, clipping at 1.0, AdamW (lr 5e-5, eps 1e-8, weight decay 0.01 except biases and LayerNorm)
  over every parameter but the word embeddings (requires_grad False, as Glossa freezes them), zero_grad;
- prediction: the "predict" batches (as Glossa's SquadPredictor makes them) in eval mode under
  torch.inference_mode(); the start and end logits end up in fp32. nn.TransformerEncoderLayer's fused inference
  path is kept out (see torch_bert), so the figures are of the standard modules.
fp32 and bf16 autocast each; every measurement runs its batches once to warm up, then once timed.

Usage: python3 torch_qa.py BATCHES_JSON [threads=2]   (prints one JSON line per phase and precision)
"""
import json
import sys

import torch
from torch import nn

from torch_bert import Bert, adamw, optimizer_step, timed_passes


class QuestionAnswering(Bert):
    """torch_bert's BERT with HF's BertForQuestionAnswering head: qa_outputs, a start and an end logit per token."""

    def __init__(self):
        super().__init__()
        self.qa_outputs = nn.Linear(self.word.embedding_dim, 2)

    def forward(self, ids, types, mask):
        """ids, types, mask: int64 (B, T) -> start and end logits (B, T) in fp32."""
        logits = self.qa_outputs(self.encode(ids, mask, types)).float()  # (B, T, 2)
        return logits[..., 0].contiguous(), logits[..., 1].contiguous()


def qa_loss(start_logits, end_logits, start_positions, end_positions):
    """HF's BertForQuestionAnswering loss: positions outside [0, T) are clamped to T and ignored."""
    ignored = start_logits.shape[1]
    start = nn.functional.cross_entropy(start_logits, start_positions.clamp(0, ignored), ignore_index=ignored)
    end = nn.functional.cross_entropy(end_logits, end_positions.clamp(0, ignored), ignore_index=ignored)
    return (start + end) / 2


def tensors(batch, *keys):
    return [torch.tensor(batch[k], dtype=torch.long) for k in keys]


def model_for(seed=42):
    torch.manual_seed(seed)
    model = QuestionAnswering()
    model.word.weight.requires_grad_(False)  # frozen, as glossa squad train does by default
    return model


def features(batches):
    return sum(len(b["input_ids"]) for b in batches)


def train(batches, bf16):
    model = model_for()
    model.train()
    optimizer = adamw(model, lr=5e-5)

    def step(batch):
        ids, types, mask, starts, ends = tensors(batch, "input_ids", "token_type_ids", "attention_mask",
                                                 "start_positions", "end_positions")
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            start_logits, end_logits = model(ids, types, mask)
        return optimizer_step(qa_loss(start_logits, end_logits, starts, ends), model, optimizer)  # loss in fp32

    seconds, losses = timed_passes(batches, step)
    n = features(batches)
    return {"phase": "train", "precision": "bf16" if bf16 else "fp32", "features_per_s": n / seconds[1],
            "warmup_features_per_s": n / seconds[0], "first_loss": losses[0], "last_loss": losses[-1]}


def predict(batches, bf16):
    model = model_for()
    model.eval()

    def step(batch):
        ids, types, mask = tensors(batch, "input_ids", "token_type_ids", "attention_mask")
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            model(ids, types, mask)

    with torch.inference_mode():
        seconds, _ = timed_passes(batches, step)
    n = features(batches)
    return {"phase": "predict", "precision": "bf16" if bf16 else "fp32", "features_per_s": n / seconds[1],
            "warmup_features_per_s": n / seconds[0]}


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        data = json.load(f)
    torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 2)
    for bf16 in (False, True):
        print(json.dumps(train(data["train"], bf16)), flush=True)
    for bf16 in (False, True):
        print(json.dumps(predict(data["predict"], bf16)), flush=True)


if __name__ == "__main__":
    main()
