"""PyTorch (CPU) peer of `npm run bench`: the course's three networks (as in
shared/bench/pytorch-reference/bench_step.py), float32, batch 100, timed as the engine's rows are.

Reads one JSON object on stdin:
  {"nets": [{"id": "cnn-deep", "warmup": 10, "steps": 9, "evals": 9}, ...],
   "threads": [2, 1], "pixels": "<file of count*784 float32 in [0, 1]>", "labels": "<file of count uint8>"}
For each thread count (torch.set_num_threads) and net: `warmup` untimed training steps, `steps` timed ones
(forward, loss, backward, optimizer update on a batch of 100 drawn from the given images), then
min(warmup, 20) untimed and `evals` timed 100-image evaluations (eval mode, no_grad, forward + argmax
accuracy). Prints one JSON line per (net, threads) with the medians in seconds."""
import json, statistics, sys, time
import torch
from torch import nn


def deep():
    c = lambda i, o, p=1: nn.Conv2d(i, o, 3, padding=p)
    return nn.Sequential(c(1, 16), nn.ReLU(), c(16, 16), nn.ReLU(), nn.MaxPool2d(2),
                         c(16, 32), nn.ReLU(), c(32, 32, 2), nn.ReLU(), nn.MaxPool2d(2),
                         c(32, 64), nn.ReLU(), c(64, 64), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 4 * 4, 50), nn.ReLU(), nn.Dropout(0.5), nn.Linear(50, 10), nn.Dropout(0.5))


def simple():
    return nn.Sequential(nn.Conv2d(1, 30, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(30 * 12 * 12, 100), nn.ReLU(), nn.Linear(100, 10))


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 40), nn.ReLU(), nn.Linear(40, 20), nn.ReLU(), nn.Linear(20, 10))


NETS = {'vg-relu-he': mlp, 'cnn-simple': simple, 'cnn-deep': deep}


def he_init(net):
    for m in net.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, nonlinearity='relu')
            nn.init.zeros_(m.bias)


def main():
    spec = json.load(sys.stdin)
    # 'process': CPU seconds of the process (on one thread, its work however loaded the machine is).
    clock = time.process_time if spec.get('clock') == 'process' else time.perf_counter
    with open(spec['pixels'], 'rb') as f:
        pixels = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(-1, 1, 28, 28)
    with open(spec['labels'], 'rb') as f:
        labels = torch.frombuffer(bytearray(f.read()), dtype=torch.uint8).long()
    count = labels.shape[0]
    torch.set_num_interop_threads(1)
    config = torch.__config__.show()
    blas = next((part.split('=', 1)[1] for part in config.replace(',', '\n').split() if part.startswith('BLAS_INFO=')), '?')
    print(json.dumps({'meta': True, 'torch': torch.__version__, 'blas': blas, 'mkldnn': torch.backends.mkldnn.is_available(),
                      'capability': next((l.split(':', 1)[1].strip() for l in config.splitlines() if 'CPU capability' in l), '?')}), flush=True)
    for threads in spec['threads']:
        torch.set_num_threads(threads)
        for net_spec in spec['nets']:
            torch.manual_seed(1)
            name = net_spec['id']
            net = NETS[name]()
            he_init(net)
            opt = (torch.optim.SGD(net.parameters(), lr=0.1) if name == 'vg-relu-he'
                   else torch.optim.Adam(net.parameters(), lr=0.001, eps=1e-7))
            loss_fn = nn.CrossEntropyLoss()

            def step():
                idx = torch.randint(0, count, (100,))
                x, y = pixels[idx], labels[idx]
                opt.zero_grad(set_to_none=True)
                loss = loss_fn(net(x), y)
                loss.backward()
                opt.step()

            for _ in range(net_spec['warmup']):
                step()
            ts = []
            for _ in range(net_spec['steps']):
                t0 = clock(); step(); ts.append(clock() - t0)
            hx, hy = pixels[:100], labels[:100]

            def evaluate():
                with torch.no_grad():
                    return (net(hx).argmax(1) == hy).float().mean().item()

            net.eval()
            for _ in range(min(net_spec['warmup'], 20)):
                evaluate()
            es = []
            for _ in range(net_spec['evals']):
                t0 = clock(); evaluate(); es.append(clock() - t0)
            net.train()
            print(json.dumps({'name': name, 'impl': 'pytorch', 'threads': torch.get_num_threads(), 'dtype': 'float32',
                              'stepSeconds': statistics.median(ts), 'evalSeconds': statistics.median(es),
                              'torch': torch.__version__}), flush=True)


main()
