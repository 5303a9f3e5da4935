"""Benchmark peer: numpy on the ops of kernels/wasm, driven by benchmarks/peers/numpy.ts.

Usage:
  python3 numpy_peer.py --version        prints {"numpy": ..., "python": ...}
  python3 numpy_peer.py REQUEST.json     times one op

A request is {"op": "matmul" | "causal_conv", "shape": {...}, "inputs": {name: path},
"output": path, "runs": N, "warmup": bool}. Inputs and the output are raw little-endian float32
files. The op runs once as a warm-up (unless "warmup" is false), then N timed runs; the first
result is written to "output" for the caller to validate against its own; file I/O is outside
the timings. Prints one JSON line:
{"median_ms": ..., "times_ms": [...], "dtype": ..., "numpy": ...}.
"""

import json
import platform
import sys
import time

import numpy as np


def load(path):
    return np.fromfile(path, dtype="<f4")


def matmul(inputs, s):
    # np.matmul on float32 is OpenBLAS sgemm, multi-threaded, as users call it.
    a = load(inputs["a"]).reshape(s["batch"], s["m"], s["k"])
    b = load(inputs["b"]).reshape(s["batch"], s["k"], s["n"])
    return lambda: np.matmul(a, b)


def causal_conv(inputs, s):
    # The usual FFT convolution of S4-style code: irfft(rfft(u, 2L) * rfft(k, 2L))[..., :L],
    # with the kernel [H, L] broadcast over the batch of u [B, H, L].
    rows, length, heads = s["rows"], s["length"], s["kernelRows"]
    u = load(inputs["u"]).reshape(rows, length)
    k = load(inputs["k"]).reshape(heads, -1)[:, :length]
    if rows % heads == 0:
        u = u.reshape(rows // heads, heads, length)
    else:
        k = k[np.arange(rows) % heads]
    n = 2 * length
    return lambda: np.fft.irfft(np.fft.rfft(u, n=n) * np.fft.rfft(k, n=n), n=n)[..., :length]


OPS = {"matmul": matmul, "causal_conv": causal_conv}


def main():
    if sys.argv[1:] == ["--version"]:
        print(json.dumps({"numpy": np.__version__, "python": platform.python_version()}))
        return
    with open(sys.argv[1]) as f:
        request = json.load(f)
    run = OPS[request["op"]](request["inputs"], request["shape"])
    result = run() if request.get("warmup", True) else None
    times = []
    for _ in range(max(1, request.get("runs", 5))):
        start = time.perf_counter()
        out = run()
        times.append((time.perf_counter() - start) * 1000)
        if result is None:
            result = out
    np.ascontiguousarray(result, dtype="<f4").tofile(request["output"])
    print(json.dumps({
        "median_ms": float(np.median(times)),
        "times_ms": times,
        "dtype": str(result.dtype),
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
