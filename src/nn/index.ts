/** Neural-network layers. */
export { Module, parameter, buffer, type StateTensor } from './module.ts';
export { Linear, type LinearOptions } from './linear.ts';
export { Embedding } from './embedding.ts';
export { LayerNorm, RMSNorm } from './norm.ts';
export { BatchNorm1d, type BatchNormOptions } from './batch-norm.ts';
export { Dropout } from './dropout.ts';
export { MLP, SwiGLU, type MlpOptions, type MlpActivation } from './mlp.ts';
export { MultiHeadAttention, type MultiHeadAttentionOptions } from './attention.ts';
export { uniformParameter, normalParameter, constantParameter } from './init.ts';
