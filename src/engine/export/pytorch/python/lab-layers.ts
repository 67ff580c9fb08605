/** The lab's layers as PyTorch modules (lab_layers.py of an exported project). Python source, kept verbatim. */
export const LAB_LAYERS_PY = String.raw`"""
Gradient Lab's layers in PyTorch, computing what the lab's engine computes (src/engine/layers), with the
lab's tensor names and shapes, so a model file's tensors load by name:

  Affine        y = x.W + b, W shaped [inputs, outputs] (the course's layout, not nn.Linear's)
  Conv          the course's convolution (im2col . W): cross-correlation, W [filters, C, FH, FW]
  Pool          max or average over size x size windows of a zero-padded map: the padding zeros take part
                (max over them, and every window divided by size^2), unlike PyTorch's own padding
  Dropout       'course': keep where a uniform draw > p, no rescale in training, x(1 - p) at test time;
                'inverted': kept units x 1/(1 - p) in training, identity at test time. The uniforms come
                from the lab's generator (lab_random.py), drawn for the whole lab batch in order
  BatchNorm     'course': one mean and variance per value of the flattened sample (C.H.W of them);
                'channel': one per channel. Variance over the batch divided by N (also in the running
                statistics, where torch.nn.BatchNorm uses N - 1), eps 1e-6 inside the square root,
                running <- 0.9 running + 0.1 batch, from zero
  LayerNorm, GroupNorm, InstanceNorm: statistics per sample, eps 1e-6; layer norm scales per value of
                the sample, group and instance norm per channel

Normalisation statistics are computed in float64 and the result rounded to the network's dtype, as the
lab's JavaScript does. Under DistributedDataParallel, batch statistics are summed over every process
(BatchContext.all_sum), so N processes normalise with the statistics of the whole lab batch.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class BatchContext:
    """What layers need to know about the batch beyond their input: set by train.py.

    random: the lab's generator (dropout draws from it); rows: (total, start, stop), the lab batch's size
    and the rows this process holds; all_sum: sums a tensor over every process (identity on one)."""

    def __init__(self):
        self.random = None
        self.rows = None
        self.all_sum = lambda tensor: tensor

    def share(self, local_rows):
        return self.rows if self.rows is not None else (local_rows, 0, local_rows)


class Affine(nn.Module):
    def __init__(self, inputs, outputs):
        super().__init__()
        self.W = nn.Parameter(torch.zeros(inputs, outputs))
        self.b = nn.Parameter(torch.zeros(outputs))

    def forward(self, x):
        return x.reshape(x.shape[0], -1) @ self.W + self.b


class Conv(nn.Module):
    def __init__(self, channels, filters, size, stride=1, pad=0):
        super().__init__()
        self.W = nn.Parameter(torch.zeros(filters, channels, size, size))
        self.b = nn.Parameter(torch.zeros(filters))
        self.stride, self.pad = stride, pad

    def forward(self, x):
        return F.conv2d(x, self.W, self.b, stride=self.stride, padding=self.pad)


class Pool(nn.Module):
    def __init__(self, kind, size, stride, pad=0):
        super().__init__()
        self.kind, self.size, self.stride, self.pad = kind, size, stride, pad

    def forward(self, x):
        if self.pad:
            x = F.pad(x, (self.pad,) * 4)  # zeros that count, as the course's im2col pads
        pool = F.max_pool2d if self.kind == "max" else F.avg_pool2d
        return pool(x, self.size, self.stride)


class Dropout(nn.Module):
    def __init__(self, ratio, mode, context):
        super().__init__()
        self.ratio, self.mode, self.context = ratio, mode, context

    def forward(self, x):
        if not self.training:
            return (x.double() * (1 - self.ratio)).to(x.dtype) if self.mode == "course" else x
        random = self.context.random
        if random is None:
            raise RuntimeError("dropout in training needs the lab's generator: set model.context.random")
        total, start, stop = self.context.share(x.shape[0])
        per_sample = x[0].numel()
        # The whole lab batch's draws, in the lab's order; this process keeps its own rows.
        draws = torch.tensor(random.uniforms(total * per_sample), dtype=torch.float64).reshape(total, *x.shape[1:])
        keep = (draws[start:stop] > self.ratio).to(torch.float64).to(x.device)
        scale = 1 / (1 - self.ratio) if self.mode == "inverted" else 1.0
        return (x.double() * (keep * scale)).to(x.dtype)


class _Normalization(nn.Module):
    """gamma and beta of 'shape'; 'eps' inside the square root."""

    def __init__(self, shape, eps=1e-6):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(shape))
        self.beta = nn.Parameter(torch.zeros(shape))
        self.eps = eps


class BatchNorm(_Normalization):
    """mode 'course': per value of the flattened sample; 'channel': per channel of a [C, H, W] map."""

    def __init__(self, features, mode, context, momentum=0.9):
        super().__init__([features])
        self.mode, self.context, self.momentum = mode, context, momentum
        self.register_buffer("runningMean", torch.zeros(features))
        self.register_buffer("runningVar", torch.zeros(features))

    def forward(self, x):
        n = x.shape[0]
        if self.mode == "course":
            x64, axes, view = x.reshape(n, -1).double(), (0,), (1, -1)
        else:
            x64, axes, view = x.double(), (0, 2, 3), (1, -1, 1, 1)
        if self.training:
            total = self.context.share(n)[0]
            count = total * (x64[0].numel() // self.gamma.numel())
            mean = self.context.all_sum(x64.sum(dim=axes)) / count
            variance = self.context.all_sum(((x64 - mean.reshape(view)) ** 2).sum(dim=axes)) / count
            with torch.no_grad():
                m = self.momentum
                self.runningMean.copy_(m * self.runningMean.double() + (1 - m) * mean)
                self.runningVar.copy_(m * self.runningVar.double() + (1 - m) * variance)
        else:
            mean, variance = self.runningMean.double(), self.runningVar.double()
        normal = (x64 - mean.reshape(view)) / torch.sqrt(variance + self.eps).reshape(view)
        out = self.gamma.double().reshape(view) * normal + self.beta.double().reshape(view)
        return out.to(x.dtype).reshape(x.shape)


class LayerNorm(_Normalization):
    def __init__(self, features):
        super().__init__([features])

    def forward(self, x):
        x64 = x.reshape(x.shape[0], -1).double()
        mean = x64.mean(dim=1, keepdim=True)
        variance = ((x64 - mean) ** 2).mean(dim=1, keepdim=True)
        out = self.gamma.double() * ((x64 - mean) / torch.sqrt(variance + self.eps)) + self.beta.double()
        return out.to(x.dtype).reshape(x.shape)


class GroupNorm(_Normalization):
    """Channels in 'groups' groups, each normalised over its channels and pixels; instance norm: one channel a group."""

    def __init__(self, channels, groups):
        super().__init__([channels])
        self.groups = groups

    def forward(self, x):
        n, c = x.shape[0], x.shape[1]
        grouped = x.reshape(n, self.groups, -1).double()
        mean = grouped.mean(dim=2, keepdim=True)
        variance = ((grouped - mean) ** 2).mean(dim=2, keepdim=True)
        normal = ((grouped - mean) / torch.sqrt(variance + self.eps)).reshape(x.shape)
        view = (1, c) + (1,) * (x.dim() - 2)
        out = self.gamma.double().reshape(view) * normal + self.beta.double().reshape(view)
        return out.to(x.dtype)
`
