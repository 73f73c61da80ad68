/**
 * The built-in engine's compute core: tensors in one shared WebAssembly.Memory, WASM SIMD kernels
 * (optionally split over kernel helper threads), a tape-based autograd with its ops, and the one
 * AdamW. Plain TypeScript, no SvelteKit imports, nothing from src/lib/server: loads in
 * worker_threads and tests. Models, tuners, the Trainer and saved models: see train/index.ts and
 * models/multimodal/index.ts. (The GPT-2 reference model and its nn modules live in test/reference,
 * for the kernels benchmark and tests.)
 *
 * Lifecycle
 *   engine()                    this thread's engine (memory, heap, step arena, kernels); created on first use
 *   createEngine({ initialMiB, maximumMiB })   explicit memory sizing, before anything else touches the engine
 *   await initThreads(n?)       start n-1 kernel helper threads (default SWIFTBOARD_THREADS or
 *                               os.availableParallelism()); large matmuls, attention and element-wise
 *                               kernels then split across them
 *   await shutdownThreads()     stop them (kernels keep running on the calling thread)
 *
 * Tensors (f32 unless dtype says i32 / i8 / u8; `ptr` is a byte offset in the shared memory)
 *   empty / zeros / fromArray(values, shape, { dtype, lifetime, requiresGrad, name })
 *   randn(shape, std, seed), parameter(shape, name, init?)   persistent + requiresGrad + zeroed grad
 *   createParameter(shape, name, { kind: 'zeros' | 'ones' | 'normal', std, seed })   a model weight
 *   view(t, shape), select(t, i), free(t)
 *   t.f32() / t.i32() live views, t.toArray() copy, t.item(), t.set(values), t.fill(v)
 *   lifetime 'step' (default): lives in the step arena until the next beginStep().
 *   lifetime 'persistent': heap, until free(t). Parameters, optimizer state, fixed inputs.
 *
 * Autograd
 *   beginStep()                 start of every step: clears the tape, rewinds the step arena
 *                               (activations reuse last step's memory; no growth in steady state)
 *   backward(loss, seed?)       replays the tape; gradients accumulate (+=) into t.grad
 *   noGrad(fn)                  run without recording
 *   Freezing: t.requiresGrad = false (e.g. LoRA base weights); ops then skip that gradient entirely.
 *   Gradient accumulation: call forward+backward per micro-batch (beginStep() before each, since
 *   parameter grads are persistent they keep accumulating; seed each backward with its share), then opt.step(lr).
 *
 * Ops (all differentiable; shapes in each op's doc)
 *   matmul(a, b, { transA, transB }), linear(x, w (out,in), b?), linearQuantized(x, QuantizedWeight, b?)
 *   add, mul, scale, gelu, silu, swiglu(gate, up), dropout(x, p, seed)
 *   layerNorm(x, w, b, eps), rmsNorm(x, w, eps)
 *   rope(x (B,T,H,hs), ropeTable(T, hs, base)), softmax(x)
 *   causalAttention(q (B,T,NH,hs), k, v (B,T,NKV,hs)) (GQA when NKV < NH), causalAttentionFused(qkv (B,T,3C), NH)
 *   crossEntropy(logits (...,V), targets i32, ignoreIndex = IGNORE_INDEX), embedding(table, ids), reshape
 *   rowNorm(x (...,C)) -> (...), scaleRows(x (...,C), s (rows)), div(a, b): with linear/add these compose
 *   DoRA's m * V / ||V||_row
 *   Quantised frozen weights: quantizeInt8 / quantizeNF4 (host arrays) -> QuantizedWeight via quantizedWeight().
 *   Composite: sequenceLogProbs, loraLinear (fused frozen base + LoRA), scaleColumns (DoRA), segmentRope /
 *   segmentAttention (packed rows), ropeAt (decoding), spliceFeatures (media features over placeholder
 *   rows), addPositions / addTemporal, bidirectionalAttention (towers), gatherRows.
 *
 * Optimizer: new ResumableAdamW([[name, tensor], ...], { beta1, beta2, eps, weightDecay, maxGradNorm }, lrScale?)
 *   opt.step(lr) -> pre-clip grad norm (clips to maxGradNorm, decays 2-D tensors, clears the grads);
 *   stateTensors() / loadState(t, get) save and restore the moments exactly.
 *
 * Knobs and diagnostics
 *   SWIFTBOARD_THREADS=n         default thread count for initThreads()
 *   SWIFTBOARD_RELAXED_SIMD=0    take the baseline kernels instead of the relaxed-SIMD (FMA) build,
 *                                which is the default (on Node 20 it sets V8's experimental flag)
 *   engine().profile = new Map() per-kernel time and call counts until set back to null
 *   Results do not depend on the thread count: every output element has one owning thread.
 */

export { engine, createEngine, initThreads, shutdownThreads, Engine, type EngineOptions } from './tensor/runtime';
export { Tensor, sizeOf, type DType, type Lifetime } from './tensor/tensor';
export { empty, zeros, fromArray, parameter, createParameter, randn, view, select, free, ensureGrad, type TensorOptions, type Init } from './tensor/create';
export { backward, beginStep, noGrad, isGradEnabled, tapeLength } from './autograd/tape';
export * from './autograd/ops/index';
export { quantizeInt8, quantizeNF4, NF4_CODES, type Int8Weight, type NF4Weight } from './kernels/quant';
export { quantizedWeight } from './kernels/quantized-weight';
export { gemm, BType, type GemmCall } from './kernels/gemm';
export { ResumableAdamW, clipScale, type OptimizerOptions } from './train/optimizer';
