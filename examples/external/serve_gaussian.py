"""The exact consistency function of the 1-D Gaussian N(m, s^2) on the VE process, served to cmbounds.

On VE (X_t = X_0 + t Z) the probability-flow ODE of a Gaussian maps x at time t to
    f*(x, t) = m + (x - m) * sqrt(s^2 + tMin^2) / sqrt(s^2 + t^2),
so `cmbounds evaluate --model "cmd:python3 examples/external/serve_gaussian.py"` must measure a coupling W2 of 0
(to float64 accuracy). Pass an offset as the first argument to serve f* + offset instead (W2 = |offset|).
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cmbounds_protocol import serve  # noqa: E402

M, S2, T_MIN, T_MAX = 0.5, 4.0, 0.002, 80.0
OFFSET = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0


def f(x, t):
    return [[M + (row[0] - M) * math.sqrt(S2 + T_MIN**2) / math.sqrt(S2 + ti**2) + OFFSET] for row, ti in zip(x, t)]


serve(f, dim=1, process={"kind": "ve", "tMin": T_MIN, "tMax": T_MAX},
      target={"kind": "gaussian", "mean": [M], "covariance": [[S2]]}, name="exact-gaussian-python")
