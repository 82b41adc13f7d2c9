"""Writes golden_config.json the way transformers writes config.json (json.dumps with indent=2 and a
trailing newline), except that keys stay in insertion order and non-ASCII stays UTF-8 (ensure_ascii=False).
HfConfigTest reads it and checks that HfConfig.write reproduces it byte for byte.

    python3 make_golden.py
"""
import json

config = {
    "architectures": ["BertModel"],
    "attention_probs_dropout_prob": 0.1,
    "hidden_act": "gelu",
    "hidden_size": 384,
    "id2label": {"0": "NEGATIVE", "1": "POSITIVE"},
    "initializer_range": 0.02,
    "layer_norm_eps": 1e-12,
    "model_type": "bert",
    "pad_token_id": 0,
    "position_embedding_type": "absolute",
    "torch_dtype": "float32",
    "transformers_version": "4.44.2",
    "use_cache": True,
    "tie_word_embeddings": False,
    "bos_token_id": None,
    "empty_object": {},
    "empty_list": [],
    "nested": {"list_of_lists": [[1, 2], [], [3.5]], "deeper": {"x": [True, None, "s"]}},
    "big_int": 12345678901234567890,
    "negative_int": -42,
    "text": "caf\u00e9 \u2014 \"quoted\" back\\slash tab\t newline\n ctrl\u0001 slash/",
    "floats": [0.1, 1e-12, 1e-06, 2e-05, 0.0001, 0.00001, 0.02, 768.0, 1.0, -2.5, 1e16, 1e22, 9999999999999998.0,
               123456789.123, 5e-324, 1.7976931348623157e308, 0.30000000000000004, 2.82879384806159e17,
               -0.0, 0.0, 1.5e300, 3.14159],
    "non_finite": [float("nan"), float("inf"), float("-inf")],
}

with open("golden_config.json", "w", encoding="utf-8") as out:
    out.write(json.dumps(config, indent=2, ensure_ascii=False) + "\n")
