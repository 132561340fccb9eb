"""Quality of 2-d maps of the same embeddings: trustworthiness at k = 10 and the leave-one-out
10-NN accuracy of the map (labels: each image's folder name). Trustworthiness is computed in
blocks of rows, so it needs no n x n matrix; it equals scikit-learn's (checked up to 10,000 rows
with --check).

    python3 map_quality.py [--check] EMBEDDINGS.npy PATHS.txt MAP.npy|MAP.f32 [...]
Embeddings are scaled to unit length, as ProtoLens draws them. .f32 files are raw little-endian
float32 n x 2 (the R peers write them)."""
import os
import sys

import numpy as np
from sklearn.manifold import trustworthiness
from sklearn.neighbors import NearestNeighbors


def read_map(path, n):
    if path.endswith(".npy"):
        return np.load(path).astype(np.float64)
    return np.fromfile(path, dtype="<f4").reshape(n, 2).astype(np.float64)


def trustworthiness_blocked(x, y, k=10, block=256):
    """Venna and Kaski's trustworthiness: how far, in the input's ranking, the map's k nearest
    neighbours of each point are when they are not among its input k nearest."""
    n = len(x)
    map_nn = NearestNeighbors(n_neighbors=k + 1).fit(y).kneighbors(y, return_distance=False)[:, 1:]
    sq = np.einsum("ij,ij->i", x, x)
    penalty = 0.0
    for start in range(0, n, block):
        rows = np.arange(start, min(n, start + block))
        d = sq[rows, None] + sq[None, :] - 2.0 * (x[rows] @ x.T)
        d[np.arange(len(rows)), rows] = -np.inf  # the point itself ranks 0
        dj = np.take_along_axis(d, map_nn[rows], axis=1)
        # rank of each map neighbour in the input: how many points are strictly nearer (the point itself counts as 0)
        ranks = (d[:, None, :] < dj[:, :, None]).sum(axis=2)
        penalty += np.clip(ranks - k, 0, None).sum()
    return 1.0 - 2.0 / (n * k * (2.0 * n - 3.0 * k - 1.0)) * penalty


def labels_of(paths_txt):
    """Each image's label: the name of its folder."""
    with open(paths_txt) as f:
        return np.array([os.path.basename(os.path.dirname(line.strip())) for line in f])


def knn_accuracy(y, labels, k=10):
    """Leave-one-out k-NN accuracy of the map (the nearest point is the point itself); a tie goes to
    the label first in sorted order, as scikit-learn's KNeighborsClassifier breaks it."""
    names, codes = np.unique(labels, return_inverse=True)
    idx = NearestNeighbors(n_neighbors=k + 1).fit(y).kneighbors(y, return_distance=False)[:, 1:]
    counts = np.zeros((len(y), len(names)), dtype=np.int32)
    np.add.at(counts, (np.repeat(np.arange(len(y)), k), codes[idx].ravel()), 1)
    return float(np.mean(counts.argmax(axis=1) == codes))


def main():
    check = sys.argv[1] == "--check"
    if check:
        sys.argv.pop(1)
    x = np.load(sys.argv[1]).astype(np.float64)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    labels = labels_of(sys.argv[2])
    for path in sys.argv[3:]:
        y = read_map(path, len(x))
        t = trustworthiness_blocked(x, y)
        if check:
            reference = trustworthiness(x, y, n_neighbors=10)
            print(f"  scikit-learn's trustworthiness {reference:.5f}, blocked {t:.5f}")
        print(f"{os.path.basename(path)}: trustworthiness {t:.3f}, 10-NN accuracy {knn_accuracy(y, labels):.3f}")


if __name__ == "__main__":
    main()
