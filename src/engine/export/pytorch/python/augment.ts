/** The lab's seeded data augmentation (augment.py of an exported project). Python source, kept verbatim. */
export const AUGMENT_PY = String.raw`"""
The lab's seeded data augmentation (Gradient Lab's src/engine/data/augment.ts), ported exactly: the same
numbers drawn from the lab's generator in the same order, the same float64 arithmetic, so an augmented
batch here is the lab's batch.

Per image of the lab batch, the draws are, in this order and only for the options that are on:
  1. flip:   random.int(2), 1 = mirror left-right;
  2. shift:  random.int(2s + 1) - s for the rows, then the same for the columns;
  3. crop:   random.int(2p + 1) for the window's top, then its left (the window in the image padded by p);
  4. rotate: random.uniform(), the angle r(2u - 1) degrees, counter-clockwise as the image is shown;
  5. noise:  random.normal() for every value, channel by channel, row by row; then clamped to [0, 1].
The geometry is one inverse mapping: each output pixel is sampled from the input (bilinearly when rotated),
0 outside the image; every channel gets the same transform. Every process draws for the whole lab batch
and changes only its own rows.
"""
import math

import torch


def augment_batch(x, options, random, rows):
    """Changes x (this process's rows [start, stop) of a lab batch of "total" images) in place; rows = (total, start, stop)."""
    shift, crop = options.get("shift") or 0, options.get("crop") or 0
    rotate, noise = options.get("rotate") or 0, options.get("noise") or 0
    flip = options.get("flip") is True
    geometric = flip or shift > 0 or crop > 0 or rotate > 0
    if not geometric and noise <= 0:
        return
    total, start, stop = rows
    channels, height, width = x.shape[1], x.shape[2], x.shape[3]
    for image in range(total):
        mine = start <= image < stop
        if geometric:
            mirror = flip and random.int(2) == 1
            down = right = 0
            if shift > 0:
                down += random.int(2 * shift + 1) - shift
                right += random.int(2 * shift + 1) - shift
            if crop > 0:
                down += crop - random.int(2 * crop + 1)
                right += crop - random.int(2 * crop + 1)
            degrees = rotate * (2 * random.uniform() - 1) if rotate > 0 else 0
            if mine:
                source = x[image - start].double()
                moved = _translate(source, mirror, down, right) if degrees == 0 else _rotate_bilinear(source, mirror, down, right, degrees)
                x[image - start] = moved.to(x.dtype)
        if noise > 0:
            draws = random.normals(channels * height * width)
            if mine:
                values = x[image - start].double() + noise * torch.tensor(draws, dtype=torch.float64, device=x.device).reshape(channels, height, width)
                x[image - start] = values.clamp(0, 1).to(x.dtype)


def _translate(source, mirror, down, right):
    """Integer moves and the mirror: each output pixel is one input pixel, or 0 where it comes from outside."""
    _, height, width = source.shape
    sy = torch.arange(height, device=source.device) - down
    moved = torch.arange(width, device=source.device) - right
    sx = width - 1 - moved if mirror else moved
    inside = ((sy >= 0) & (sy < height))[:, None] & ((sx >= 0) & (sx < width))[None, :]
    picked = source[:, sy.clamp(0, height - 1)][:, :, sx.clamp(0, width - 1)]
    return torch.where(inside, picked, torch.zeros((), dtype=source.dtype, device=source.device))


def _rotate_bilinear(source, mirror, down, right, degrees):
    """The whole transform by inverse mapping, sampled bilinearly, in the lab's order of operations."""
    _, height, width = source.shape
    sin, cos = sin_cos_degrees(degrees)
    cy, cx = (height - 1) / 2, (width - 1) / 2
    ys = torch.arange(height, dtype=torch.float64, device=source.device)[:, None].expand(height, width)
    xs = torch.arange(width, dtype=torch.float64, device=source.device)[None, :].expand(height, width)
    dx, dy = xs - cx, ys - cy
    sy = cy + dx * sin + dy * cos - down
    moved = cx + dx * cos - dy * sin - right
    sx = (width - 1) - moved if mirror else moved
    y0, x0 = torch.floor(sy), torch.floor(sx)
    fy, fx = sy - y0, sx - x0
    y0, x0 = y0.long(), x0.long()
    value = torch.zeros_like(source)
    for oy, ox, weight in ((0, 0, (1 - fy) * (1 - fx)), (0, 1, (1 - fy) * fx), (1, 0, fy * (1 - fx)), (1, 1, fy * fx)):
        yy, xx = y0 + oy, x0 + ox
        inside = (yy >= 0) & (yy < height) & (xx >= 0) & (xx < width)
        sample = source[:, yy.clamp(0, height - 1), xx.clamp(0, width - 1)]
        value = value + torch.where(inside, weight * sample, torch.zeros((), dtype=source.dtype, device=source.device))
    return value


def sin_cos_degrees(degrees):
    """sin and cos by the lab's Taylor series (48 terms), so the bits depend only on IEEE arithmetic."""
    theta = (degrees / 180) * math.pi
    sin = cos = 0.0
    term = 1.0
    for k in range(48):
        if k % 4 == 0:
            cos += term
        elif k % 4 == 1:
            sin += term
        elif k % 4 == 2:
            cos -= term
        else:
            sin -= term
        term = (term * theta) / (k + 1)
    return sin, cos
`
