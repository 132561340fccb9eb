# Rtsne (Barnes-Hut t-SNE, theta 0.5, perplexity 30, PCA to 50 dimensions) on raw float32 rows.
#   Rscript tsne_rtsne.R IN.f32 N D SEED THREADS OUT.f32   prints the seconds Rtsne took
suppressMessages(library(Rtsne))
a <- commandArgs(trailingOnly = TRUE)
n <- as.integer(a[2]); d <- as.integer(a[3])
x <- matrix(readBin(a[1], "numeric", n * d, size = 4, endian = "little"), ncol = d, byrow = TRUE)
set.seed(as.integer(a[4]))
t <- system.time(y <- Rtsne(x, dims = 2, perplexity = 30, theta = 0.5, initial_dims = 50, check_duplicates = FALSE,
                            num_threads = as.integer(a[5]))$Y)[["elapsed"]]
writeBin(as.vector(t(y)), a[6], size = 4, endian = "little")
cat(sprintf("%.2f\n", t))
