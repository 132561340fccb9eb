"""Makes the reference the prototype heads' Java tests compare with: soft k-means refinement of
new-class prototypes by the formula, in numpy (float64).

Run with Debian's python3-numpy, from this folder:
    /usr/bin/python3 make_heads_reference.py
Writes base.npy (B x d), start.npy (N x d), shots.npy (N*K x d, K shots per class in class order),
unlabelled.npy (U x d), all float32, and refined.npy (N x d, float64): the start prototypes after
ITERATIONS rounds of
    r_ic = softmax_c(BETA cos(x_i, p_c))  over every class, the base prototypes held fixed
    p_c  = l2n(sum of the unit shots of c + sum_i r_ic unit(x_i))  for each new class c
"""
import numpy as np

BETA = 16.0
ITERATIONS = 5
B, N, K, U, D = 6, 4, 5, 60, 12


def l2n(v):
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


rng = np.random.default_rng(2026)
centres = rng.normal(size=(B + N, D))
base = (centres[:B] + 0.3 * rng.normal(size=(B, D))).astype(np.float32)
shots = np.concatenate([centres[B + c] + 0.8 * rng.normal(size=(K, D)) for c in range(N)]).astype(np.float32)
start = np.stack([shots[c * K:(c + 1) * K].astype(np.float64).mean(0) for c in range(N)]).astype(np.float32)
labels = rng.integers(0, B + N, size=U)
unlabelled = (centres[labels] + 0.8 * rng.normal(size=(U, D))).astype(np.float32)

bn = l2n(base.astype(np.float64))
p = l2n(start.astype(np.float64))
s = l2n(shots.astype(np.float64))
x = l2n(unlabelled.astype(np.float64))
for _ in range(ITERATIONS):
    logits = BETA * x @ np.vstack([bn, p]).T
    logits -= logits.max(axis=1, keepdims=True)
    r = np.exp(logits)
    r /= r.sum(axis=1, keepdims=True)
    rn = r[:, B:]
    p = l2n(np.stack([s[c * K:(c + 1) * K].sum(0) + rn[:, c] @ x for c in range(N)]))

np.save("base.npy", base)
np.save("start.npy", start)
np.save("shots.npy", shots)
np.save("unlabelled.npy", unlabelled)
np.save("refined.npy", p)
print("refined", p.shape)
