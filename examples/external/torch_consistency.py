"""A PyTorch consistency model, trained on data exported by cmbounds and served to it over the protocol.

    npx cmbounds data --target bimodal-1d --n 20000 --seed 1 --out data.npy
    python3 examples/external/torch_consistency.py train --data data.npy --out cm.pt
    npx cmbounds evaluate --model "cmd:python3 examples/external/torch_consistency.py serve --model cm.pt" --target bimodal-1d

The model is EDM-parameterised (Song et al. 2023, App. C): f(x, t) = c_skip(t) x + c_out(t) F(c_in(t) x, c_noise(t))
with c_skip(tMin) = 1 and c_out(tMin) = 0, so the boundary condition f(x, tMin) = x holds exactly. Training is
consistency training (Song et al. 2023, Algorithm 3) on a fixed Karras grid with an EMA teacher: a few seconds on a
CPU. It is a small worked example of wrapping an nn.Module, not a strong model.
"""
import argparse
import math
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cmbounds_protocol import serve  # noqa: E402

T_MIN, T_MAX, SIGMA_DATA, RHO = 0.002, 80.0, 0.5, 7.0


class ConsistencyModel(nn.Module):
    def __init__(self, dim, width=64):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim + 1, width), nn.SiLU(), nn.Linear(width, width), nn.SiLU(), nn.Linear(width, dim))

    def forward(self, x, t):
        t = t.reshape(-1, 1)
        c_skip = SIGMA_DATA**2 / ((t - T_MIN) ** 2 + SIGMA_DATA**2)
        c_out = SIGMA_DATA * (t - T_MIN) / torch.sqrt(SIGMA_DATA**2 + t**2)
        c_in = 1 / torch.sqrt(SIGMA_DATA**2 + t**2)
        c_noise = 0.25 * torch.log(t)
        return c_skip * x + c_out * self.net(torch.cat([c_in * x, c_noise], dim=1))


def karras_grid(n):
    i = np.arange(n)
    return (T_MIN ** (1 / RHO) + i / (n - 1) * (T_MAX ** (1 / RHO) - T_MIN ** (1 / RHO))) ** RHO


def train(args):
    torch.manual_seed(args.seed)
    data = torch.tensor(np.load(args.data), dtype=torch.float64).float()
    model = ConsistencyModel(data.shape[1])
    teacher = ConsistencyModel(data.shape[1])
    teacher.load_state_dict(model.state_dict())
    optimiser = torch.optim.Adam(model.parameters(), lr=args.lr)
    grid = torch.tensor(karras_grid(args.grid), dtype=torch.float32)
    for step in range(args.steps):
        x0 = data[torch.randint(len(data), (args.batch,))]
        n = torch.randint(args.grid - 1, (args.batch,))
        z = torch.randn_like(x0)
        t_hi, t_lo = grid[n + 1], grid[n]
        with torch.no_grad():
            target = teacher(x0 + t_lo.reshape(-1, 1) * z, t_lo)
        loss = ((model(x0 + t_hi.reshape(-1, 1) * z, t_hi) - target) ** 2).sum(dim=1).mean()
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        with torch.no_grad():
            for p_teacher, p in zip(teacher.parameters(), model.parameters()):
                p_teacher.mul_(args.ema).add_(p, alpha=1 - args.ema)
        if step % 500 == 0:
            print(f"step {step} loss {loss.item():.4g}", file=sys.stderr)
    torch.save({"state": model.state_dict(), "dim": data.shape[1]}, args.out)
    print(f"wrote {args.out}", file=sys.stderr)


def serve_model(args):
    saved = torch.load(args.model)
    model = ConsistencyModel(saved["dim"])
    model.load_state_dict(saved["state"])
    model.eval()

    def f(x, t):
        with torch.no_grad():
            return model(torch.tensor(x, dtype=torch.float32), torch.tensor(t, dtype=torch.float32)).double()

    serve(f, dim=saved["dim"], process={"kind": "ve", "tMin": T_MIN, "tMax": T_MAX}, name="torch-ct-example")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True, help=".npy written by `cmbounds data`")
    t.add_argument("--out", required=True)
    t.add_argument("--steps", type=int, default=2000)
    t.add_argument("--batch", type=int, default=256)
    t.add_argument("--grid", type=int, default=18)
    t.add_argument("--lr", type=float, default=3e-3)
    t.add_argument("--ema", type=float, default=0.95)
    t.add_argument("--seed", type=int, default=0)
    s = sub.add_parser("serve")
    s.add_argument("--model", required=True)
    args = parser.parse_args()
    torch.set_num_threads(1)
    train(args) if args.command == "train" else serve_model(args)


if __name__ == "__main__":
    main()
