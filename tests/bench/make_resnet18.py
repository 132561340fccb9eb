"""Writes a TorchScript ResNet-18 (torchvision, untrained weights, classifier removed: 512-d
embeddings) for the throughput benchmark: speed does not depend on the weights' values.

    /usr/bin/python3 tests/bench/make_resnet18.py OUT.pt
"""
import sys

import torch
import torchvision

model = torchvision.models.resnet18(weights=None)
model.fc = torch.nn.Identity()
model.eval()
torch.jit.save(torch.jit.trace(model, torch.zeros(1, 3, 224, 224)), sys.argv[1])
