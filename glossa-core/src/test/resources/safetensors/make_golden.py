"""Writes the golden safetensors file used by SafeTensorsTest, with HuggingFace's own writer.

Produced with safetensors 0.8.0 (the Rust writer behind `pip install safetensors`) and numpy:
    PYTHONPATH=<dir with safetensors> python3 make_golden.py
The Java test checks that our reader sees exactly these values and that our writer, given the
same tensors and metadata, produces the same bytes.
"""
import ctypes

import numpy as np
from safetensors import TensorSpec, serialize


def bf16_bytes(values):
    # bfloat16 is the top half of a float32; the values below are exact in bf16, so truncation is exact.
    bits = (np.array(values, dtype="<f4").view("<u4") >> 16).astype("<u2")
    return bits.tobytes()


arrays = {
    "f32": np.array([[-1.5, 0.0, 0.25], [1.0, 3.5, 1e-3]], dtype="<f4"),
    "f64_scalar": np.array(3.25, dtype="<f8"),
    "f16": np.array([1.0, -2.0, 0.5, 65504.0], dtype="<f2"),
    "i64": np.array([-1, 2**40, 2**63 - 1], dtype="<i8"),
    "i32": np.array([-7, 123456], dtype="<i4"),
    "i16": np.array([-300, 300], dtype="<i2"),
    "i8": np.array([-128, 0, 127], dtype="i1"),
    "u8": np.array([0, 200, 255], dtype="u1"),
    "bool": np.array([True, False, True], dtype="?"),
    "empty": np.zeros((0, 3), dtype="<f4"),
    "layer.10.weight": np.array([10.0, 10.5], dtype="<f4"),
    "layer.2.weight": np.array([2.0, 2.5], dtype="<f4"),
    'quote"back\\slash': np.array([7], dtype="u1"),
    "\u00fcn\u00efcode": np.array([8], dtype="u1"),
}
numpy_names = {"f4": "float32", "f8": "float64", "f2": "float16", "i8": "int64", "i4": "int32",
               "i2": "int16", "i1": "int8", "u1": "uint8", "b1": "bool"}

keep_alive = []
specs = {}
for name, array in arrays.items():
    raw = ctypes.create_string_buffer(array.tobytes(), max(array.nbytes, 1))
    keep_alive.append(raw)
    dtype = numpy_names[array.dtype.str[1:]]
    specs[name] = TensorSpec(dtype=dtype, shape=list(array.shape), data_ptr=ctypes.addressof(raw),
                             data_len=array.nbytes)
bf16 = bf16_bytes([1.0, -2.0, 3.140625, 0.0])
raw = ctypes.create_string_buffer(bf16, len(bf16))
keep_alive.append(raw)
specs["bf16"] = TensorSpec(dtype="bfloat16", shape=[2, 2], data_ptr=ctypes.addressof(raw), data_len=len(bf16))

# One metadata key only: the Rust writer keeps metadata in a hash map, so several keys would come out
# in an unpredictable order. The value exercises JSON escaping (tab, a control character, non-ASCII).
metadata = {"note": "tab\there \u0001 \u00e9"}

with open("golden.safetensors", "wb") as out:
    out.write(bytes(serialize(specs, metadata=metadata)))
