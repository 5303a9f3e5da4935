"""Benchmark peer: the S4D layer in PyTorch, driven by benchmarks/s4/torch-peer.ts.

The layer is state-spaces/s4 `models/s4/s4d.py` (the minimal S4D), written out here:

    K[h, l] = 2 Re sum_n C'[h, n] exp(dtA[h, n] l),  dtA = dt A,  C' = C (exp(dtA) - 1) / A  (ZOH)
    dt = exp(log_dt),  A = -exp(log_A_real) + i A_imag
    y = irfft(rfft(u, 2L) rfft(K, 2L), 2L)[..., :L] + D u        (FFT convolution, u [B, H, L])
    out = GLU(Conv1d_{H -> 2H, kernel 1}(GELU(y)), dim=-2)        (a * sigmoid(b) over channels)

which is chronoscale's S4Block around an S4D kernel with `s4dPresets.minimal` (no dropout). The
parameters arrive in chronoscale's layout and are converted as models/s4/official.ts
(`loadMinimalS4DStateDict`) documents, the other way round: inv_dt [H, 1] -> log_dt [H];
A_real, A_imag [H, N2] unchanged (s4d.py's A is the conjugate of ours, and so is its C);
C [1, H, N2, 2] -> conj, [H, N2, 2]; D [1, H] -> [H]; weight [2H, H] -> [2H, H, 1]. Gradients go
back converted the same way, so they compare element by element.

Usage:
  python3 s4d_torch.py --info      prints versions, threads and the BLAS library torch loaded
  python3 s4d_torch.py --serve     answers JSON requests, one per stdin line, one JSON line each

Requests: {"op": "setup", "batch", "width", "state", "length", "input": path,
"params": {name: {"path", "shape"}}, "out_dir": path} builds the layer and its input, runs the
forward pass (under no_grad) and forward + backward once, and writes y.f32 (forward output)
and grad.<name>.f32 (chronoscale's layout) into out_dir; {"op": "time", "mode": "forward" |
"forward+backward", "runs": n, "warmup": n} times n runs after n warm-ups. Raw little-endian
float32 files throughout. Best configuration (see benchmarks/README.md): the caller sets the
thread counts, OpenBLAS on LD_LIBRARY_PATH and the glibc malloc tunables in the environment.
"""

import json
import math
import platform
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class S4DKernel(nn.Module):
    """s4d.py's S4DKernel: the ZOH Vandermonde kernel K [H, L] from log_dt, A and C."""

    def __init__(self, log_dt, C, log_A_real, A_imag):
        super().__init__()
        self.log_dt = nn.Parameter(log_dt)  # (H)
        self.C = nn.Parameter(C)  # (H, N2, 2)
        self.log_A_real = nn.Parameter(log_A_real)  # (H, N2)
        self.A_imag = nn.Parameter(A_imag)  # (H, N2)

    def forward(self, L):
        dt = torch.exp(self.log_dt)  # (H)
        C = torch.view_as_complex(self.C)  # (H, N2)
        A = -torch.exp(self.log_A_real) + 1j * self.A_imag  # (H, N2)
        dtA = A * dt.unsqueeze(-1)  # (H, N2)
        K = dtA.unsqueeze(-1) * torch.arange(L, device=A.device)  # (H, N2, L)
        C = C * (torch.exp(dtA) - 1.0) / A
        return 2 * torch.einsum("hn, hnl -> hl", C, torch.exp(K)).real  # (H, L)


class S4D(nn.Module):
    """s4d.py's S4D (transposed, u [B, H, L]) with dropout 0."""

    def __init__(self, kernel, D, weight, bias):
        super().__init__()
        self.D = nn.Parameter(D)  # (H)
        self.kernel = kernel
        self.activation = nn.GELU()
        width = D.shape[0]
        self.output_linear = nn.Sequential(nn.Conv1d(width, 2 * width, kernel_size=1), nn.GLU(dim=-2))
        with torch.no_grad():
            self.output_linear[0].weight.copy_(weight)  # (2H, H, 1)
            self.output_linear[0].bias.copy_(bias)  # (2H)

    def forward(self, u):
        L = u.size(-1)
        k = self.kernel(L=L)  # (H, L)
        k_f = torch.fft.rfft(k, n=2 * L)  # (H, L + 1)
        u_f = torch.fft.rfft(u, n=2 * L)  # (B, H, L + 1)
        y = torch.fft.irfft(u_f * k_f, n=2 * L)[..., :L]  # (B, H, L)
        y = y + u * self.D.unsqueeze(-1)
        return self.output_linear(self.activation(y))  # (B, H, L)


def load(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f4").reshape(shape).copy())


def save(tensor, path):
    np.ascontiguousarray(tensor.detach().numpy(), dtype="<f4").tofile(path)


def build(request):
    """The layer from chronoscale's parameters, and the input."""
    p = {name: load(spec["path"], spec["shape"]) for name, spec in request["params"].items()}
    H = request["width"]
    C = p["layer.kernel.C"][0].clone()  # (H, N2, 2)
    C[..., 1] = -C[..., 1]
    kernel = S4DKernel(p["layer.kernel.inv_dt"][:, 0].clone(), C, p["layer.kernel.A_real"].clone(), p["layer.kernel.A_imag"].clone())
    weight = p["output_linear.0.weight"].reshape(2 * H, H, 1)
    model = S4D(kernel, p["layer.D"][0].clone(), weight, p["output_linear.0.bias"])
    u = load(request["input"], (request["batch"], H, request["length"]))
    return model, u


def gradients_in_our_layout(model):
    """Each parameter's gradient under chronoscale's name and shape."""
    k = model.kernel
    dC = k.C.grad.clone()
    dC[..., 1] = -dC[..., 1]
    H = model.D.shape[0]
    return {
        "layer.kernel.inv_dt": k.log_dt.grad.reshape(H, 1),
        "layer.kernel.A_real": k.log_A_real.grad,
        "layer.kernel.A_imag": k.A_imag.grad,
        "layer.kernel.C": dC.unsqueeze(0),
        "layer.D": model.D.grad.reshape(1, H),
        "output_linear.0.weight": model.output_linear[0].weight.grad.reshape(2 * H, H),
        "output_linear.0.bias": model.output_linear[0].bias.grad,
    }


class Session:
    def __init__(self):
        self.model = None
        self.u = None

    def forward(self):
        with torch.no_grad():
            return self.model(self.u)

    def forward_backward(self):
        self.model.zero_grad(set_to_none=True)
        y = self.model(self.u)
        y.sum().backward()
        return y

    def setup(self, request):
        self.model, self.u = build(request)
        out = request["out_dir"]
        save(self.forward(), f"{out}/y.f32")
        self.forward_backward()
        for name, grad in gradients_in_our_layout(self.model).items():
            save(grad, f"{out}/grad.{name}.f32")
        return {"ok": True}

    def time(self, request):
        run = self.forward if request["mode"] == "forward" else self.forward_backward
        for _ in range(request.get("warmup", 0)):
            run()
        times = []
        for _ in range(request["runs"]):
            start = time.perf_counter()
            run()
            times.append((time.perf_counter() - start) * 1000)
        return {"times_ms": times}


def blas_libraries():
    """Shared libraries with BLAS in their name that this process has mapped."""
    torch.ones(64, 64, dtype=torch.cfloat) @ torch.ones(64, 64, dtype=torch.cfloat)  # loads BLAS if lazily bound
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            if "blas" in path.rsplit("/", 1)[-1].lower():
                found.add(path)
    return sorted(found)


def info():
    return {
        "torch": torch.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "executable": sys.executable,
        "threads": torch.get_num_threads(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "blas": blas_libraries(),
    }


def main():
    if sys.argv[1:] == ["--info"]:
        print(json.dumps(info()))
        return
    if sys.argv[1:2] != ["--serve"]:
        sys.exit("usage: s4d_torch.py --info | --serve [--threads N]")
    if "--threads" in sys.argv:
        torch.set_num_threads(int(sys.argv[sys.argv.index("--threads") + 1]))
    session = Session()
    print(json.dumps({"ready": True, **info()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            reply = getattr(session, request["op"])(request)
        except Exception as error:  # reported to the caller, which says why torch dropped out
            reply = {"error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
