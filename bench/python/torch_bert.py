"""The BERT that the PyTorch sides of Glossa's BERT benchmarks share (benchmark helpers, not part of Glossa).

HF transformers is not installed here, so BERT is built from torch.nn modules: word + position + token-type
embeddings, LayerNorm, dropout, then post-LN nn.TransformerEncoderLayer(gelu) blocks. Two details make the blocks
BERT's: no dropout between the feed-forward's GELU and its second linear layer (nn.TransformerEncoderLayer has one,
BERT does not), and GELU passed through functools.partial, because nn.TransformerEncoderLayer recognises F.gelu
itself for its fused inference "fast path", which is not BERT's computation and which torch 1.13 breaks under CPU
autocast (it checks only CUDA's autocast and fails on mixed dtypes).
"""
import functools
import time

import torch
from torch import nn


class Bert(nn.Module):
    def __init__(self, vocab=30522, hidden=384, layers=6, heads=12, ffn=1536, positions=512, dropout=0.1):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden)
        self.position = nn.Embedding(positions, hidden)
        self.token_type = nn.Embedding(2, hidden)
        self.norm = nn.LayerNorm(hidden, eps=1e-12)
        self.dropout = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(hidden, heads, ffn, dropout, activation=functools.partial(nn.functional.gelu),
                                           layer_norm_eps=1e-12, batch_first=True, norm_first=False)
        # No nested tensors: padding is computed as Glossa computes it, so both sides do the same work.
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        for block in self.encoder.layers:
            block.dropout = nn.Identity()  # BERT: output.dense(gelu(intermediate.dense(x))), no dropout between

    def encode(self, ids, mask, types=None):
        """ids, mask (B, T) with mask true (or 1) on real tokens, types (B, T) or None → hidden states (B, T, H)."""
        positions = torch.arange(ids.shape[1]).unsqueeze(0)  # (1, T)
        types = torch.zeros_like(ids) if types is None else types
        x = self.word(ids) + self.position(positions) + self.token_type(types)  # (B, T, H)
        x = self.dropout(self.norm(x))
        return self.encoder(x, src_key_padding_mask=mask == 0)  # True marks padding


def adamw(model, lr, weight_decay=0.01):
    """AdamW as Glossa's recipes set it: eps 1e-8, no decay on biases and LayerNorm, trainable parameters only."""
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    decay = [p for n, p in named if not (n.endswith("bias") or "norm" in n)]
    no_decay = [p for n, p in named if n.endswith("bias") or "norm" in n]
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                             lr=lr, eps=1e-8)


def padded(rows):
    """Pads token-id rows to the longest: ids (B, T) with 0 ([PAD]), mask (B, T) True on real tokens."""
    width = max(len(r) for r in rows)
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.bool)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = True
    return ids, mask


def optimizer_step(loss, model, optimizer):
    """backward, clipping the gradient norm at 1.0, AdamW's step, zero_grad; the loss as a float."""
    loss.backward()
    torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return loss.item()


def timed_passes(batches, step):
    """step(batch) over the batches twice, a warm-up pass then the timed one: the seconds of each and step's results."""
    seconds, results = [], []
    for _ in range(2):
        start = time.perf_counter()
        for batch in batches:
            results.append(step(batch))
        seconds.append(time.perf_counter() - start)
    return seconds, results
