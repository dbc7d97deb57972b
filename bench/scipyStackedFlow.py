"""Baseline for `npm run bench`: scipy solve_ivp (RK45) on the whole batch stacked into one vectorised system.

Reads a JSON job {weights, means, covariances, x, sigmaFrom, sigmaTo, rtol, atol} on stdin, integrates the same
ODE as cmbounds (VE flow in lambda = log sigma, data-prediction form dx/dlambda = x - E[X0|x]) with numpy
vectorised over points, and prints {"seconds", "y", "nfev"}.
"""
import json, sys, time
import numpy as np
from scipy.integrate import solve_ivp
from scipy.special import logsumexp

job = json.load(sys.stdin)
w = np.array(job["weights"]); mus = np.array(job["means"]); covs = np.array(job["covariances"])
K, d = mus.shape
X = np.array(job["x"]); n = X.shape[0]
lam_, U_ = np.linalg.eigh(covs)  # per component: covs[k] = U diag(lam) U^T

def denoise(x, sigma):
    # x: (n, d) -> E[X0 | X0 + sigma Z = x]
    c = lam_ + sigma * sigma                       # (K, d)
    y = x[None, :, :] - mus[:, None, :]            # (K, n, d)
    r = np.einsum('knd,kde->kne', y, U_)           # rotate into each eigenbasis
    logp = np.log(w)[:, None] - 0.5 * (np.log(c).sum(1)[:, None] + (r * r / c[:, None, :]).sum(2))
    resp = np.exp(logp - logsumexp(logp, axis=0, keepdims=True))   # (K, n)
    mh = mus[:, None, :] + np.einsum('kne,kde->knd', r * (lam_ / c)[:, None, :], U_)
    return (resp[:, :, None] * mh).sum(0)

def f(l, y):
    x = y.reshape(n, d)
    return (x - denoise(x, np.exp(l))).ravel()

t0 = time.perf_counter()
sol = solve_ivp(f, (np.log(job["sigmaFrom"]), np.log(job["sigmaTo"])), X.ravel(), method="RK45", rtol=job["rtol"], atol=job["atol"])
dt = time.perf_counter() - t0
print(json.dumps({"seconds": dt, "y": sol.y[:, -1].tolist(), "nfev": int(sol.nfev), "status": int(sol.status)}))
