"""Baseline for `npm run bench`: scipy solve_ivp (RK45) on the whole batch stacked into one vectorised system.

Reads a JSON job {weights, means, covariances, x, sigmaFrom, sigmaTo, rtol, atol} on stdin, integrates the same
ODE as cmbounds (VE flow in lambda = log sigma, data-prediction form dx/dlambda = x - E[X0|x]) with numpy
vectorised over points, and prints {"seconds", "cpuSeconds" (CPU time of all the process's threads), "y", "nfev", "blas"}.

numpy's best form of the field: the rotations into and out of every component's eigenbasis are batched matrix
products (`@` on (K, n, d) by (K, d, d), dispatched to BLAS gemm), not `einsum` without `optimize` (a C loop).
`blas` records the BLAS library numpy runs on, the kernel it selected at run time (OpenBLAS core name) and its
thread count, read from the library numpy loaded.
"""
import ctypes, glob, json, os, sys, time
import numpy as np
from scipy.integrate import solve_ivp


def blas_info():
    info = {"numpy": np.__version__}
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        info["name"] = blas.get("name")
        info["version"] = blas.get("version")
    except Exception as e:  # older numpy: no dict mode
        info["name"] = f"unknown ({type(e).__name__})"
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*"))
    for path in libs:
        lib = ctypes.CDLL(path)
        for prefix, suffix in (("scipy_openblas_", "64_"), ("openblas_", "64_"), ("openblas_", "")):
            core = getattr(lib, f"{prefix}get_corename{suffix}", None)
            threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
            if core is not None:
                core.restype = ctypes.c_char_p
                info["kernel"] = core().decode()
                if threads is not None:
                    info["threads"] = int(threads())
                return info
    info["kernel"] = "unknown (no OpenBLAS library found next to numpy)"
    return info


job = json.load(sys.stdin)
w = np.array(job["weights"]); mus = np.array(job["means"]); covs = np.array(job["covariances"])
K, d = mus.shape
X = np.array(job["x"]); n = X.shape[0]
lam_, U_ = np.linalg.eigh(covs)  # per component: covs[k] = U diag(lam) U^T
Ut_ = np.ascontiguousarray(U_.transpose(0, 2, 1))
log_w = np.log(w)[:, None]


def denoise(x, sigma):
    # x: (n, d) -> E[X0 | X0 + sigma Z = x]
    c = lam_ + sigma * sigma                       # (K, d)
    y = x[None, :, :] - mus[:, None, :]            # (K, n, d)
    r = y @ U_                                     # rotate into each eigenbasis: batched gemm
    logp = log_w - 0.5 * (np.log(c).sum(1)[:, None] + ((r * r) @ (1.0 / c)[:, :, None])[:, :, 0])
    resp = np.exp(logp - logp.max(axis=0, keepdims=True))          # (K, n): softmax over components
    resp /= resp.sum(axis=0, keepdims=True)
    mh = (r * (lam_ / c)[:, None, :]) @ Ut_        # rotate back: batched gemm
    mh += mus[:, None, :]
    return (resp[:, :, None] * mh).sum(0)


def f(l, y):
    x = y.reshape(n, d)
    return (x - denoise(x, np.exp(l))).ravel()


t0 = time.perf_counter()
c0 = time.process_time()
sol = solve_ivp(f, (np.log(job["sigmaFrom"]), np.log(job["sigmaTo"])), X.ravel(), method="RK45", rtol=job["rtol"], atol=job["atol"])
dt = time.perf_counter() - t0
cpu = time.process_time() - c0
print(json.dumps({"seconds": dt, "cpuSeconds": cpu, "y": sol.y[:, -1].tolist(), "nfev": int(sol.nfev), "status": int(sol.status), "blas": blas_info()}))
