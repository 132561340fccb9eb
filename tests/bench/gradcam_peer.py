"""The same Grad-CAM of a prototype similarity in PyTorch, for comparison with ProtoLens's: the
PyTorch twin of the built-in ResNet-20 (app/src/test/resources/torchscript/make_reference.py;
its weights do not change the time), one 32 x 32 image at a time, the last feature map's
channels weighted by the mean gradient of the cosine to a prototype.

    /usr/bin/python3 tests/bench/gradcam_peer.py [rounds=3] [images=20] [threads=all]
"""
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../app/src/test/resources/torchscript"))
from make_reference import ResNet20  # noqa: E402

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
count = int(sys.argv[2]) if len(sys.argv) > 2 else 20
torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count())
model = ResNet20().eval()
images = torch.randn(count, 3, 32, 32)
with torch.no_grad():
    proto = model(images[:1])[0]


def gradcam(x):
    features = model.body(x[None]).detach().requires_grad_(True)
    cos = F.cosine_similarity(features.mean(dim=(2, 3))[0], proto, dim=0)
    cos.backward()
    weights = features.grad.mean(dim=(2, 3))[0]
    return F.relu((weights[:, None, None] * features[0]).sum(0)).detach()


gradcam(images[0])
times = []
for r in range(rounds):
    t0 = time.perf_counter()
    for x in images:
        gradcam(x)
    times.append((time.perf_counter() - t0) * 1000 / count)
    print(f"round {r + 1}: PyTorch Grad-CAM {times[-1]:.1f} ms per map ({torch.get_num_threads()} threads)")
print(f"median PyTorch Grad-CAM: {statistics.median(times):.1f} ms per map")
