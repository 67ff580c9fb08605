/** train.py of an exported project after its settings block (export-pytorch.ts writes that block). Python source, kept verbatim. */
export const TRAIN_BODY_PY = String.raw`import argparse
import datetime
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F

from augment import augment_batch
from data import load_dataset, to_pixels
from lab_random import LabRandom
from model import CLASSES, INPUT_SHAPE, LabNet
from optimizers import create_optimizer
from safetensors_io import read_model_file, write_model_file

HERE = os.path.dirname(os.path.abspath(__file__))
LOG_EPSILON = 1e-7  # the course's guard in log(p + 1e-7)


def parse_args():
    parser = argparse.ArgumentParser(description="Continue the Gradient Lab run in PyTorch (see README.md).")
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--iters", type=int, default=None, help="the run's total iterations, counted from its start (default: the run's)")
    parser.add_argument("--eval-every", type=int, default=None, help="evaluate every N iterations (default: the run's)")
    parser.add_argument("--eval-subset", type=int, default=None, help="intermediate evaluations on the first K images only")
    parser.add_argument("--data", default=os.path.join(HERE, "data"), help="the data: MNIST IDX folder, stored set, CIFAR batches or class folders")
    parser.add_argument("--checkpoint", default=os.path.join(HERE, CHECKPOINT), help="the model file to start from")
    parser.add_argument("--out", default=None, help="write the result as a Gradient Lab model file (a checkpoint)")
    parser.add_argument("--json", action="store_true", help="print the lines 'lab train --json' prints")
    return parser.parse_args()


class Processes:
    """One process, or one of WORLD_SIZE under torchrun (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR/PORT set)."""

    def __init__(self, device_kind):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        if device_kind == "cuda":
            if not torch.cuda.is_available():
                raise SystemExit("train.py: --device cuda, but PyTorch sees no CUDA device")
            torch.cuda.set_device(local_rank)
            self.device = torch.device("cuda", local_rank)
        else:
            self.device = torch.device("cpu")
        if self.world > 1:
            dist.init_process_group("nccl" if device_kind == "cuda" else "gloo", init_method="env://")

    def rows(self, batch):
        """This process's share of a lab batch: a contiguous range of its rows."""
        return batch * self.rank // self.world, batch * (self.rank + 1) // self.world

    def sum(self, tensor):
        if self.world > 1:
            dist.all_reduce(tensor)
        return tensor

    def differentiable_sum(self, tensor):
        if self.world == 1:
            return tensor
        import torch.distributed.nn.functional as distributed_nn
        return distributed_nn.all_reduce(tensor)


def main():
    args = parse_args()
    config = dict(RUN)
    if args.iters is not None:
        config["iterations"] = args.iters
    if args.eval_every is not None:
        config["evalInterval"] = args.eval_every
    if args.eval_subset is not None:
        config["evalSubset"] = args.eval_subset
    procs = Processes(args.device)
    start_time = time.perf_counter()

    checkpoint = read_model_file(args.checkpoint)
    start = checkpoint.iteration
    if config["iterations"] < start:
        raise SystemExit("train.py: the checkpoint is at iteration %d; --iters must be at least that" % start)
    if checkpoint.kind != "checkpoint" and config["iterations"] > start:
        raise SystemExit("train.py: %s is a model without training state (no optimizer buffers or generator): "
                         "it can be evaluated (--iters %d), not continued; export a checkpoint of the run instead" % (args.checkpoint, start))
    state = checkpoint.checkpoint or {}
    dtype = next(iter(checkpoint.network_tensors().values())).dtype

    dataset = load_dataset(args.data).limited(config.get("trainLimit"), config.get("testLimit"))
    expected = INPUT_SHAPE if len(INPUT_SHAPE) == 3 else None
    if expected is not None and dataset.sample_shape != expected:
        raise SystemExit("train.py: the data's images are %s, the network takes %s" % (dataset.sample_shape, expected))
    if expected is None and math.prod(dataset.sample_shape) != INPUT_SHAPE[0]:
        raise SystemExit("train.py: the data's images have %d values, the network takes %d" % (math.prod(dataset.sample_shape), INPUT_SHAPE[0]))
    if len(dataset.classes) != CLASSES:
        raise SystemExit("train.py: the data have %d classes, the network scores %d" % (len(dataset.classes), CLASSES))

    model = LabNet().to(dtype)
    model.load_state_dict(checkpoint.network_tensors(), strict=True)
    model.to(procs.device)
    trainable = trainable_parameters(model, config)
    frozen = {name for name, _ in model.named_parameters()} - {name for name, _ in trainable}
    for name, p in model.named_parameters():
        p.requires_grad_(name not in frozen)
    decayed = [(name, p) for name, p in trainable if name.endswith(".W")]  # weights, never biases or norms
    optimizer = create_optimizer(config["optimizer"], trainable, state.get("optimizer"), checkpoint.optimizer_tensors())
    random = LabRandom(config["seed"])
    if state.get("random"):
        random.restore_state(state["random"])
    model.context.random = random
    model.context.all_sum = procs.differentiable_sum
    network = model
    if procs.world > 1:
        from torch.nn.parallel import DistributedDataParallel
        # Buffers are not broadcast: every process computes the same running statistics from the synced ones.
        network = DistributedDataParallel(model, device_ids=[procs.device.index] if args.device == "cuda" else None, broadcast_buffers=False)

    def accuracy(images, labels, count):
        """Share of the first 'count' images classified right, in inference mode; each process scores its part."""
        model.eval()
        low, high = count * procs.rank // procs.world, count * (procs.rank + 1) // procs.world
        correct = torch.zeros((), dtype=torch.int64, device=procs.device)
        with torch.no_grad():
            for at in range(low, high, 1000):
                end = min(at + 1000, high)
                scores = model(to_pixels(images[at:end], dtype).to(procs.device))
                correct += (scores.argmax(dim=1) == labels[at:end].to(procs.device)).sum()
        return int(procs.sum(correct)) / count

    emit = print_json if args.json else print_course
    batch = config["batchSize"]
    low, high = procs.rows(batch)
    train_count = dataset.train_images.shape[0]
    last = state.get("lastEvaluation")
    elapsed_before = float(state.get("elapsedMs", 0))
    status, message = "completed", None

    for it in range(start + 1, config["iterations"] + 1):
        evaluating = it % config["evalInterval"] == 0 or it == config["iterations"]
        # The lab's batch: indices drawn with replacement from the lab's generator; this process takes its rows.
        indices = torch.tensor([random.int(train_count) for _ in range(batch)], dtype=torch.int64)[low:high]
        x = to_pixels(dataset.train_images[indices], dtype).to(procs.device)
        labels = dataset.train_labels[indices].to(procs.device)
        if config.get("augment"):
            augment_batch(x, config["augment"], random, (batch, low, high))
        model.train()
        model.context.rows = (batch, low, high)
        scores = network(x)
        loss = lab_loss(scores, labels, batch, procs) + penalty(config, decayed)
        if evaluating and config["trainAccuracy"] == "batch-before-update":
            train_acc = int(procs.sum((scores.argmax(dim=1) == labels).sum())) / batch
        # The gradient of the mean cross-entropy is (softmax - onehot) / batch, as the lab's backward is.
        # DistributedDataParallel averages over processes, so each process's share is scaled by their number.
        (F.cross_entropy(scores, labels, reduction="sum") * (procs.world / batch)).backward()
        add_penalty_gradient(config, decayed)
        optimizer.step()
        for _, p in model.named_parameters():
            p.grad = None
        if not math.isfinite(loss):
            status, message = "diverged", "the loss became %s at iteration %d" % (loss, it)
            break
        if not evaluating:
            continue
        limit = None if it == config["iterations"] else config.get("evalSubset")
        if config["trainAccuracy"] == "batch-after-update":
            model.eval()
            with torch.no_grad():
                train_acc = int(procs.sum((model(x).argmax(dim=1) == labels).sum())) / batch
        elif config["trainAccuracy"] == "train-set":
            train_acc = accuracy(dataset.train_images, dataset.train_labels, min(train_count, limit or train_count))
        test_count = dataset.test_images.shape[0]
        test_acc = accuracy(dataset.test_images, dataset.test_labels, min(test_count, limit or test_count))
        elapsed = elapsed_before + (time.perf_counter() - start_time) * 1000
        last = {"iter": it, "loss": loss, "trainAcc": train_acc, "testAcc": test_acc, "elapsedMs": elapsed}
        if procs.rank == 0:
            emit(last)

    trained = config["iterations"] > start
    if not trained:
        # Nothing to train: the checkpoint evaluated as it is.
        train_acc = accuracy(dataset.train_images, dataset.train_labels, train_count) if config["trainAccuracy"] == "train-set" else (last or {}).get("trainAcc")
        last_test = accuracy(dataset.test_images, dataset.test_labels, dataset.test_images.shape[0])
        final = {"iter": start, "trainAcc": train_acc, "testAcc": last_test}
    else:
        final = {"iter": it, "trainAcc": last and last["trainAcc"], "testAcc": last and last["testAcc"]}
    elapsed = elapsed_before + (time.perf_counter() - start_time) * 1000
    if procs.rank == 0:
        if args.json:
            done = {"done": True, **final, "elapsedMs": round(elapsed, 1)}
            if status != "completed":
                done.update(status=status, message=message)
            print(json.dumps(done), flush=True)
        elif not trained:
            print("iteration %d: test accuracy %.4f (nothing to train)" % (start, final["testAcc"]), flush=True)
        if status != "completed":
            print("train.py: %s" % message, file=sys.stderr)
        if args.out and status == "completed":
            save(args.out, model, optimizer, random, checkpoint, config, last, elapsed, trained, dataset, args)
            print("train.py: wrote %s" % args.out, file=sys.stderr)
    if procs.world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return 0 if status == "completed" else 1


def trainable_parameters(model, config):
    """Every parameter but those a course quirk freezes (the output layer's, the normalisations')."""
    frozen = set()
    freeze = config.get("freeze", {})
    names = [name for name, _ in model.named_parameters()]
    if freeze.get("outputLayer"):
        output = [n.split(".")[0] for n in names if n.startswith("affine")][-1]
        frozen |= {n for n in names if n.split(".")[0] == output}
    if freeze.get("normalization"):
        frozen |= {n for n in names if n.split(".")[0].rstrip("0123456789") in ("batchnorm", "layernorm", "groupnorm", "instancenorm")}
    return [(name, p) for name, p in model.named_parameters() if name not in frozen]


def lab_loss(scores, labels, batch, procs):
    """The lab's reported loss: mean over the whole lab batch of -log(softmax + 1e-7) at the label."""
    with torch.no_grad():
        p = torch.softmax(scores.double(), dim=1).to(scores.dtype).double()
        total = -torch.log(p.gather(1, labels[:, None]) + LOG_EPSILON).sum()
        return float(procs.sum(total)) / batch


def penalty(config, decayed):
    """Weight decay's term of the reported loss: 1/2.lambda.sum(w^2) (L2) or lambda.sum|w| (L1)."""
    reg = config.get("regularization", {"kind": "none"})
    if reg["kind"] == "none" or reg["lambda"] == 0:
        return 0.0
    with torch.no_grad():
        if reg["kind"] == "l2":
            return 0.5 * reg["lambda"] * sum(float((p.double() ** 2).sum()) for _, p in decayed)
        return reg["lambda"] * sum(float(p.double().abs().sum()) for _, p in decayed)


def add_penalty_gradient(config, decayed):
    """lambda.w (L2) or lambda.sign(w) (L1) added to each weight's gradient, as the lab adds it (after the data's)."""
    reg = config.get("regularization", {"kind": "none"})
    if reg["kind"] == "none" or reg["lambda"] == 0:
        return
    with torch.no_grad():
        for _, p in decayed:
            term = p.double() if reg["kind"] == "l2" else torch.sign(p.double())
            p.grad.copy_(p.grad.double() + reg["lambda"] * term)


def save(path, model, optimizer, random, checkpoint, config, last, elapsed, trained, dataset, args):
    """A Gradient Lab checkpoint: the lab's tensor names and order, the run's metadata, the generator's state."""
    state = dict(model.state_dict())
    order = list(checkpoint.network_tensors()) + [n for n in state if n not in checkpoint.network_tensors()]
    tensors = {name: state[name] for name in order}
    metadata = dict(checkpoint.metadata)
    metadata.update(kind="checkpoint", config=json.dumps(config, separators=(",", ":")), iteration=str(last["iter"] if trained else checkpoint.iteration),
                    app_version="%s (PyTorch %s)" % (LAB_VERSION, torch.__version__),
                    saved_at=datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"))
    if trained:
        metadata["metrics"] = json.dumps({"iter": last["iter"], "loss": last["loss"], "trainAcc": last["trainAcc"], "testAcc": last["testAcc"]})
        metadata["checkpoint"] = json.dumps({"iteration": last["iter"], "random": random.save_state(), "optimizer": optimizer.counters,
                                             "elapsedMs": elapsed, "lastEvaluation": last})
    if os.path.abspath(args.data) != os.path.join(HERE, "data"):
        # Other data than the run's: their own fingerprint when they carry it (a stored set), else a note,
        # so the lab says the model was trained on other data.
        fingerprint = dataset.fingerprint or "trained in PyTorch on " + os.path.abspath(args.data)
        metadata["dataset"] = json.dumps({"name": dataset.name, "fingerprint": fingerprint})
    write_model_file(path, tensors, optimizer.buffers, metadata)


def print_json(e):
    print(json.dumps({"iter": e["iter"], "loss": e["loss"], "trainAcc": e["trainAcc"], "testAcc": e["testAcc"], "elapsedMs": round(e["elapsedMs"], 1)}), flush=True)


def print_course(e):
    print("Generation: %d. 正答率(トレーニング) = %s" % (e["iter"], e["trainAcc"]))
    print("                : %d. 正答率(テスト) = %s" % (e["iter"], e["testAcc"]), flush=True)


if __name__ == "__main__":
    sys.exit(main())
`
