"""Makes the TorchScript test models, test images and the reference outputs the Java tests compare with.

Run with Debian's python3-torch, python3-torchvision and python3-pil (CPU), from this folder:
    /usr/bin/python3 make_reference.py /path/to/cifar10-jpg
Writes tiny.pt, tiny.json, spatial.pt, spatial.json, images/ and reference/: the TorchScript
model's inputs and outputs, PyTorch twins of ProtoLens's built-in architectures (weights flattened
in DJL's parameter order, and their outputs), and TEEN calibrations by the official formula.
The preprocessing below is ProtoLens's contract: PIL decode, EXIF transpose, alpha composited on
white (integer rounding), RGB, [0, 1], antialiased bilinear resize, (v - mean) / std.
"""
import io
import json
import os
import shutil
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image, ImageOps

MEAN = [0.5071, 0.4865, 0.4409]
STD = [0.2673, 0.2564, 0.2762]
SIZE = 32


class Tiny(nn.Module):
    """conv 3->8 (stride 2) -> ReLU -> conv 8->16 -> ReLU -> global average pool: a 16-d embedding."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.c2 = nn.Conv2d(8, 16, 3, padding=1)

    def forward(self, x):
        x = F.relu(self.c1(x))
        x = F.relu(self.c2(x))
        return x.mean(dim=(2, 3))


class Spatial(nn.Module):
    """Returns a (batch, 4, h/2, w/2) feature map, not an embedding: ProtoLens must refuse it."""

    def __init__(self):
        super().__init__()
        self.c = nn.Conv2d(3, 4, 3, stride=2, padding=1)

    def forward(self, x):
        return self.c(x)


def conv(cin, cout, k, stride=1):
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)


class Basic(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.main = nn.Sequential(conv(cin, cout, 3, stride), nn.BatchNorm2d(cout), nn.ReLU(),
                                  conv(cout, cout, 3), nn.BatchNorm2d(cout))
        project = stride != 1 or cin != cout
        self.short = nn.Sequential(conv(cin, cout, 1, stride), nn.BatchNorm2d(cout)) if project else nn.Identity()

    def forward(self, x):
        return F.relu(self.main(x) + self.short(x))


class ResNet20(nn.Module):
    """Twin of BuiltinArchitecture.RESNET20."""

    def __init__(self):
        super().__init__()
        layers = [conv(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU()]
        cin = 16
        for stage in range(3):
            cout = 16 << stage
            for b in range(3):
                layers.append(Basic(cin, cout, 2 if stage > 0 and b == 0 else 1))
                cin = cout
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return self.body(x).mean(dim=(2, 3))


class SmallCnn(nn.Module):
    """Twin of BuiltinArchitecture.SMALLCNN."""

    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                                  conv(32, 64, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
                                  conv(64, 64, 3), nn.BatchNorm2d(64), nn.ReLU())

    def forward(self, x):
        return self.body(x).mean(dim=(2, 3))


def builtin_reference(name, model, size):
    """Random weights and batch-norm statistics, flattened in state_dict order (which is DJL's
    parameter order: conv weight; gamma, beta, running mean, running var), and outputs on random inputs."""
    g = torch.Generator().manual_seed(11)
    with torch.no_grad():
        for key, t in model.state_dict().items():
            if key.endswith("num_batches_tracked"):
                continue
            if key.endswith("running_var"):
                t.copy_(0.5 + torch.rand(t.shape, generator=g))
            elif key.endswith("running_mean") or key.endswith(".bias"):
                t.copy_(0.2 * torch.randn(t.shape, generator=g))
            elif t.dim() == 1:
                t.copy_(1 + 0.2 * torch.randn(t.shape, generator=g))
            else:
                fan_in = t[0].numel()
                t.copy_(torch.randn(t.shape, generator=g) * (2.0 / fan_in) ** 0.5)
    model.eval()
    flat = torch.cat([t.reshape(-1) for k, t in model.state_dict().items() if not k.endswith("num_batches_tracked")])
    x = torch.randn(4, 3, size, size, generator=g)
    with torch.no_grad():
        y = model(x)
    np.save(f"reference/{name}-params.npy", flat.numpy().astype("<f4").reshape(1, -1))
    np.save(f"reference/{name}-inputs.npy", x.reshape(4, -1).numpy().astype("<f4"))
    np.save(f"reference/{name}-outputs.npy", y.numpy().astype("<f4"))


def teen_reference():
    """TEEN's soft_calibration, line by line as the official code writes it (alpha 0.5, tau 16)."""
    g = torch.Generator().manual_seed(5)
    base = torch.randn(6, 10, generator=g) + 0.5
    novel = torch.randn(3, 10, generator=g) + 0.5
    base_protos = F.normalize(base, p=2, dim=-1)
    cur_protos = F.normalize(novel, p=2, dim=-1)
    weights = torch.mm(cur_protos, base_protos.T) * 16
    norm_weights = torch.softmax(weights, dim=1)
    delta_protos = torch.matmul(norm_weights, base_protos)
    delta_protos = F.normalize(delta_protos, p=2, dim=-1)
    updated = (1 - 0.5) * cur_protos + 0.5 * delta_protos
    np.save("reference/teen-base.npy", base.numpy().astype("<f4"))
    np.save("reference/teen-novel.npy", novel.numpy().astype("<f4"))
    np.save("reference/teen-calibrated.npy", updated.numpy().astype("<f4"))


def load_rgb(path):
    img = Image.open(path)
    img = ImageOps.exif_transpose(img)
    has_alpha = img.mode in ("RGBA", "LA") or (img.mode == "P" and "transparency" in img.info)
    if has_alpha:
        rgba = np.asarray(img.convert("RGBA"), dtype=np.int64)
        a = rgba[..., 3:4]
        rgb = (rgba[..., :3] * a + 255 * (255 - a) + 127) // 255
        return rgb.astype(np.float32)
    return np.asarray(img.convert("RGB"), dtype=np.float32)


def preprocess(path):
    rgb = torch.from_numpy(load_rgb(path)).permute(2, 0, 1).unsqueeze(0) / 255.0
    rgb = F.interpolate(rgb, size=(SIZE, SIZE), mode="bilinear", align_corners=False, antialias=True)
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return ((rgb - mean) / std)[0]


def make_images(cifar, out):
    os.makedirs(out, exist_ok=True)
    picks = [("airplane", "0001"), ("automobile", "0002"), ("cat", "0003"), ("frog", "0004"), ("ship", "0005"), ("truck", "0006")]
    for cls, num in picks:
        shutil.copy(os.path.join(cifar, "test", cls, num + ".jpg"), os.path.join(out, f"cifar-{cls}-{num}.jpg"))
    rng = np.random.default_rng(7)
    base = np.asarray(Image.open(os.path.join(cifar, "test", "horse", "0007.jpg")).convert("RGB"))
    # a larger, non-square picture (downscaled to 32x32) and a small one (upscaled)
    Image.fromarray(base).resize((57, 41), Image.BICUBIC).save(os.path.join(out, "wide-57x41.png"))
    Image.fromarray(base).resize((20, 13), Image.BICUBIC).save(os.path.join(out, "small-20x13.png"))
    # greyscale, palette, and RGBA with partial transparency
    Image.fromarray(base).convert("L").save(os.path.join(out, "grey.png"))
    Image.fromarray(base).convert("P", palette=Image.ADAPTIVE, colors=16).save(os.path.join(out, "palette.png"))
    rgba = np.dstack([base, (rng.random(base.shape[:2]) * 255).astype(np.uint8)])
    Image.fromarray(rgba, "RGBA").save(os.path.join(out, "alpha.png"))
    # a JPEG stored sideways whose EXIF orientation (6) says: rotate 90 degrees clockwise to view
    sideways = Image.fromarray(base).resize((40, 24), Image.BICUBIC)
    exif = Image.Exif()
    exif[0x0112] = 6
    sideways.save(os.path.join(out, "exif-rotated.jpg"), quality=95, exif=exif.tobytes())
    # files that are not images
    with open(os.path.join(out, "not-an-image.jpg"), "w") as f:
        f.write("this is text, not a JPEG\n")
    data = open(os.path.join(out, "cifar-cat-0003.jpg"), "rb").read()
    with open(os.path.join(out, "truncated.jpg"), "wb") as f:
        f.write(data[: len(data) // 3])


def main():
    cifar = sys.argv[1]
    torch.manual_seed(0)
    tiny = Tiny().eval()
    example = torch.zeros(2, 3, SIZE, SIZE)
    torch.jit.save(torch.jit.trace(tiny, example), "tiny.pt")
    torch.jit.save(torch.jit.trace(Spatial().eval(), example), "spatial.pt")
    sidecar = {"format": "torchscript", "weights": "tiny.pt",
               "input": {"width": SIZE, "height": SIZE, "mean": MEAN, "std": STD}}
    json.dump(sidecar, open("tiny.json", "w"), indent=2)
    json.dump(dict(sidecar, weights="spatial.pt"), open("spatial.json", "w"), indent=2)

    make_images(cifar, "images")
    os.makedirs("reference", exist_ok=True)
    names = sorted(n for n in os.listdir("images") if n not in ("not-an-image.jpg", "truncated.jpg"))
    inputs = torch.stack([preprocess(os.path.join("images", n)) for n in names])
    with torch.no_grad():
        emb = tiny(inputs)
    np.save("reference/inputs.npy", inputs.reshape(len(names), -1).numpy().astype("<f4"))
    np.save("reference/embeddings.npy", emb.numpy().astype("<f4"))
    with open("reference/names.txt", "w") as f:
        f.write("\n".join(names) + "\n")
    builtin_reference("resnet20", ResNet20(), 32)
    builtin_reference("smallcnn", SmallCnn(), 28)
    teen_reference()
    print("wrote", len(names), "reference images; embedding", tuple(emb.shape))


if __name__ == "__main__":
    main()
