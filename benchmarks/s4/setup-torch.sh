#!/bin/sh
# Sets up the S4 benchmark's PyTorch peer (benchmarks/README.md, "npm run bench:s4"):
# Debian's python3-torch (it runs under /usr/bin/python3) and OpenBLAS's pthread build unpacked
# under build/openblas, which the benchmark puts on torch's LD_LIBRARY_PATH. The system BLAS
# (Debian's reference implementation, which python3-torch links by default) stays as it is.
# Needs root for apt-get install; build/ is git-ignored.
set -eu
cd "$(dirname "$0")/../.."
if ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  apt-get install -y python3-torch
fi
mkdir -p build/openblas
cd build/openblas
rm -f libopenblas0-pthread_*.deb
apt-get download libopenblas0-pthread
dpkg -x libopenblas0-pthread_*.deb root
ls root/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
echo "OpenBLAS for the torch peer: build/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread"
