"""Writes the PyTorch reference outputs that CharRnnTest compares against.

Run with Debian's python3-torch (1.13): /usr/bin/python3 make_golden.py
For each cell type it builds the PyTorch module that CharRnn mirrors, seeded, saves its state_dict as
model.safetensors (written by hand below: the safetensors package is not installed) with config.json, and
records the logits and final states of two consecutive calls, the second starting from the first's state.
"""
import json
import os
import struct

import torch
from torch import nn


class CharRnn(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embedding = nn.Embedding(c["vocab_size"], c["embedding_size"])
        rnn = nn.LSTM if c["cell_type"] == "lstm" else nn.GRU
        self.rnn = rnn(c["embedding_size"], c["hidden_size"], c["num_layers"], dropout=c["dropout"], batch_first=True)
        self.dense = nn.Linear(c["hidden_size"], c["vocab_size"])

    def forward(self, ids, state=None):
        out, state = self.rnn(self.embedding(ids), state)
        return self.dense(out), state


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


def state_list(state):
    return [s.reshape(-1).tolist() for s in (state if isinstance(state, tuple) else (state,))]


for cell in ["gru", "lstm"]:
    torch.manual_seed(1234)
    config = {"model_type": "glossa-char-rnn", "architectures": ["CharRnnModel"], "vocab_size": 11,
              "embedding_size": 5, "hidden_size": 7, "num_layers": 2, "cell_type": cell, "dropout": 0.0}
    model = CharRnn(config).eval()
    first = torch.randint(0, 11, (2, 6))
    second = torch.randint(0, 11, (2, 4))
    with torch.no_grad():
        logits1, state1 = model(first)
        logits2, state2 = model(second, state1)
    os.makedirs(cell, exist_ok=True)
    write_safetensors(os.path.join(cell, "model.safetensors"), model.state_dict())
    with open(os.path.join(cell, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    with open(os.path.join(cell, "expected.json"), "w") as f:
        json.dump({"torch_version": torch.__version__,
                   "first_ids": first.reshape(-1).tolist(), "first_shape": list(first.shape),
                   "second_ids": second.reshape(-1).tolist(), "second_shape": list(second.shape),
                   "first_logits": logits1.reshape(-1).tolist(), "first_state": state_list(state1),
                   "second_logits": logits2.reshape(-1).tolist(), "second_state": state_list(state2),
                   "parameter_names": list(model.state_dict().keys())}, f)
