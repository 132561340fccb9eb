"""The CIFAR ResNet-20 (the twin of ProtoLens's built-in architecture, from
app/src/test/resources/torchscript/make_reference.py) traced to TorchScript in PyTorch: writes the
traced model for ProtoLens to load, or measures PyTorch's own images per second on made-up 32 x 32
inputs, one round per process after a warm-up (torch.no_grad, inference only).

    /usr/bin/python3 tests/bench/resnet20_peer.py trace OUT.pt
    /usr/bin/python3 tests/bench/resnet20_peer.py run MODEL.pt [count=2048] [batch=128] [threads=all]
"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../app/src/test/resources/torchscript"))
from make_reference import ResNet20  # noqa: E402

if sys.argv[1] == "trace":
    model = ResNet20().eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.randn(8, 3, 32, 32))
    traced.save(sys.argv[2])
    sys.exit(0)

model = torch.jit.load(sys.argv[2]).eval()
count = int(sys.argv[3]) if len(sys.argv) > 3 else 2048
batch = int(sys.argv[4]) if len(sys.argv) > 4 else 128
torch.set_num_threads(int(sys.argv[5]) if len(sys.argv) > 5 else os.cpu_count())
x = torch.rand(batch, 3, 32, 32, generator=torch.Generator().manual_seed(7)) * 4 - 2
with torch.no_grad():
    for _ in range(3):
        model(x)
    t0 = time.perf_counter()
    done = 0
    while done < count:
        n = min(batch, count - done)
        model(x[:n])
        done += n
    took = time.perf_counter() - t0
print("PyTorch %s, traced ResNet-20 (32 px, batch %d, %d threads): %.1f images/s"
      % (torch.__version__, batch, torch.get_num_threads(), done / took))
