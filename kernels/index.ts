/** Public surface of the kernel layer: the registry, backends and shape helpers. */
export { kernels, kernelNames, kernelSpec, type KernelName, type KernelAttrs } from './registry.ts';
export { Backend, createBackend, backendNames, MAX_GPU_CELLS, type BackendName, type BackendOptions } from './backend.ts';
export * from './shape.ts';
export type {
  KernelSpec,
  KernelCase,
  InputDomain,
  GpuProgram,
  FastPath,
  FastPathCall,
  FastPathContext,
  WasmFastPaths,
  MatmulDims,
  CausalConvDims,
  NumericArray,
} from './types.ts';
export { runKernel, signature, type RunOptions } from './run.ts';
