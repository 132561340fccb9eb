"""FeCAM-style covariance heads on FSCIL embeddings, beside NCM and TEEN: what ProtoLens measured
before deciding not to offer them (README, "A covariance head").

FeCAM (Goswami et al., NeurIPS 2023): features Tukey-transformed (square root) and L2-normalised;
each class a mean and a covariance, shrunk (gamma 1 on the diagonal and off it) and normalised to a
correlation matrix; an image goes to the class at the smallest Mahalanobis distance. Five shots
give no covariance of their own ("shots cov"), so the new classes borrow one: the mean of the base
classes' ("mean base cov") or their TEEN-weighted mix ("TEEN-weighted cov"); two class-balancing
tries divide every class's distances by the median distance of its own images ("balanced"), or
the new classes' by the base classes' median ("base scale"). Last session, class means (%), over
10 draws of the shots (numpy's seed 1).

    /usr/bin/python3 tests/bench/fecam_heads.py DIR BASE_CLASSES WAYS SESSIONS

DIR holds train-x.npy, train-y.npy, test-x.npy, test-y.npy as `make-sample --embeddings-out DIR`
writes them (classes numbered base first).
"""
import sys

import numpy as np

SHOTS = 5
DRAWS = 10


def l2n(a):
    return a / np.linalg.norm(a, axis=-1, keepdims=True)


def tukey(x):
    return np.sqrt(np.maximum(x, 0))


def shrink(cov, g1=1.0, g2=1.0):
    d = cov.shape[0]
    diag = np.diag(cov).mean()
    off = (cov.sum() - np.trace(cov)) / (d * d - d)
    return cov + g1 * diag * np.eye(d) + g2 * off * (1 - np.eye(d))


def correlation(cov):
    sd = np.sqrt(np.diag(cov))
    return cov / np.outer(sd, sd)


def teen(base, ncm, alpha=0.5, tau=16):
    b = l2n(base)
    c = l2n(ncm)
    w = np.exp(tau * (c @ b.T))
    w /= w.sum(1, keepdims=True)
    return (1 - alpha) * c + alpha * l2n(w @ b), w


def mahalanobis(x, means, inverses):
    d = np.empty((len(x), len(means)))
    for j, (mu, inv) in enumerate(zip(means, inverses)):
        z = x - mu
        d[:, j] = np.einsum('ij,jk,ik->i', z, inv, z)
    return d


def metrics(pred, y, seen, base_classes):
    per_class = [np.mean(pred[y == k] == k) for k in range(seen)]
    base = np.mean(per_class[:base_classes])
    novel = np.mean(per_class[base_classes:])
    hm = 2 * base * novel / (base + novel)
    to_base = np.mean(pred[y >= base_classes] < base_classes)
    return np.mean(per_class), base, novel, hm, to_base


def main():
    folder, base_classes, ways, sessions = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    x_train = np.load(folder + '/train-x.npy')
    y_train = np.load(folder + '/train-y.npy').ravel().astype(int)
    x_test = np.load(folder + '/test-x.npy')
    y_test = np.load(folder + '/test-y.npy').ravel().astype(int)
    classes = base_classes + ways * (sessions - 1)
    t_train = l2n(tukey(x_train))
    t_test = l2n(tukey(x_test))
    base_means = np.stack([x_train[y_train == k].mean(0) for k in range(base_classes)])
    t_base_means = np.stack([t_train[y_train == k].mean(0) for k in range(base_classes)])
    base_raw_covs = [np.cov(t_train[y_train == k].T) for k in range(base_classes)]
    base_inv = [np.linalg.inv(correlation(shrink(c))) for c in base_raw_covs]
    mean_inv = np.linalg.inv(correlation(shrink(np.mean(base_raw_covs, 0))))
    rng = np.random.default_rng(1)
    results = {}
    for _ in range(DRAWS):
        shots = {k: rng.choice(np.where(y_train == k)[0], SHOTS, replace=False) for k in range(base_classes, classes)}
        seen = y_test < classes
        x, y, t = x_test[seen], y_test[seen], t_test[seen]
        ncm = np.stack([x_train[shots[k]].mean(0) for k in range(base_classes, classes)])
        calibrated, weights = teen(base_means, ncm)
        t_means = np.vstack([t_base_means, np.stack([t_train[shots[k]].mean(0) for k in range(base_classes, classes)])])
        own = [np.linalg.inv(correlation(shrink(np.cov(t_train[shots[k]].T)))) for k in range(base_classes, classes)]
        weighted = [np.linalg.inv(correlation(shrink(sum(weights[i, j] * base_raw_covs[j] for j in range(base_classes)))))
                    for i in range(classes - base_classes)]
        d_weighted = mahalanobis(t, t_means, base_inv + weighted)
        scale = []
        for j in range(classes):
            own_x = t_train[y_train == j][:2000] if j < base_classes else t_train[shots[j]]
            z = own_x - t_means[j]
            scale.append(np.median(np.einsum('ij,jk,ik->i', z, (base_inv + weighted)[j], z)))
        scale = np.array(scale)
        base_scale = scale.copy()
        base_scale[base_classes:] = np.median(scale[:base_classes])
        predictions = {
            'NCM': (l2n(x) @ l2n(np.vstack([base_means, ncm])).T).argmax(1),
            'TEEN': (l2n(x) @ l2n(np.vstack([base_means, calibrated])).T).argmax(1),
            'FeCAM shots cov': mahalanobis(t, t_means, base_inv + own).argmin(1),
            'FeCAM mean base cov': mahalanobis(t, t_means, base_inv + [mean_inv] * (classes - base_classes)).argmin(1),
            'FeCAM TEEN-weighted cov': d_weighted.argmin(1),
            'FeCAM TEEN-weighted, balanced': (d_weighted / scale).argmin(1),
            'FeCAM TEEN-weighted, base scale': (d_weighted / base_scale).argmin(1),
        }
        for name, pred in predictions.items():
            results.setdefault(name, []).append(metrics(pred, y, classes, base_classes))
    print('head | acc | acc_base | acc_novel | hm | novel->base (mean ± std, %)')
    for name, rows in results.items():
        a = np.array(rows) * 100
        print(f'{name:32s} ' + ' '.join(f'{m:5.1f}±{s:3.1f}' for m, s in zip(a.mean(0), a.std(0))))


if __name__ == '__main__':
    main()
