/* The floor of a live update: one streaming pass over N x D float embeddings (y = X v), in C,
 * OpenMP threads, compiled -O3 -march=native -ffast-math. Prints the median of REPS passes.
 *   stream_pass N D REPS */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000, d = argc > 2 ? atol(argv[2]) : 512;
    int reps = argc > 3 ? atoi(argv[3]) : 60;
    float *x = malloc(sizeof(float) * n * d), *v = malloc(sizeof(float) * d), *y = malloc(sizeof(float) * n);
    double *t = malloc(sizeof(double) * reps);
    unsigned s = 7;
    for (long i = 0; i < n * d; i++) { s = s * 1103515245u + 12345u; x[i] = (float) (s >> 8) / 16777216.0f - 0.5f; }
    for (long j = 0; j < d; j++) v[j] = (float) j / d;
    double check = 0;
    for (int r = 0; r < reps; r++) {
        struct timespec a, b;
        clock_gettime(CLOCK_MONOTONIC, &a);
        #pragma omp parallel for schedule(static)
        for (long i = 0; i < n; i++) {
            float acc = 0;
            const float *row = x + i * d;
            for (long j = 0; j < d; j++) acc += row[j] * v[j];
            y[i] = acc;
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        t[r] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
        check += y[r % n];
    }
    qsort(t, reps, sizeof(double), cmp);
    printf("C streaming pass (%ld x %ld, -O3 -march=native -ffast-math, OpenMP): median %.2f ms (checksum %.3f)\n",
           n, d, t[reps / 2], check);
    return 0;
}
