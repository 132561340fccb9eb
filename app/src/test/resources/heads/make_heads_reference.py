"""Makes the reference the prototype heads' Java tests compare with: soft k-means refinement and
TIM-ADM of new-class prototypes by the formulas, in numpy (float64).

Run with Debian's python3-numpy, from this folder:
    /usr/bin/python3 make_heads_reference.py
Writes base.npy (B x d), start.npy (N x d), shots.npy (N*K x d, K shots per class in class order),
unlabelled.npy (U x d), all float32, and refined.npy (N x d, float64): the start prototypes after
ITERATIONS rounds of
    r_ic = softmax_c(BETA cos(x_i, p_c))  over every class, the base prototypes held fixed
    p_c  = l2n(sum of the unit shots of c + sum_i r_ic unit(x_i))  for each new class c
and tim.npy (N x d, float64): the start prototypes after TIM_ITERATIONS rounds of TIM's alternating
direction method (Boudiaf et al., NeurIPS 2020), every vector unit length first, base weights fixed:
    p_ik = softmax_k(-T/2 |x_i - w_k|^2)        for the shots S and the unlabelled images Q
    q_ik = p_ik^(1+a) / (sum_{i in Q} p_ik^(1+a))^b, then normalised over k
    w_k  = [l (sum_S y_ik x_i + sum_S p_ik (w_k - x_i)) + |S|/|Q| (sum_Q q_ik x_i + sum_Q p_ik (w_k - x_i))]
           / [l |S_k| + |S|/|Q| sum_Q q_ik]                             for each new class k
with a = W_COND, b = W_MARGINAL / (W_MARGINAL + 1), l = W_XENT / (1 + W_COND).
"""
import numpy as np

BETA = 16.0
ITERATIONS = 5
B, N, K, U, D = 6, 4, 5, 60, 12
T, W_XENT, W_MARGINAL, W_COND, TIM_ITERATIONS = 15.0, 0.1, 1.0, 0.1, 150


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

w = np.vstack([bn, l2n(start.astype(np.float64))])
y = np.zeros((N * K, B + N))
y[np.arange(N * K), B + np.repeat(np.arange(N), K)] = 1
a, b, l = W_COND, W_MARGINAL / (W_MARGINAL + 1), W_XENT / (1 + W_COND)


def probabilities(z):
    logits = T * (z @ w.T - 0.5 * (w ** 2).sum(1)[None] - 0.5 * (z ** 2).sum(1)[:, None])
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


for _ in range(TIM_ITERATIONS):
    ps, pq = probabilities(s), probabilities(x)
    q = pq ** (1 + a) / (pq ** (1 + a)).sum(0, keepdims=True) ** b
    q /= q.sum(axis=1, keepdims=True)
    top = l * (y.T @ s + w * ps.sum(0)[:, None] - ps.T @ s) + len(s) / len(x) * (q.T @ x + w * pq.sum(0)[:, None] - pq.T @ x)
    bottom = l * y.sum(0)[:, None] + len(s) / len(x) * q.sum(0)[:, None]
    w[B:] = (top / bottom)[B:]

np.save("base.npy", base)
np.save("start.npy", start)
np.save("shots.npy", shots)
np.save("unlabelled.npy", unlabelled)
np.save("refined.npy", p)
np.save("tim.npy", w[B:])
print("refined", p.shape, "tim", w[B:].shape)
