// Entry point of kernels.wasm: the exported kernels. The module owns no data; every pointer is
// a byte offset into the shared memory the JavaScript runtime imports (see ../runtime.ts), and
// every kernel takes a range of work (batches, rows, row groups) so threads can split a call.

export { matmul, matmulWorkBytes } from './matmul';
export { rfftRows, irfftRows, fftWorkBytes } from './rfft';
export { convSpectra, convRows } from './causal-conv';
export { unaryRange, binaryRows } from './elementwise';
export { transposeUnits, reverseRows, copyRows } from './movement';
export { sumRows } from './reduce';
export { softmaxRows } from './softmax';
export { normRows } from './norm';
