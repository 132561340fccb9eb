# uwot's UMAP (15 neighbours, min_dist 0.1, cosine distance; ProtoLens: Euclidean on 50 principal components
# of the unit rows, the same neighbours up to the reduction) on raw float32 rows.
#   Rscript umap_uwot.R IN.f32 N D SEED THREADS OUT.f32   prints the seconds uwot took
suppressMessages(library(uwot))
a <- commandArgs(trailingOnly = TRUE)
n <- as.integer(a[2]); d <- as.integer(a[3])
x <- matrix(readBin(a[1], "numeric", n * d, size = 4, endian = "little"), ncol = d, byrow = TRUE)
set.seed(as.integer(a[4]))
t <- system.time(y <- umap(x, n_neighbors = 15, min_dist = 0.1, metric = "cosine", n_threads = as.integer(a[5]),
                           n_sgd_threads = 1))[["elapsed"]]
writeBin(as.vector(t(y)), a[6], size = 4, endian = "little")
cat(sprintf("%.2f\n", t))
