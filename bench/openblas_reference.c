/* The reference run written as a small C program over OpenBLAS, the peer `make bench` times
 * mnist-cli against (bench/numpy_reference.py is the same algorithm in numpy): a 784-H-10 ReLU
 * network, softmax cross-entropy, plain SGD, batches drawn from a fresh shuffle every epoch.
 * Every product is one cblas_sgemm call, and the weight gradients go straight into the weights
 * (alpha = -lr, beta = 1), so BLAS does all of the heavy work with its best kernels for the CPU.
 *
 * Usage: openblas_reference DATA_DIR EPOCHS HIDDEN BATCH LR STANDARDISE(0|1)
 * Prints one JSON object: the kernel OpenBLAS chose, every epoch's seconds, test accuracy.
 *    or: openblas_reference gemm RUNS MxNxK[t] ...
 * Prints one JSON object: median seconds of one sgemm per shape (t: A transposed, as xᵀ·δ1).
 * Threads: OPENBLAS_NUM_THREADS, as for any OpenBLAS program.
 * Built by scripts/bench.sh: cc -O2 -march=native bench/openblas_reference.c -lopenblas -lz -lm */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

char *openblas_get_corename(void);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* A gzip'd IDX file's payload (after the header); count = first dimension. */
static uint8_t *read_idx(const char *dir, const char *name, int *count, int *per_item) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gzFile f = gzopen(path, "rb");
    if (!f) { fprintf(stderr, "error: %s: cannot open\n", path); exit(1); }
    uint8_t header[4];
    if (gzread(f, header, 4) != 4) { fprintf(stderr, "error: %s: short header\n", path); exit(1); }
    int rank = header[3];
    long items = 1, dims[4] = {0};
    for (int i = 0; i < rank && i < 4; i++) {
        uint8_t d[4];
        if (gzread(f, d, 4) != 4) { fprintf(stderr, "error: %s: short header\n", path); exit(1); }
        dims[i] = ((long)d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3];
        items *= dims[i];
    }
    uint8_t *data = malloc(items);
    if (gzread(f, data, (unsigned)items) != items) { fprintf(stderr, "error: %s: short data\n", path); exit(1); }
    gzclose(f);
    *count = (int)dims[0];
    *per_item = (int)(items / dims[0]);
    return data;
}

/* SplitMix64 and a normal deviate by Box-Muller: any fair initialisation will do for timing. */
static uint64_t rng_state = 1;
static uint64_t next_random(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static double uniform(void) { return (next_random() >> 11) * 0x1p-53; }
static double normal(void) { return sqrt(-2 * log(1 - uniform())) * cos(2 * M_PI * uniform()); }

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median seconds of one C = A·B (or Aᵀ·B) per shape, on values in [-0.5, 0.5). */
static int time_products(int argc, char **argv) {
    int runs = atoi(argv[2]);
    printf("{");
    for (int s = 3; s < argc; s++) {
        int m, n, k;
        char t = 0;
        if (sscanf(argv[s], "%dx%dx%d%c", &m, &n, &k, &t) < 3) { fprintf(stderr, "error: bad shape %s\n", argv[s]); return 2; }
        float *a = malloc((long)m * k * sizeof(float)), *b = malloc((long)k * n * sizeof(float));
        float *c = malloc((long)m * n * sizeof(float));
        for (long i = 0; i < (long)m * k; i++) a[i] = (float)(uniform() - 0.5);
        for (long i = 0; i < (long)k * n; i++) b[i] = (float)(uniform() - 0.5);
        double *seconds = malloc(runs * sizeof(double));
        for (int r = 0; r < runs; r++) {
            double start = now();
            if (t == 't') cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, n, k, 1, a, m, b, n, 0, c, n);
            else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
            seconds[r] = now() - start;
        }
        qsort(seconds, runs, sizeof(double), by_value);
        printf("%s\"%s\": %.9f", s > 3 ? ", " : "", argv[s], seconds[runs / 2]);
        free(a); free(b); free(c); free(seconds);
    }
    printf("}\n");
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 2 && strcmp(argv[1], "gemm") == 0) return time_products(argc, argv);
    if (argc != 7) {
        fprintf(stderr, "usage: openblas_reference DATA_DIR EPOCHS HIDDEN BATCH LR STANDARDISE\n");
        return 2;
    }
    const char *dir = argv[1];
    int epochs = atoi(argv[2]), H = atoi(argv[3]), B = atoi(argv[4]), standardise = atoi(argv[6]);
    float lr = (float)atof(argv[5]);
    int n, d, nt, dt, nl, one;
    uint8_t *train_raw = read_idx(dir, "train-images-idx3-ubyte.gz", &n, &d);
    uint8_t *train_labels = read_idx(dir, "train-labels-idx1-ubyte.gz", &nl, &one);
    uint8_t *test_raw = read_idx(dir, "t10k-images-idx3-ubyte.gz", &nt, &dt);
    uint8_t *test_labels = read_idx(dir, "t10k-labels-idx1-ubyte.gz", &nl, &one);
    const int C = 10, D = d;

    /* x/255, or per pixel (x - mean) / max(std, 1) as mnist-cli's --standardise. */
    float *shift = calloc(D, sizeof(float)), *scale = malloc(D * sizeof(float));
    for (int i = 0; i < D; i++) scale[i] = 1.0f / 255;
    if (standardise) {
        for (int i = 0; i < D; i++) {
            double s = 0, q = 0;
            for (int r = 0; r < n; r++) { double v = train_raw[(long)r * D + i]; s += v; q += v * v; }
            double mean = s / n, var = q / n - mean * mean;
            shift[i] = (float)mean;
            scale[i] = (float)(1 / fmax(sqrt(fmax(var, 0)), 1));
        }
    }
    float *xtrain = malloc((long)n * D * sizeof(float)), *xtest = malloc((long)nt * D * sizeof(float));
    for (long i = 0; i < (long)n * D; i++) xtrain[i] = (train_raw[i] - shift[i % D]) * scale[i % D];
    for (long i = 0; i < (long)nt * D; i++) xtest[i] = (test_raw[i] - shift[i % D]) * scale[i % D];

    float *w1 = malloc((long)D * H * sizeof(float)), *b1 = calloc(H, sizeof(float));
    float *w2 = malloc((long)H * C * sizeof(float)), *b2 = calloc(C, sizeof(float));
    for (long i = 0; i < (long)D * H; i++) w1[i] = (float)(normal() * sqrt(2.0 / D));
    for (long i = 0; i < (long)H * C; i++) w2[i] = (float)(normal() * sqrt(2.0 / H));

    float *x = malloc((long)B * D * sizeof(float)), *h = malloc((long)B * H * sizeof(float));
    float *p = malloc((long)B * C * sizeof(float)), *d2 = malloc((long)B * C * sizeof(float));
    float *d1 = malloc((long)B * H * sizeof(float));
    int *order = malloc(n * sizeof(int)), *y = malloc(B * sizeof(int));
    for (int i = 0; i < n; i++) order[i] = i;

    printf("{\"kernel\": \"%s\", \"epoch_seconds\": [", openblas_get_corename());
    for (int e = 0; e < epochs; e++) {
        double start = now();
        for (int i = n - 1; i > 0; i--) {
            int j = (int)(next_random() % (uint64_t)(i + 1)), t = order[i];
            order[i] = order[j]; order[j] = t;
        }
        for (int first = 0; first < n; first += B) {
            int m = first + B <= n ? B : n - first;
            for (int r = 0; r < m; r++) {
                memcpy(x + (long)r * D, xtrain + (long)order[first + r] * D, D * sizeof(float));
                y[r] = train_labels[order[first + r]];
            }
            /* h = relu(x W1 + b1) */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, H, D, 1, x, D, w1, H, 0, h, H);
            for (int r = 0; r < m; r++)
                for (int j = 0; j < H; j++) { float v = h[r * H + j] + b1[j]; h[r * H + j] = v > 0 ? v : 0; }
            /* p = softmax(h W2 + b2); d2 = (p - y) / m */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, C, H, 1, h, H, w2, C, 0, p, C);
            for (int r = 0; r < m; r++) {
                float *z = p + r * C, top = -INFINITY, sum = 0;
                for (int c = 0; c < C; c++) { z[c] += b2[c]; top = z[c] > top ? z[c] : top; }
                for (int c = 0; c < C; c++) { z[c] = expf(z[c] - top); sum += z[c]; }
                for (int c = 0; c < C; c++) d2[r * C + c] = (z[c] / sum - (c == y[r])) / m;
            }
            /* d1 = (d2 W2ᵀ) ⊙ (h > 0), before W2 moves */
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, H, C, 1, d2, C, w2, C, 0, d1, H);
            for (long i = 0; i < (long)m * H; i++) if (h[i] <= 0) d1[i] = 0;
            /* W2 -= lr hᵀ d2, W1 -= lr xᵀ d1, biases by column sums */
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, H, C, m, -lr, h, H, d2, C, 1, w2, C);
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, D, H, m, -lr, x, D, d1, H, 1, w1, H);
            for (int c = 0; c < C; c++) { float s = 0; for (int r = 0; r < m; r++) s += d2[r * C + c]; b2[c] -= lr * s; }
            for (int j = 0; j < H; j++) { float s = 0; for (int r = 0; r < m; r++) s += d1[r * H + j]; b1[j] -= lr * s; }
        }
        printf("%s%.6f", e ? ", " : "", now() - start);
    }

    int correct = 0;
    float *ht = malloc((long)nt * H * sizeof(float)), *zt = malloc((long)nt * C * sizeof(float));
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nt, H, D, 1, xtest, D, w1, H, 0, ht, H);
    for (long r = 0; r < nt; r++)
        for (int j = 0; j < H; j++) { float v = ht[r * H + j] + b1[j]; ht[r * H + j] = v > 0 ? v : 0; }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, nt, C, H, 1, ht, H, w2, C, 0, zt, C);
    for (long r = 0; r < nt; r++) {
        int best = 0;
        for (int c = 1; c < C; c++) if (zt[r * C + c] + b2[c] > zt[r * C + best] + b2[best]) best = c;
        correct += best == test_labels[r];
    }
    printf("], \"test_accuracy\": %.6f}\n", (double)correct / nt);
    return 0;
}
