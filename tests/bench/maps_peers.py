"""Maps of the same embeddings by ProtoLens and by the tools users would pick instead, in
interleaved rounds on the same machine: wall-clock medians, ratios, and the maps' quality
(trustworthiness at k = 10 and the map's leave-one-out 10-NN accuracy, map_quality.py).

    python3 maps_peers.py JAR EMBEDDINGS.npy PATHS.txt WORKDIR ROUNDS THREADS

METHODS (default tsne,umap,pca) picks the methods; ROWS, when above the embeddings' count, runs on
that many rows: the embeddings repeated, each copy moved by 1% noise (quality then without
trustworthiness above 20,000 rows).

ProtoLens runs as `java -jar JAR map`; the peers are R's Rtsne (Barnes-Hut t-SNE), uwot
(UMAP), umap-learn and umap-js (UMAP; umap-js from NODE_PATH) when installed, and scikit-learn's
PCA. The compared times are of the layout call alone, for every tool (reading and writing the
arrays is not counted; ProtoLens's is the time `map` reports on stderr); ProtoLens's whole process
(starting the JVM, reading, writing) is shown beside it."""
import os
import re
import statistics
import subprocess
import sys
import time

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import map_quality  # noqa: E402


def protolens(jar, method, x_npy, out, seed):
    """(seconds of the layout as `map` reports it, seconds of the whole process)"""
    t = time.perf_counter()
    r = subprocess.run([os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java"),
                        "--enable-native-access=ALL-UNNAMED", "-jar", jar, "map", "--method", method,
                        "--embeddings", x_npy, "--seed", str(seed), "--out", out],
                       check=True, capture_output=True, text=True)
    process = time.perf_counter() - t
    took = re.search(r"^wrote .* in ([0-9.]+) s$", r.stderr, re.MULTILINE)
    return float(took.group(1)), process


def r_peer(script, f32, n, d, seed, threads, out):
    r = subprocess.run(["Rscript", os.path.join(here, script), f32, str(n), str(d), str(seed), str(threads), out],
                       check=True, capture_output=True, text=True)
    return float(r.stdout.strip().splitlines()[-1])


def umap_learn(x, threads, out):
    import umap
    t = time.perf_counter()
    y = umap.UMAP(n_neighbors=15, min_dist=0.1, metric="cosine", random_state=None, n_jobs=threads).fit_transform(x)
    took = time.perf_counter() - t
    np.save(out, y.astype(np.float32))
    return took


def umap_js(f32, n, d, seed, out):
    r = subprocess.run(["node", os.path.join(here, "umap_js.js"), f32, str(n), str(d), str(seed), out],
                       check=True, capture_output=True, text=True)
    return float(r.stdout.strip().splitlines()[-1])


def has_python_module(name):
    return subprocess.run([sys.executable, "-c", "import " + name], capture_output=True).returncode == 0


def has_node_module(name):
    return subprocess.run(["node", "-e", "require('%s')" % name], capture_output=True).returncode == 0


def sklearn_pca(x, out):
    from sklearn.decomposition import PCA
    t = time.perf_counter()
    y = PCA(n_components=2, random_state=42).fit_transform(x)
    took = time.perf_counter() - t
    np.save(out, y.astype(np.float32))
    return took


def has_r_package(name):
    return subprocess.run(["Rscript", "-e", "suppressMessages(library(%s))" % name],
                          capture_output=True).returncode == 0


def main():
    jar, x_npy, paths, work, rounds, threads = sys.argv[1:7]
    rounds, threads = int(rounds), int(threads)
    os.makedirs(work, exist_ok=True)
    methods = os.environ.get("METHODS", "tsne,umap,pca").split(",")
    x = np.load(x_npy).astype(np.float64)
    labels = map_quality.labels_of(paths)
    rows = int(os.environ.get("ROWS", "0") or 0)
    if rows > len(x):
        # more rows than images: the embeddings again and again, each copy moved by 1% noise (seeded)
        copies = -(-rows // len(x))
        noise = np.random.default_rng(7).standard_normal((copies * len(x), x.shape[1])) * 0.01 * np.abs(x).mean()
        x = (np.tile(x, (copies, 1)) + noise)[:rows]
        labels = np.tile(labels, copies)[:rows]
        x_npy = os.path.join(work, "rows-%d.npy" % rows)
        np.save(x_npy, x.astype(np.float32))
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    n, d = x.shape
    f32 = os.path.join(work, "unit.f32")
    x.astype("<f4").tofile(f32)
    runs = []
    if "tsne" in methods:
        runs.append(("t-SNE", "ProtoLens", lambda o: protolens(jar, "tsne", x_npy, o + ".npy", 42), ".npy"))
        if has_r_package("Rtsne"):
            runs.append(("t-SNE", "Rtsne", lambda o: r_peer("tsne_rtsne.R", f32, n, d, 42, threads, o + ".f32"), ".f32"))
    if "umap" in methods:
        runs.append(("UMAP", "ProtoLens", lambda o: protolens(jar, "umap", x_npy, o + ".npy", 42), ".npy"))
        if has_r_package("uwot"):
            runs.append(("UMAP", "uwot", lambda o: r_peer("umap_uwot.R", f32, n, d, 42, threads, o + ".f32"), ".f32"))
        if has_python_module("umap"):
            runs.append(("UMAP", "umap-learn", lambda o: umap_learn(x, threads, o + ".npy"), ".npy"))
        if has_node_module("umap-js"):
            runs.append(("UMAP", "umap-js", lambda o: umap_js(f32, n, d, 42, o + ".f32"), ".f32"))
    if "pca" in methods:
        runs.append(("PCA", "ProtoLens", lambda o: protolens(jar, "pca", x_npy, o + ".npy", 42), ".npy"))
        runs.append(("PCA", "scikit-learn", lambda o: sklearn_pca(x, o + ".npy"), ".npy"))
    times = {(m, t): [] for m, t, _, _ in runs}
    process = {(m, t): [] for m, t, _, _ in runs}
    for r in range(rounds):
        for method, tool, fn, _ in runs:
            took = fn(os.path.join(work, "%s-%s" % (method, tool)))
            if isinstance(took, tuple):
                took, whole = took
                process[(method, tool)].append(whole)
            times[(method, tool)].append(took)
            print("round %d  %-6s %-13s %8.2f s" % (r + 1, method, tool, took), flush=True)
    print("\n%d x %d embeddings, %d rounds, %d threads for the R peers; layout call medians; quality of the last round's maps"
          % (n, d, rounds, threads))
    print("%-6s %-13s %10s %12s %10s %8s %8s" % ("method", "tool", "median s", "vs ProtoLens", "process s", "trust", "10-NN"))
    for method, tool, _, ext in runs:
        med = statistics.median(times[(method, tool)])
        ours = statistics.median(times[(method, "ProtoLens")])
        whole = "%10.2f" % statistics.median(process[(method, tool)]) if process[(method, tool)] else "%10s" % "-"
        y = map_quality.read_map(os.path.join(work, "%s-%s%s" % (method, tool, ext)), n)
        # trustworthiness compares every pair of rows: measured up to 20,000 rows
        trust = "%8.3f" % map_quality.trustworthiness_blocked(x, y) if n <= 20000 else "%8s" % "-"
        knn = map_quality.knn_accuracy(y, labels)
        print("%-6s %-13s %10.2f %11.2fx %s %s %8.3f" % (method, tool, med, med / ours, whole, trust, knn), flush=True)


if __name__ == "__main__":
    main()
