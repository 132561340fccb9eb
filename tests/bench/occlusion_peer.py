"""The same occlusion saliency in PyTorch, for comparison with ProtoLens's: a 16 px patch with
stride 8 over a 224 x 224 input (729 copies filled with 0, the normalisation mean), embedded by
the TorchScript model in batches of 32 under torch.no_grad, cosine to the unoccluded embedding.

    /usr/bin/python3 tests/bench/occlusion_peer.py MODEL.pt [rounds=3]
"""
import os
import statistics
import sys
import time

import torch

torch.set_num_threads(os.cpu_count())
model = torch.jit.load(sys.argv[1]).eval()
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
x = torch.randn(1, 3, 224, 224)
positions = [(y, x0) for y in range(0, 209, 8) for x0 in range(0, 209, 8)]
times = []
with torch.no_grad():
    proto = model(x)[0]
    model(x.repeat(8, 1, 1, 1))
    for r in range(rounds):
        t0 = time.perf_counter()
        drops = []
        for start in range(0, len(positions), 32):
            chunk = positions[start:start + 32]
            batch = x.repeat(len(chunk), 1, 1, 1)
            for j, (y, x0) in enumerate(chunk):
                batch[j, :, y:y + 16, x0:x0 + 16] = 0
            out = model(batch)
            drops.append(1 - torch.nn.functional.cosine_similarity(out, proto[None, :]))
        torch.cat(drops)
        times.append(time.perf_counter() - t0)
        print(f"round {r + 1}: {times[-1]:.2f} s ({len(positions)} copies, batch 32, {torch.get_num_threads()} threads)")
print(f"median PyTorch occlusion: {statistics.median(times):.2f} s")
