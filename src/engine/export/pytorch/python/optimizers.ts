/** The course's optimizers with the lab's exact update rules (optimizers.py of an exported project). Python source, kept verbatim. */
export const OPTIMIZERS_PY = String.raw`"""
The course's optimizers, with the lab's exact update rules (src/engine/optimizers). Each update is
computed in float64 from the stored values and rounded to the parameter's dtype where the lab stores a
value, in the lab's order, so the same gradients give the same bits as the lab.

Why not torch.optim: its rules differ from the course's in places (README.md, "The optimizers"):
  Adam       the course folds the bias correction into the step, lr_t = lr.sqrt(1 - b2^t) / (1 - b1^t), and
             adds eps = 1e-7 to sqrt(v) uncorrected; torch.optim.Adam adds eps to sqrt(v / (1 - b2^t))
  Momentum   v <- m.v - lr.g; p <- p + v (torch keeps b <- m.b + g and steps lr.b: the same in exact arithmetic)
  Nesterov   the book's form: v <- m.v - lr.g; p <- p + m^2.v - (1 + m).lr.g (torch: p <- p - lr.(g + m.b))
  AdaGrad    'book': h from 0, eps = 1e-7 outside the root (torch.optim.Adagrad with eps=1e-7 has this form);
             'course': h = theta on the first step (g^2 not added), no eps: torch has no such option
  RMSProp    h <- d.h + (1 - d).g^2; p <- p - lr.g / (sqrt(h) + 1e-7) (torch.optim.RMSprop(alpha=d, eps=1e-7) has this form)
State: per-parameter buffers by slot ('m', 'v', 'h', 'velocity'), created at zero on first use, and counters
('t', 'steps'), exactly what a Gradient Lab checkpoint stores.
"""
import math

import torch

EPSILON = 1e-7


class CourseOptimizer:
    slots = ()

    def __init__(self, named_params, spec, counters=None, buffers=None):
        """named_params: [(lab name, parameter)] that this optimizer updates (frozen ones left out)."""
        self.params = list(named_params)
        self.spec = spec
        self.counters = {key: int(value) for key, value in (counters or {}).items()}
        # {slot: {parameter name: buffer}}, in the order the lab creates them.
        self.buffers = {slot: {} for slot in self.slots}
        for slot, by_name in (buffers or {}).items():
            if slot not in self.buffers:
                raise ValueError("the checkpoint has optimizer state %r, which %s does not keep" % (slot, spec["kind"]))
            self.buffers[slot] = dict(by_name)

    def buffer(self, slot, name, param):
        buffers = self.buffers[slot]
        if name not in buffers:
            buffers[name] = torch.zeros_like(param, memory_format=torch.contiguous_format)
        elif buffers[name].device != param.device:
            buffers[name] = buffers[name].to(param.device)
        return buffers[name]

    @torch.no_grad()
    def step(self):
        self.before_step()
        for name, param in self.params:
            g = param.grad.double()
            self.update(name, param, g)

    def before_step(self):
        pass


def _store(target, value64):
    """Rounds a float64 result into the lab's stored value (a no-op rounding for float64 runs)."""
    target.copy_(value64)


class Sgd(CourseOptimizer):
    def update(self, name, p, g):
        _store(p, p.double() - self.spec["lr"] * g)


class Momentum(CourseOptimizer):
    slots = ("velocity",)

    def update(self, name, p, g):
        v = self.buffer("velocity", name, p)
        _store(v, self.spec["momentum"] * v.double() - self.spec["lr"] * g)
        _store(p, p.double() + v.double())


class Nesterov(CourseOptimizer):
    slots = ("velocity",)

    def update(self, name, p, g):
        m, lr = self.spec["momentum"], self.spec["lr"]
        v = self.buffer("velocity", name, p)
        _store(v, m * v.double() - lr * g)
        _store(p, p.double() + m * m * v.double())
        _store(p, p.double() - (1 + m) * lr * g)


class AdaGrad(CourseOptimizer):
    slots = ("h",)

    def before_step(self):
        self.first = self.counters.get("steps", 0) == 0
        self.counters["steps"] = self.counters.get("steps", 0) + 1

    def update(self, name, p, g):
        lr = self.spec["lr"]
        h = self.buffer("h", name, p)
        if self.spec.get("variant", "book") == "course":
            _store(h, torch.full_like(g, self.spec.get("initialH", 1e-4)) if self.first else h.double() + g * g)
            _store(p, p.double() - (lr * g) / torch.sqrt(h.double()))
        else:
            _store(h, h.double() + g * g)
            _store(p, p.double() - (lr * g) / (torch.sqrt(h.double()) + EPSILON))


class RmsProp(CourseOptimizer):
    slots = ("h",)

    def update(self, name, p, g):
        decay, lr = self.spec["decay"], self.spec["lr"]
        h = self.buffer("h", name, p)
        _store(h, h.double() * decay)
        _store(h, h.double() + (1 - decay) * g * g)
        _store(p, p.double() - (lr * g) / (torch.sqrt(h.double()) + EPSILON))


class Adam(CourseOptimizer):
    slots = ("m", "v")

    def before_step(self):
        t = self.counters.get("t", 0) + 1
        self.counters["t"] = t
        b1, b2 = self.spec["beta1"], self.spec["beta2"]
        self.lr_t = (self.spec["lr"] * math.sqrt(1 - b2 ** t)) / (1 - b1 ** t)

    def update(self, name, p, g):
        b1, b2 = self.spec["beta1"], self.spec["beta2"]
        m = self.buffer("m", name, p)
        v = self.buffer("v", name, p)
        m64 = m.double()
        _store(m, m64 + (1 - b1) * (g - m64))
        v64 = v.double()
        _store(v, v64 + (1 - b2) * (g * g - v64))
        _store(p, p.double() - (self.lr_t * m.double()) / (torch.sqrt(v.double()) + EPSILON))


OPTIMIZERS = {"sgd": Sgd, "momentum": Momentum, "nesterov": Nesterov, "adagrad": AdaGrad, "rmsprop": RmsProp, "adam": Adam}


def create_optimizer(spec, named_params, counters=None, buffers=None):
    return OPTIMIZERS[spec["kind"]](named_params, spec, counters, buffers)
`
