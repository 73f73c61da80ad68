export { matmul, linear, linearQuantized, type MatmulOptions, type QuantizedWeight } from './linear';
export { add, mul, scale, gelu, silu, swiglu, dropout } from './pointwise';
export { layerNorm, rmsNorm } from './norm';
export { rope, ropeTable, softmax, causalAttention, causalAttentionFused, type RopeTable } from './sequence';
export { crossEntropy, embedding, IGNORE_INDEX } from './loss';
export { reshape } from './shape';
export { rowNorm, scaleRows, div } from './rows';
