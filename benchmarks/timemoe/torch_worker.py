"""One case of `npm run bench:timemoe` in PyTorch: a long-lived process that serves one case.

Started by benchmarks/timemoe/workers.ts (one process per case, so that its peak RSS is that
case's alone), with the best CPU configuration in its environment (OpenBLAS's pthread build on
LD_LIBRARY_PATH, OPENBLAS_NUM_THREADS=1, glibc malloc keeping freed memory) and
`torch.set_num_threads(--threads)`. The model is benchmarks/peers/time_moe.py, loaded from the
same Hugging Face folder as ours.

Protocol: JSON lines. After loading it prints {"ready", "info", "load_ms", "rss_mib"} and resets
its peak RSS (/proc/self/clear_refs), then answers one request per line:
  {"op": "prepare", "kind": "forward"|"generate", "input": PATH, "batch": B, "context": T,
   "horizon": P}               -> {}          (the case: context [B, T] float32 from PATH)
  {"op": "output", "path": P}  -> {"shape"}   (runs the case once, writes the output as float32)
  {"op": "time"}               -> {"ms"}      (runs the case once, timed)
  {"op": "memory"}             -> {"peak_rss_mib", "rss_mib"}
Forward: logits of max_horizon_length = 1, (B, T, 1). Generate: the P new points, (B, P).
"""

import ctypes
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from time_moe import TimeMoeForPrediction, configure_threads, info  # noqa: E402


def memory_mib():
    values = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0]) / 1024
    return values


def main():
    argv = sys.argv[1:]
    folder = argv[argv.index("--dir") + 1]
    threads = int(argv[argv.index("--threads") + 1])
    configure_threads(threads)
    started = time.perf_counter()
    model = TimeMoeForPrediction.from_pretrained(folder)
    model.eval()
    load_ms = (time.perf_counter() - started) * 1000
    described = info()
    described["mkldnn"] = bool(torch.backends.mkldnn.is_available())
    # Reading the checkpoint leaves its file bytes and decoded copies free but resident (malloc
    # keeps freed memory, by configuration): hand them back once, so that the RSS is the loaded
    # model's. The peak from here on is the loaded model plus what the case needs.
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    print(json.dumps({"ready": True, "info": described, "load_ms": load_ms, "rss_mib": memory_mib()["VmRSS"]}), flush=True)

    run = None
    for line in sys.stdin:
        request = json.loads(line)
        op = request["op"]
        try:
            if op == "prepare":
                shape = (request["batch"], request["context"])
                x = torch.from_numpy(np.fromfile(request["input"], dtype="<f4").reshape(shape).copy())
                if request["kind"] == "forward":
                    run = lambda x=x: model(x, max_horizon_length=1).logits  # noqa: E731
                else:
                    horizon = request["horizon"]
                    run = lambda x=x, p=horizon: model.generate(x, p)[:, x.shape[1]:]  # noqa: E731
                reply = {}
            elif op == "output":
                with torch.no_grad():
                    y = run().contiguous()
                y.numpy().astype("<f4").tofile(request["path"])
                reply = {"shape": list(y.shape)}
            elif op == "time":
                with torch.no_grad():
                    start = time.perf_counter()
                    run()
                    reply = {"ms": (time.perf_counter() - start) * 1000}
            elif op == "memory":
                m = memory_mib()
                reply = {"peak_rss_mib": m["VmHWM"], "rss_mib": m["VmRSS"]}
            else:
                reply = {"error": f"unknown op {op}"}
        except Exception as e:  # the caller prints it and stops
            reply = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
