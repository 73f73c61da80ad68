// Module entry: every kernel the engine calls. All take raw byte offsets into the one shared memory
// the host allocates; nothing here allocates, so any number of threads can instantiate this module
// over the same memory.

export { gemm, gemmScratchBytes } from './gemm';
export { add, mul, axpy, scale, biasAdd, biasBackward, dropout, sumSquares, zero } from './eltwise';
export { geluForward, geluBackward, siluForward, siluBackward, swigluForward, swigluBackward, expForward } from './activation';
export { layerNormForward, layerNormBackward, rmsNormForward, rmsNormBackward } from './norm';
export { rope } from './rope';
export { softmaxForward, softmaxBackward } from './softmax';
export { attentionForward, attentionBackward, attentionScratchBytes, attentionBlock } from './attention';
export { crossEntropyForward, crossEntropyBackward } from './loss';
export { embeddingForward, embeddingBackward } from './embedding';
export { adamw } from './adamw';
export { rowNormForward, rowNormBackward, scaleRowsForward, scaleRowsBackward, scaleColumnsForward, scaleColumnsBackward, columnDots, div, divBackward } from './rows';
