"""Writes golden.json, the PyTorch reference outputs that the attention and Transformer layer tests compare against.

Run with Debian's python3-torch (1.13): /usr/bin/python3 make_golden.py (writes golden.json beside this file).

Every case builds PyTorch's own module (nn.MultiheadAttention, nn.TransformerEncoderLayer, nn.TransformerDecoderLayer,
batch_first, seeded), runs it on seeded random inputs with gradients enabled (so that PyTorch takes its ordinary
path, not the inference fast path), and records the weights under Glossa's names, the inputs, the masks and the
outputs. Name mapping: in_proj_weight/in_proj_bias are split in three (q_proj, k_proj, v_proj); linear1/linear2 are
fc1/fc2; norm1/norm2(/norm3) are self_attn_layer_norm, (encoder_attn_layer_norm,) final_layer_norm; multihead_attn is
encoder_attn. PyTorch's masks say True = hidden; ours say True = may attend: the file stores ours ("keep").

The sinusoidal table is computed here with numpy as the TensorFlow Transformer tutorial (and HF's Marian) lay it out:
angle(pos, i) = pos / 10000^(2i/d) for i < d/2, sines in the first half of the vector, cosines in the second.
"""
import json
import os

import numpy as np
import torch
from torch import nn

D, HEADS, FFN = 8, 2, 16


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def mha_weights(mha, prefix):
    w, b = mha.in_proj_weight, mha.in_proj_bias
    out = {}
    for i, name in enumerate(["q_proj", "k_proj", "v_proj"]):
        out[prefix + name + ".weight"] = w[i * D:(i + 1) * D]
        out[prefix + name + ".bias"] = b[i * D:(i + 1) * D]
    out[prefix + "out_proj.weight"] = mha.out_proj.weight
    out[prefix + "out_proj.bias"] = mha.out_proj.bias
    return out


def serialise(weights):
    return {name: {"shape": list(t.shape), "data": flat(t)} for name, t in weights.items()}


def padding_keep(lengths, length):
    return torch.arange(length)[None, :] < torch.tensor(lengths)[:, None]  # (B, T) True = real token


def causal_keep(length):
    return torch.ones(length, length, dtype=torch.bool).tril()  # (T, T) True = may attend


def tensor_entry(t):
    return {"shape": list(t.shape), "data": flat(t.float())}


def mha_case(seed, tq, tk, lengths, causal, cross):
    torch.manual_seed(seed)
    mha = nn.MultiheadAttention(D, HEADS, batch_first=True)
    nn.init.normal_(mha.in_proj_bias, std=0.1)  # PyTorch starts biases at zero: make them count
    nn.init.normal_(mha.out_proj.bias, std=0.1)
    query = torch.randn(len(lengths), tq, D)
    memory = torch.randn(len(lengths), tk, D) if cross else query
    keep = padding_keep(lengths, tk)
    attn_keep = causal_keep(tq) if causal else None
    out, weights = mha(query, memory, memory, key_padding_mask=~keep,
                       attn_mask=None if attn_keep is None else ~attn_keep, need_weights=True,
                       average_attn_weights=False)
    case = {"weights": serialise(mha_weights(mha, "")), "query": tensor_entry(query), "key_value": tensor_entry(memory),
            "key_lengths": lengths, "causal": causal, "output": tensor_entry(out), "attention": tensor_entry(weights)}
    return case


def encoder_case(seed, norm_first, activation, lengths, length):
    torch.manual_seed(seed)
    layer = nn.TransformerEncoderLayer(D, HEADS, FFN, dropout=0.0, activation=activation, batch_first=True,
                                       norm_first=norm_first)
    for norm in [layer.norm1, layer.norm2]:  # LayerNorm starts at (1, 0): make its parameters count
        nn.init.normal_(norm.weight, 1.0, 0.2)
        nn.init.normal_(norm.bias, 0.0, 0.2)
    x = torch.randn(len(lengths), length, D)
    keep = padding_keep(lengths, length)
    out = layer(x, src_key_padding_mask=~keep)
    weights = mha_weights(layer.self_attn, "self_attn.")
    weights.update({"self_attn_layer_norm.weight": layer.norm1.weight, "self_attn_layer_norm.bias": layer.norm1.bias,
                    "fc1.weight": layer.linear1.weight, "fc1.bias": layer.linear1.bias,
                    "fc2.weight": layer.linear2.weight, "fc2.bias": layer.linear2.bias,
                    "final_layer_norm.weight": layer.norm2.weight, "final_layer_norm.bias": layer.norm2.bias})
    return {"pre_layer_norm": norm_first, "activation": activation, "weights": serialise(weights),
            "input": tensor_entry(x), "lengths": lengths, "output": tensor_entry(out)}


def decoder_case(seed, norm_first, activation, target_length, memory_lengths, memory_length):
    torch.manual_seed(seed)
    layer = nn.TransformerDecoderLayer(D, HEADS, FFN, dropout=0.0, activation=activation, batch_first=True,
                                       norm_first=norm_first)
    for norm in [layer.norm1, layer.norm2, layer.norm3]:
        nn.init.normal_(norm.weight, 1.0, 0.2)
        nn.init.normal_(norm.bias, 0.0, 0.2)
    batch = len(memory_lengths)
    x = torch.randn(batch, target_length, D)
    memory = torch.randn(batch, memory_length, D)
    memory_keep = padding_keep(memory_lengths, memory_length)
    out = layer(x, memory, tgt_mask=~causal_keep(target_length), memory_key_padding_mask=~memory_keep)
    weights = mha_weights(layer.self_attn, "self_attn.")
    weights.update({"self_attn_layer_norm.weight": layer.norm1.weight, "self_attn_layer_norm.bias": layer.norm1.bias})
    weights.update(mha_weights(layer.multihead_attn, "encoder_attn."))
    weights.update({"encoder_attn_layer_norm.weight": layer.norm2.weight,
                    "encoder_attn_layer_norm.bias": layer.norm2.bias,
                    "fc1.weight": layer.linear1.weight, "fc1.bias": layer.linear1.bias,
                    "fc2.weight": layer.linear2.weight, "fc2.bias": layer.linear2.bias,
                    "final_layer_norm.weight": layer.norm3.weight, "final_layer_norm.bias": layer.norm3.bias})
    return {"pre_layer_norm": norm_first, "activation": activation, "weights": serialise(weights),
            "input": tensor_entry(x), "memory": tensor_entry(memory), "memory_lengths": memory_lengths,
            "output": tensor_entry(out)}


def sinusoid(length, dim):
    positions = np.arange(length)[:, None]
    rates = 1.0 / (10000 ** (np.arange(dim // 2) / (dim // 2)))  # 10000^(-2i/d)
    angles = positions * rates[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=-1)


golden = {
    "torch_version": torch.__version__,
    "d_model": D, "heads": HEADS, "ffn_dim": FFN,
    "attention": {
        "self_padding": mha_case(1, 5, 5, [5, 3], causal=False, cross=False),
        "self_causal": mha_case(2, 5, 5, [5, 4], causal=True, cross=False),
        "cross": mha_case(3, 4, 6, [6, 2], causal=False, cross=True),
    },
    "encoder_layer": {
        "post_relu": encoder_case(4, False, "relu", [5, 3], 5),
        "pre_gelu": encoder_case(5, True, "gelu", [5, 3], 5),
    },
    "decoder_layer": {
        "post_relu": decoder_case(6, False, "relu", 4, [6, 2], 6),
        "pre_gelu": decoder_case(7, True, "gelu", 4, [6, 2], 6),
    },
    "sinusoid": {"length": 12, "dim": 16, "table": [float(v) for v in sinusoid(12, 16).reshape(-1)]},
}

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json"), "w") as f:
    json.dump(golden, f)
