/**
 * The built-in engine's compute core: tensors in one shared WebAssembly.Memory, WASM SIMD kernels
 * (optionally split over kernel helper threads), a tape-based autograd, nn modules, AdamW, and the
 * GPT-2 reference model. Plain TypeScript, no SvelteKit imports: loads in worker_threads and tests.
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
 *   parameter grads are persistent they keep accumulating), then opt.step({ gradScale: 1 / n }).
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
 *
 * Modules: Linear, Embedding, LayerNorm, RMSNorm, FusedSelfAttention (GPT-2), GroupedSelfAttention
 *   (q/k/v/o, GQA, RoPE), GeluMLP, SwiGLUMLP; Module.parameters() / namedParameters().
 * Optimizer: new AdamW(params | ParamGroup[], { lr, beta1, beta2, eps, weightDecay, maxGradNorm });
 *   opt.step({ gradScale, lr, zeroGrad }) -> { gradNorm, clipScale }; opt.zeroGrad().
 * Model: new GPT2({ vocabSize, maxSeqLen, layers, heads, channels }, seed); model.forward(tokens, targets)
 *   -> { logits, loss }; model.flat is the llm.c-ordered parameter buffer; parameterGroups(wd).
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
export { empty, zeros, fromArray, parameter, randn, view, select, free, ensureGrad, type TensorOptions } from './tensor/create';
export { backward, beginStep, noGrad, isGradEnabled, tapeLength } from './autograd/tape';
export * from './autograd/ops/index';
export { quantizeInt8, quantizeNF4, NF4_CODES, type Int8Weight, type NF4Weight } from './kernels/quant';
export { quantizedWeight } from './kernels/quantized-weight';
export { gemm, BType, type GemmCall } from './kernels/gemm';
export { Module, createParameter, type Init } from './nn/module';
export { Linear, Embedding, type LinearOptions } from './nn/linear';
export { LayerNorm, RMSNorm } from './nn/norm';
export { FusedSelfAttention, GroupedSelfAttention, type GroupedAttentionOptions } from './nn/attention';
export { GeluMLP, SwiGLUMLP } from './nn/mlp';
export { AdamW, type AdamWOptions, type ParamGroup, type StepOptions, type StepResult } from './optim/adamw';
export { GPT2, GPT2_PARAM_NAMES, gpt2ParamShapes, type GPT2Config, type GPT2Output, type GPT2ParamName } from './models/gpt2';
