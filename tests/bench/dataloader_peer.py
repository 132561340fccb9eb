"""ProtoLens's embedding pipeline against PyTorch's DataLoader on the same TorchScript model and
JPEG files, in interleaved rounds: each round runs ProtoLens's EmbeddingThroughput once (its
whole pipeline: read, decode, resize, normalise, batch, embed) and then the same work in PyTorch
(torchvision's decode_jpeg and resize in a DataLoader with THREADS workers, torch using THREADS
threads). Prints images per second per round, medians and their ratio.

    python3 dataloader_peer.py MODEL.pt IMAGE_DIR COUNT ROUNDS THREADS -- JAVA_COMMAND...
"""
import os
import re
import statistics
import subprocess
import sys
import time

import torch
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, decode_jpeg, read_file
from torchvision.transforms import functional as tf

MEAN = torch.tensor([0.485, 0.456, 0.406]).view(3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(3, 1, 1)


class Jpegs(Dataset):
    def __init__(self, files, size):
        self.files, self.size = files, size

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        img = decode_jpeg(read_file(self.files[i]), mode=ImageReadMode.RGB)
        img = tf.resize(img, [self.size, self.size], antialias=True).float() / 255.0
        return (img - MEAN) / STD


def images_under(d):
    out = []
    for root, _, names in os.walk(d):
        out += [os.path.join(root, n) for n in names if n.lower().endswith((".jpg", ".jpeg", ".png"))]
    return sorted(out)


def torch_round(model, files, threads, batch=32, size=224):
    loader = DataLoader(Jpegs(files, size), batch_size=batch, num_workers=threads)
    t = time.perf_counter()
    with torch.no_grad():
        for x in loader:
            model(x)
    return len(files) / (time.perf_counter() - t)


def main():
    sep = sys.argv.index("--")
    model_path, image_dir, count, rounds, threads = sys.argv[1:sep]
    java = sys.argv[sep + 1:]
    count, rounds, threads = int(count), int(rounds), int(threads)
    torch.set_num_threads(threads)
    files = images_under(image_dir)[:count]
    model = torch.jit.load(model_path).eval()
    torch_round(model, files[:64], threads)  # warm-up
    ours, theirs = [], []
    print("round  ProtoLens pipeline (img/s)  PyTorch DataLoader (img/s)", flush=True)
    for r in range(rounds):
        out = subprocess.run(java + [model_path, image_dir, str(count), "1"], check=True, capture_output=True,
                             text=True).stdout
        ours.append(float(re.search(r"^\s*1\s+[\d.]+\s+([\d.]+)", out, re.M).group(1)))
        theirs.append(torch_round(model, files, threads))
        print("%5d  %26.1f  %26.1f" % (r + 1, ours[-1], theirs[-1]), flush=True)
    mo, mt = statistics.median(ours), statistics.median(theirs)
    print("median %25.1f  %26.1f   ProtoLens / PyTorch %.2f (torch %s, torchvision %s, %d threads)"
          % (mo, mt, mo / mt, torch.__version__, torchvision.__version__, threads))


if __name__ == "__main__":
    main()
