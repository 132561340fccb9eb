"""Makes the Grad-CAM references the Java tests compare with, for the PyTorch twins of ProtoLens's
built-in architectures (defined in make_reference.py) with the weights and inputs of reference/.

Run with Debian's python3-torch, from this folder, after make_reference.py:
    /usr/bin/python3 make_gradcam_reference.py
Writes reference/NAME-gradcam-direction.npy (one direction per input: another
input's embedding less their mean)
and reference/NAME-gradcam.npy (per input: the cosine to its direction, then the Grad-CAM map,
rows of the last feature map, ReLU of the channels weighted by their mean gradient).
"""
import numpy as np
import torch
import torch.nn.functional as F

from make_reference import ResNet20, SmallCnn


def load(model, name):
    flat = torch.from_numpy(np.load(f"reference/{name}-params.npy").reshape(-1))
    offset = 0
    state = model.state_dict()
    for key, t in state.items():
        if key.endswith("num_batches_tracked"):
            continue
        n = t.numel()
        t.copy_(flat[offset:offset + n].reshape(t.shape))
        offset += n
    assert offset == flat.numel(), (offset, flat.numel())
    model.eval()


def gradcam(name, model, size):
    load(model, name)
    x = torch.from_numpy(np.load(f"reference/{name}-inputs.npy")).reshape(-1, 3, size, size)
    with torch.no_grad():
        emb = model(x)
    # each input's direction: the next input's embedding less the inputs' mean embedding
    directions = torch.roll(emb, -1, dims=0) - emb.mean(dim=0)
    rows = []
    for i in range(x.shape[0]):
        features = model.body(x[i:i + 1]).detach().requires_grad_(True)
        e = features.mean(dim=(2, 3)).reshape(-1)
        cos = F.cosine_similarity(e, directions[i], dim=0)
        cos.backward()
        weights = features.grad.mean(dim=(2, 3))[0]
        cam = F.relu((weights[:, None, None] * features[0]).sum(0))
        rows.append(np.concatenate([[cos.item()], cam.detach().numpy().reshape(-1)]))
    np.save(f"reference/{name}-gradcam-direction.npy", directions.numpy().astype("<f4"))
    np.save(f"reference/{name}-gradcam.npy", np.stack(rows).astype("<f4"))


if __name__ == "__main__":
    gradcam("resnet20", ResNet20(), 32)
    gradcam("smallcnn", SmallCnn(), 28)
