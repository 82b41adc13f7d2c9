"""Writes the PyTorch reference that RnnAttentionTest compares against.

Run with Debian's python3-torch (1.13): /usr/bin/python3 make_golden.py
For each case (additive attention with 2 + 2 layers; multiplicative with 1 + 1) it builds the PyTorch module that
RnnAttention mirrors, seeded, saves its state_dict as model.safetensors (written by hand: the safetensors package is
not installed) with config.json, and records for a padded batch the encoder's annotations, the teacher-forced
logits and the attention weights in expected.json.

The encoder here runs nn.GRU(bidirectional=True) over pack_padded_sequence, PyTorch's own way of keeping padding
out of the backward direction; Glossa reverses each row within its length instead, so the two must agree. The
decoder is a Python loop over nn.GRU steps with the attention written out with -inf masking.
"""
import json
import os
import struct

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.additive = c["attention"] == "additive"
        annotations = 2 * c["encoder_hidden_size"]
        if self.additive:
            self.query = nn.Linear(c["decoder_hidden_size"], c["attention_size"], bias=False)
            self.key = nn.Linear(annotations, c["attention_size"])
            self.energy = nn.Linear(c["attention_size"], 1, bias=False)
        else:
            self.key = nn.Linear(annotations, c["decoder_hidden_size"], bias=False)

    def forward(self, state, annotations, keep):
        if self.additive:
            scores = self.energy(torch.tanh(self.key(annotations) + self.query(state)[:, None, :])).squeeze(2)
        else:
            scores = torch.bmm(self.key(annotations), state[:, :, None]).squeeze(2)
        return torch.softmax(scores.masked_fill(~keep, float("-inf")), dim=-1)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embedding = nn.Embedding(c["source_vocab_size"], c["embedding_size"])
        self.rnn = nn.GRU(c["embedding_size"], c["encoder_hidden_size"], c["encoder_layers"], batch_first=True,
                          bidirectional=True, dropout=c["dropout"])

    def forward(self, ids, keep):
        lengths = keep.sum(1)
        packed = pack_padded_sequence(self.embedding(ids), lengths, batch_first=True, enforce_sorted=False)
        out, last = self.rnn(packed)
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=ids.shape[1])
        return out, torch.cat([last[-2], last[-1]], dim=1)  # top layer: forward's last state, backward's


class Decoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        annotations = 2 * c["encoder_hidden_size"]
        self.embedding = nn.Embedding(c["target_vocab_size"], c["embedding_size"])
        self.bridge = nn.Linear(annotations, c["decoder_layers"] * c["decoder_hidden_size"])
        self.attention = Attention(c)
        self.rnn = nn.GRU(c["embedding_size"] + annotations, c["decoder_hidden_size"], c["decoder_layers"],
                          batch_first=True, dropout=c["dropout"])
        self.output = nn.Linear(c["decoder_hidden_size"] + annotations + c["embedding_size"], c["target_vocab_size"])

    def forward(self, target_in, annotations, summary, keep):
        batch = target_in.shape[0]
        state = torch.tanh(self.bridge(summary)).view(batch, self.c["decoder_layers"], -1).transpose(0, 1).contiguous()
        embedded = self.embedding(target_in)
        features, weights = [], []
        for t in range(target_in.shape[1]):
            alpha = self.attention(state[-1], annotations, keep)
            context = torch.bmm(alpha[:, None, :], annotations).squeeze(1)
            out, state = self.rnn(torch.cat([embedded[:, t], context], dim=1)[:, None, :], state)
            features.append(torch.cat([out[:, 0], context, embedded[:, t]], dim=1))
            weights.append(alpha)
        return self.output(torch.stack(features, 1)), torch.stack(weights, 1)


class RnnAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.encoder = Encoder(c)
        self.decoder = Decoder(c)

    def forward(self, source, target_in, pad):
        keep = source != pad
        annotations, summary = self.encoder(source, keep)
        logits, weights = self.decoder(target_in, annotations, summary, keep)
        return annotations, logits, weights


def write_safetensors(path, tensors):
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def make(name, seed, attention, encoder_layers, decoder_layers):
    config = {"model_type": "glossa-rnn-attention", "architectures": ["RnnAttentionForTranslation"],
              "source_vocab_size": 11, "target_vocab_size": 9, "embedding_size": 6, "encoder_hidden_size": 5,
              "encoder_layers": encoder_layers, "decoder_hidden_size": 7, "decoder_layers": decoder_layers,
              "attention": attention, "attention_size": 4, "dropout": 0.0, "pad_token_id": 0, "eos_token_id": 2,
              "decoder_start_token_id": 1}
    torch.manual_seed(seed)
    model = RnnAttention(config).eval()
    source = torch.tensor([[3, 4, 5, 6, 7], [8, 9, 10, 0, 0], [5, 0, 0, 0, 0]])
    target_in = torch.tensor([[1, 3, 4, 5], [1, 6, 7, 0], [1, 8, 0, 0]])
    with torch.no_grad():
        annotations, logits, weights = model(source, target_in, 0)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
    os.makedirs(out, exist_ok=True)
    write_safetensors(os.path.join(out, "model.safetensors"), model.state_dict())
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    expected = {"torch_version": torch.__version__, "parameter_names": list(model.state_dict().keys()),
                "source": flat(source), "source_shape": list(source.shape),
                "target_in": flat(target_in), "target_in_shape": list(target_in.shape),
                "annotations": flat(annotations), "logits": flat(logits), "attention": flat(weights)}
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f)


make("additive", 21, "additive", 2, 2)
make("multiplicative", 22, "multiplicative", 1, 1)
