"""The placement search of `PlacementBenchmark fashion` done by pynndescent (the index umap-learn's
transform uses), in the same shape: Fashion-MNIST's 60,000 training images indexed, its 10,000 test
images queried for their 5 nearest, in 50 principal components of the unit-length pixel rows.
Prints per round the time to build the index, to query it, and the share of the true 5 nearest
found (true: scikit-learn's exact search in the same 50 components); the first round includes
numba's compilation.

    /usr/bin/python3 placement_peer.py ROUNDS
"""
import gzip
import statistics
import sys
import time

import numpy as np
from pynndescent import NNDescent
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors

K = 5


def images(part):
    with gzip.open("/usr/share/datasets/fashion-mnist/%s-images-idx3-ubyte.gz" % part) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    x = np.concatenate([images("train"), images("t10k")])
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    rng = np.random.default_rng(1)
    fit = np.sort(rng.choice(len(x), 20000, replace=False))
    reduced = PCA(50, random_state=1).fit(x[fit]).transform(x).astype(np.float32)
    laid, placed = reduced[:60000], reduced[60000:]
    truth = NearestNeighbors(n_neighbors=K, algorithm="brute").fit(laid).kneighbors(placed, return_distance=False)
    builds, queries = [], []
    for r in range(rounds):
        t0 = time.perf_counter()
        index = NNDescent(laid, n_neighbors=30, random_state=42, n_jobs=-1)
        index.prepare()
        t1 = time.perf_counter()
        found, _ = index.query(placed, k=K)
        t2 = time.perf_counter()
        recall = np.mean([len(set(a) & set(b)) / K for a, b in zip(found, truth)])
        builds.append(t1 - t0)
        queries.append(t2 - t1)
        print("pynndescent round %d: index built in %.0f ms, 10,000 searched in %.0f ms (%.1f us per image); recall %.3f"
              % (r + 1, 1000 * builds[-1], 1000 * queries[-1], 1e6 * queries[-1] / len(placed), recall))
    later = slice(1, None) if rounds > 1 else slice(None)
    print("pynndescent medians (rounds after the first): build %.0f ms, search %.0f ms (%.1f us per image), recall %.3f"
          % (1000 * statistics.median(builds[later]), 1000 * statistics.median(queries[later]),
             1e6 * statistics.median(queries[later]) / len(placed), recall))


if __name__ == "__main__":
    main()
