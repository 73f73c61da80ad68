/**
 * The built-in engine's training API: what the device worker drives (Trainer), what the chat and
 * eval paths load (loadModelForInference), and the pieces they are made of.
 *
 * Training (call initThreads() first in the worker for multi-threaded kernels)
 *   const trainer = await Trainer.create({ model, tuner, loss?, train, val?, args?, outputDir, resumeFromCheckpoint? })
 *     model   'nano' | 'micro' | 'demo-vlm' | Partial<LlamaConfig> | { multimodal: MultimodalConfigInput } (seeded init)
 *             | { checkpoint: dir } (any saved model: full, merged, or an adapter, merged into its base first)
 *     media   multimodal rows: { loaders: MediaLoaders, baseDir } (decoders handed in; each file decoded once)
 *     tuner   { tuner_type: 'full' | 'lora', lora_rank, lora_alpha, lora_dropout, target_modules, use_rslora,
 *               use_dora, quant_bits: 4 | 8, freeze_llm, freeze_vit, freeze_aligner }
 *             full: every tensor of an unfrozen tower trains. lora: adapters on the target_modules projections
 *             of the unfrozen LLM and vision/audio towers; an unfrozen aligner trains whole and is saved
 *             beside the adapters (PEFT modules_to_save). Every tower frozen: "nothing to train".
 *     loss    absent = SFT; { rlhf_type: 'dpo' | 'orpo' | 'simpo', beta, simpo_gamma, rpo_alpha, cpo_alpha }
 *     train / val   ms-swift rows { messages, rejected_response?, rejected_messages? }
 *     args    ms-swift hyper-parameters (num_train_epochs, max_steps, per_device_train_batch_size,
 *             gradient_accumulation_steps, max_length, truncation_strategy, packing, lr_scheduler_type, warmup_ratio,
 *             learning_rate, weight_decay, max_grad_norm, eval_steps, save_steps, save_total_limit,
 *             logging_steps, seed, vit_lr, aligner_lr, ...); max_steps > 0 sets the schedule's length
 *   const result = await trainer.run({ onLog, onCheckpoint, shouldStop })
 *     onLog(m): { step, epoch, loss, token_acc, learning_rate, grad_norm, tokens_per_s, memory, elapsed_ms,
 *               remaining_ms } (+ rewards/chosen, rewards/rejected, rewards/accuracies, rewards/margins,
 *               logps/chosen, logps/rejected for preference runs); evaluation entries carry
 *               { step, epoch, eval_loss, eval_token_acc, eval_runtime, eval_samples_per_second, eval_rewards/... }
 *     onCheckpoint(path): after each <outputDir>/checkpoint-<step> is written
 *     shouldStop(): polled after every optimizer update; true = save a checkpoint and return 'stopped'
 *     result: { status: 'completed' | 'stopped', globalStep, lastCheckpoint, logHistory }
 *   Resume: Trainer.create({ ...same options, resumeFromCheckpoint: '<outputDir>/checkpoint-<k>' }).
 *
 * Inference: const m = await loadModelForInference(dir); m.forwardLogits(ids); m.generate(promptIds,
 *   { max_new_tokens, temperature, top_k, top_p, repetition_penalty, seed, stop, onToken }).
 * Export: await exportMerged(adapterCheckpoint, outDir?) writes a merged HF model directory.
 *
 * Saved models (models/saved.ts; text and multimodal, full or PEFT adapter over a base folder):
 *   describeSavedModel(dir) -> { architecture: 'llama' | 'multimodal', format: 'full' | 'adapter', modalities,
 *     parameters, trainableParameters, baseModel, tunerType }; validates every field and tensor, errors name the file
 *   loadSavedModel(dir) -> LlamaModel | MultimodalModel (an adapter on its base, unmerged)
 *   mergeAdapter(adapterDir, outDir) -> SavedModelInfo of the merged full model written to outDir
 */

export { Trainer, type TrainerOptions, type TrainerCallbacks, type TrainResult } from './trainer';
export type { TrainRow, ModelSource, LossConfig, TrainingArguments, ResolvedArguments } from './config';
export { resolveArguments } from './config';
export type { TrainLog, TrainerState } from './state';
export { saveCheckpoint, loadCheckpoint, saveAdapter, rotateCheckpoints, checkpointDir } from './checkpointing';
export { saveModel, loadPretrained, modelWeights, type AnyModel, type Architecture } from '../models/modelFiles';
export { describeSavedModel, loadSavedModel, mergeAdapter, type SavedModelInfo, type Modality } from '../models/saved';
export { trainableModel, tagOfName, type TrainableModel, type NamedParameter } from './trainableModel';
export type { MediaOptions } from './multimodalData';
export { loadModelForInference, inferenceModel, type InferenceModel } from './inference';
export { exportMerged } from './exportMerged';
export { LlamaModel, LLAMA_PRESETS, resolveLlamaConfig, llamaParamCount, toHfConfig, fromHfConfig, type LlamaConfig, type LlamaPreset, type LlamaInput } from '../models/llama/index';
export { applyTuner, mergeAdapters, trainableCount, projectionBytes, resolveTunerConfig, type TunerConfig, type TunedModel } from '../tuners/index';
export { preferenceLoss, sftLoss, type PreferenceConfig, type PreferenceType } from '../losses/index';
export { generate, sampleToken, type GenerateOptions, type SamplingOptions } from '../generate/index';
