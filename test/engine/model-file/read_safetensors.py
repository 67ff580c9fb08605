"""An independent reader of the safetensors layout, written from the specification (not from our code):
8-byte little-endian header length, JSON header, tensors back to back. Prints one JSON object: the
metadata and, per tensor, its dtype, shape and the sum and first value of its data (float64)."""
import json
import struct
import sys

import numpy as np

DTYPES = {"F32": np.float32, "F64": np.float64}

with open(sys.argv[1], "rb") as f:
    data = f.read()
(n,) = struct.unpack("<Q", data[:8])
header = json.loads(data[8 : 8 + n])
body = data[8 + n :]
out = {"metadata": header.pop("__metadata__", {}), "tensors": {}}
end = 0
for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
    begin, stop = info["data_offsets"]
    assert begin == end, f"hole or overlap before {name}"
    end = stop
    array = np.frombuffer(body[begin:stop], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")).reshape(info["shape"])
    out["tensors"][name] = {"dtype": info["dtype"], "shape": list(array.shape), "sum": float(array.astype(np.float64).sum()), "first": float(array.flat[0])}
assert end == len(body), "data not covered exactly"
print(json.dumps(out))
