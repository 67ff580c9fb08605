/** The data readers (data.py of an exported project): MNIST IDX, the lab's stored set, CIFAR binary, class folders. Python source, kept verbatim. */
export const DATA_PY = String.raw`"""
The data a run trains on, as Gradient Lab reads it: labelled images, one byte per value, channel first
([N, C, H, W] uint8), with class names. A pixel the network sees is byte / 255, as the lab computes it.

'load_dataset(path)' recognises, by what the path holds:
  - MNIST IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
    t10k-labels-idx1-ubyte, each raw or .gz; an optional classes.txt names the classes, one per line);
  - the lab's stored set: a .safetensors file (or a folder holding one) with U8 tensors train.images
    [N, C, H, W], train.labels, test.images, test.labels and the set's name, classes and fingerprint in
    its metadata: the exact images of any set the lab imported, whatever their first format;
  - CIFAR binary: data_batch_1.bin ... data_batch_5.bin and test_batch.bin (CIFAR-10), or train.bin and
    test.bin (CIFAR-100, fine labels);
  - a class-folder tree: train/<class>/<image> and test/<class>/<image> (PNG, JPEG, BMP, ... via Pillow).
"""
import gzip
import json
import os
import struct

import numpy as np
import torch

MNIST_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
DIGITS = [str(d) for d in range(10)]


class Dataset:
    def __init__(self, name, classes, train_images, train_labels, test_images, test_labels, fingerprint=None):
        self.name = name
        self.fingerprint = fingerprint  # the lab's content fingerprint, when the data carry it (a stored set)
        self.classes = list(classes)
        self.train_images, self.train_labels = train_images, train_labels.long()
        self.test_images, self.test_labels = test_images, test_labels.long()
        for split, images, labels in (("train", train_images, self.train_labels), ("test", test_images, self.test_labels)):
            if images.dim() != 4 or images.dtype != torch.uint8:
                raise ValueError("%s: %s images must be uint8 [N, C, H, W], got %s %s" % (name, split, images.dtype, list(images.shape)))
            if images.shape[0] != labels.shape[0]:
                raise ValueError("%s: %d %s images but %d labels" % (name, images.shape[0], split, labels.shape[0]))
            if labels.numel() and int(labels.max()) >= len(self.classes):
                raise ValueError("%s: a %s label is %d, but there are %d classes" % (name, split, int(labels.max()), len(self.classes)))

    @property
    def sample_shape(self):
        return list(self.train_images.shape[1:])

    def limited(self, train_limit=None, test_limit=None):
        """The first N images of each split, as the lab's trainLimit and testLimit slice them."""
        return Dataset(self.name, self.classes, self.train_images[:train_limit], self.train_labels[:train_limit],
                       self.test_images[:test_limit], self.test_labels[:test_limit], self.fingerprint)


def to_pixels(images, dtype=torch.float32):
    """byte / 255, divided in float64 and then rounded to 'dtype': the lab's values exactly."""
    return (images.to(torch.float64) / 255).to(dtype)


def load_dataset(path):
    path = os.path.expanduser(path)
    if os.path.isfile(path) and path.endswith(".safetensors"):
        return read_stored_set(path)
    if not os.path.isdir(path):
        raise FileNotFoundError("%s: no such data folder or stored set" % path)
    if _find(path, MNIST_FILES["train_images"]):
        return read_idx_set(path)
    stored = [f for f in sorted(os.listdir(path)) if f.endswith(".safetensors")]
    if len(stored) == 1:
        return read_stored_set(os.path.join(path, stored[0]))
    if os.path.exists(os.path.join(path, "data_batch_1.bin")) or os.path.exists(os.path.join(path, "train.bin")):
        return read_cifar(path)
    if os.path.isdir(os.path.join(path, "train")) and os.path.isdir(os.path.join(path, "test")):
        return read_class_folders(path)
    raise ValueError("%s: holds no MNIST IDX files, CIFAR batches or train/ and test/ class folders" % path)


# ---- MNIST IDX ----

def _find(folder, name):
    for candidate in (name, name + ".gz"):
        full = os.path.join(folder, candidate)
        if os.path.exists(full):
            return full
    return None


def read_idx(path):
    """An IDX array (unsigned bytes), raw or gzip: magic 0x0000 0x08 <dims>, then big-endian sizes."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        raise ValueError("%s: not an IDX file of unsigned bytes" % path)
    dims = struct.unpack(">%dI" % data[3], data[4:4 + 4 * data[3]])
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims))
    if values.size != int(np.prod(dims)):
        raise ValueError("%s: holds %d values, its dimensions %s say %d" % (path, values.size, dims, int(np.prod(dims))))
    return torch.from_numpy(values.reshape(dims).copy())


def read_idx_set(folder):
    parts = {}
    for key, name in MNIST_FILES.items():
        found = _find(folder, name)
        if found is None:
            raise FileNotFoundError("%s: missing %s (or %s.gz)" % (folder, name, name))
        parts[key] = read_idx(found)
    images = {k: v if v.dim() == 4 else v.unsqueeze(1) for k, v in parts.items() if k.endswith("images")}
    classes_file = os.path.join(folder, "classes.txt")
    if os.path.exists(classes_file):
        with open(classes_file, encoding="utf-8") as f:
            classes = [line.strip() for line in f if line.strip()]
    else:
        classes = DIGITS
    return Dataset(os.path.basename(os.path.normpath(folder)), classes, images["train_images"], parts["train_labels"],
                   images["test_images"], parts["test_labels"])


# ---- the lab's stored set ----

def read_stored_set(path):
    from safetensors_io import read_safetensors
    tensors, metadata = read_safetensors(path)
    missing = [n for n in ("train.images", "train.labels", "test.images", "test.labels") if n not in tensors]
    if missing:
        raise ValueError("%s: not a stored set, it lacks %s" % (path, ", ".join(missing)))
    about = json.loads(metadata.get("dataset", "{}"))  # format, name, classes, source, fingerprint
    count = int(max(tensors["train.labels"].max(), tensors["test.labels"].max())) + 1
    classes = about.get("classes") or [str(k) for k in range(count)]
    name = about.get("name", os.path.splitext(os.path.basename(path))[0])
    return Dataset(name, classes, tensors["train.images"], tensors["train.labels"], tensors["test.images"], tensors["test.labels"],
                   about.get("fingerprint"))


# ---- CIFAR binary ----

def _cifar_records(paths, label_bytes):
    """Each record: label byte(s), then 1,024 red, 1,024 green and 1,024 blue bytes (32x32, row-major)."""
    data = b"".join(open(p, "rb").read() for p in paths)
    size = label_bytes + 3 * 32 * 32
    if len(data) % size:
        raise ValueError("%s: not whole CIFAR records of %d bytes" % (", ".join(paths), size))
    records = np.frombuffer(data, dtype=np.uint8).reshape(-1, size)
    labels = torch.from_numpy(records[:, label_bytes - 1].astype(np.int64))  # CIFAR-100: the fine label
    images = torch.from_numpy(records[:, label_bytes:].reshape(-1, 3, 32, 32).copy())
    return images, labels


def _names(folder, *candidates):
    for name in candidates:
        full = os.path.join(folder, name)
        if os.path.exists(full):
            with open(full, encoding="utf-8") as f:
                return [line.strip() for line in f if line.strip()]
    return None


def read_cifar(folder):
    if os.path.exists(os.path.join(folder, "data_batch_1.bin")):
        batches = sorted(p for p in os.listdir(folder) if p.startswith("data_batch_") and p.endswith(".bin"))
        train = _cifar_records([os.path.join(folder, p) for p in batches], 1)
        test = _cifar_records([os.path.join(folder, "test_batch.bin")], 1)
        classes = _names(folder, "batches.meta.txt") or [str(k) for k in range(10)]
    else:
        train = _cifar_records([os.path.join(folder, "train.bin")], 2)
        test = _cifar_records([os.path.join(folder, "test.bin")], 2)
        classes = _names(folder, "fine_label_names.txt") or [str(k) for k in range(100)]
    return Dataset(os.path.basename(os.path.normpath(folder)), classes, train[0], train[1], test[0], test[1])


# ---- a class-folder tree ----

def read_class_folders(folder):
    """train/<class>/* and test/<class>/*, classes and files in name order; every image at one size.

    A set is colour (3 channels) if any image has colour, else grey; an image's grey value is the lab's
    round(0.299 R + 0.587 G + 0.114 B). The lab's own import also resizes to one size and shuffles each
    split with a seed: for the exact images and order of a set the lab imported, use the stored set that
    'lab export' writes into data/."""
    from PIL import Image
    classes = sorted(d for d in os.listdir(os.path.join(folder, "train")) if os.path.isdir(os.path.join(folder, "train", d)))
    splits = []
    for split in ("train", "test"):
        images, labels = [], []
        for label, name in enumerate(classes):
            directory = os.path.join(folder, split, name)
            for file in sorted(os.listdir(directory)) if os.path.isdir(directory) else []:
                with Image.open(os.path.join(directory, file)) as image:
                    rgb = np.asarray(_over_white(image).convert("RGB"), dtype=np.uint8).transpose(2, 0, 1)
                images.append(rgb)
                labels.append(label)
        splits.append((images, labels))
    every = [image for images, _ in splits for image in images]
    shapes = {image.shape for image in every}
    if len(shapes) > 1:
        raise ValueError("%s: images of several sizes %s; the lab's import makes them one (use its stored set)" % (folder, sorted(shapes)))
    colour = any((image[0] != image[1]).any() or (image[1] != image[2]).any() for image in every)
    out = []
    for images, labels in splits:
        stacked = np.stack(images).astype(np.int64)
        if not colour:
            stacked = (299 * stacked[:, 0:1] + 587 * stacked[:, 1:2] + 114 * stacked[:, 2:3] + 500) // 1000
        out.append((torch.from_numpy(stacked.astype(np.uint8)), torch.tensor(labels, dtype=torch.int64)))
    return Dataset(os.path.basename(os.path.normpath(folder)), classes, out[0][0], out[0][1], out[1][0], out[1][1])


def _over_white(image):
    """Transparency composited over white, as the lab's import does."""
    from PIL import Image
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, image).convert("RGB")
    return image
`
