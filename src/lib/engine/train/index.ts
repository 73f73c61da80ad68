// The built-in engine's training API: what the device worker drives (Trainer), what the chat and
// eval paths load (loadModelForInference), and the pieces they are made of.

export { Trainer, type TrainerOptions, type TrainerCallbacks, type TrainResult } from './trainer';
export type { TrainRow, ModelSource, LossConfig, TrainingArguments, ResolvedArguments } from './config';
export { resolveArguments } from './config';
export type { TrainLog, TrainerState } from './state';
export { saveCheckpoint, loadCheckpoint, saveModel, saveAdapter, rotateCheckpoints, checkpointDir } from './checkpointing';
export { loadModelForInference, inferenceModel, type InferenceModel } from './inference';
export { exportMerged } from './exportMerged';
export { LlamaModel, LLAMA_PRESETS, resolveLlamaConfig, llamaParamCount, toHfConfig, fromHfConfig, type LlamaConfig, type LlamaPreset, type LlamaInput } from '../models/llama/index';
export { applyTuner, mergeAdapters, trainableCount, projectionBytes, resolveTunerConfig, type TunerConfig, type TunedModel } from '../tuners/index';
export { preferenceLoss, sftLoss, type PreferenceConfig, type PreferenceType } from '../losses/index';
export { generate, sampleToken, type GenerateOptions, type SamplingOptions } from '../generate/index';
