/** A pure-Python safetensors reader and writer and the lab's model file (safetensors_io.py of an exported project). Python source, kept verbatim. */
export const SAFETENSORS_IO_PY = String.raw`"""
safetensors files, read and written without needing the 'safetensors' package (it is used when
installed), and Gradient Lab's model file on top of them.

The container, as its specification writes it: an 8-byte little-endian header length N, N bytes of JSON
header ({name: {dtype, shape, data_offsets}} and "__metadata__", a map of strings), then the tensors'
bytes back to back. Gradient Lab pads the header with spaces so the data start on an 8-byte boundary.

A model file's metadata holds the run: its settings ('config', JSON), 'input_shape', 'dataset',
'metrics', 'iteration', and for a checkpoint the generator's state, the optimizer's counters and the last
evaluation ('checkpoint'). Its tensors are the network's ('affine1.W', 'batchnorm1.runningMean', ...) and a
checkpoint's optimizer buffers ('optimizer.<slot>.<parameter>').
"""
import json
import os
import struct

import numpy as np
import torch

try:  # the package is optional: the pure reader and writer below give the same tensors
    import safetensors as _safetensors_package  # noqa: F401
    from safetensors.torch import save_file as _package_save
    from safetensors import safe_open as _package_open
except ImportError:
    _package_save = None
    _package_open = None

_NUMPY_DTYPES = {"F64": "<f8", "F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}
_TORCH_TO_SAFETENSORS = {torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.int64: "I64", torch.int32: "I32",
                         torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}

MODEL_FORMAT = "gradient-lab-model"
MODEL_FORMAT_VERSION = 1


def read_safetensors(path):
    """Returns (tensors: {name: CPU tensor}, metadata: {str: str}); the file's own tensor order is kept."""
    if _package_open is not None:
        with _package_open(path, framework="pt") as f:
            metadata = dict(f.metadata() or {})
            names = list(f.keys())
            tensors = {name: f.get_tensor(name) for name in names}
        return _in_file_order(path, tensors), metadata
    with open(path, "rb") as f:
        data = f.read()
    header, start = _header(data, path)
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        begin, end = entry["data_offsets"]
        dtype = _NUMPY_DTYPES.get(entry["dtype"])
        if dtype is None:
            raise ValueError("%s: tensor %r has dtype %s, which this reader does not know" % (path, name, entry["dtype"]))
        values = np.frombuffer(data, dtype=dtype, count=(end - begin) // np.dtype(dtype).itemsize, offset=start + begin)
        tensors[name] = torch.from_numpy(values.astype(values.dtype.newbyteorder("="), copy=True).reshape(entry["shape"]))
    return tensors, metadata


def _header(data, path):
    if len(data) < 8:
        raise ValueError("%s: too short to be a safetensors file" % path)
    (length,) = struct.unpack("<Q", data[:8])
    if 8 + length > len(data):
        raise ValueError("%s: the header length (%d) runs past the end of the file" % (path, length))
    return json.loads(data[8:8 + length].decode("utf-8")), 8 + length


def _in_file_order(path, tensors):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length).decode("utf-8"))
    header.pop("__metadata__", None)
    order = sorted(header, key=lambda name: header[name]["data_offsets"][0])
    return {name: tensors[name] for name in order}


def write_safetensors(path, tensors, metadata):
    """Writes {name: tensor} in the given order with string metadata; atomically (a temporary file, then a rename)."""
    cpu = {name: t.detach().to("cpu").contiguous() for name, t in tensors.items()}
    temporary = "%s.%d.tmp" % (path, os.getpid())
    try:
        if _package_save is not None:
            _package_save({name: t.clone() for name, t in cpu.items()}, temporary, metadata=metadata)
        else:
            _write_pure(temporary, cpu, metadata)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _write_pure(path, tensors, metadata):
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        dtype = _TORCH_TO_SAFETENSORS[t.dtype]
        blob = t.numpy().astype(_NUMPY_DTYPES[dtype], copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
        f.flush()
        os.fsync(f.fileno())


# ---- Gradient Lab's model file ----

class ModelFile:
    """A model file's parts: the parsed metadata and the tensors, by name."""

    def __init__(self, tensors, metadata):
        if metadata.get("format") != MODEL_FORMAT:
            raise ValueError("not a Gradient Lab model: its metadata does not say format %r" % MODEL_FORMAT)
        if int(metadata.get("format_version", "0")) > MODEL_FORMAT_VERSION:
            raise ValueError("the model was made by a newer Gradient Lab (format version %s)" % metadata["format_version"])
        self.metadata = dict(metadata)
        self.tensors = tensors
        self.kind = metadata["kind"]
        self.config = json.loads(metadata["config"])
        self.input_shape = json.loads(metadata["input_shape"])
        self.iteration = int(metadata.get("iteration", "0"))
        self.checkpoint = json.loads(metadata["checkpoint"]) if "checkpoint" in metadata else None

    def network_tensors(self):
        return {name: t for name, t in self.tensors.items() if not name.startswith("optimizer.")}

    def optimizer_tensors(self):
        """{slot: {parameter name: tensor}} in file order."""
        slots = {}
        for name, t in self.tensors.items():
            if name.startswith("optimizer."):
                slot, param = name[len("optimizer."):].split(".", 1)
                slots.setdefault(slot, {})[param] = t
        return slots


def read_model_file(path):
    tensors, metadata = read_safetensors(path)
    return ModelFile(tensors, metadata)


def write_model_file(path, network_tensors, optimizer_slots, metadata):
    """network_tensors: {name: tensor}; optimizer_slots: {slot: {parameter: tensor}} (a checkpoint's buffers)."""
    tensors = dict(network_tensors)
    for slot, buffers in optimizer_slots.items():
        for param, t in buffers.items():
            tensors["optimizer.%s.%s" % (slot, param)] = t
    write_safetensors(path, tensors, {key: str(value) for key, value in metadata.items()})
`
