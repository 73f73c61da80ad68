// The multimodal model's API, for the device worker and the chat / eval paths.
//
// Training goes through the one Trainer (train/trainer.ts): Trainer.create({ model: 'demo-vlm' |
// { multimodal: config } | { checkpoint }, tuner, train, val?, args, outputDir, media: { loaders, baseDir } }).
// The demo (or any ms-swift JSONL whose media are files next to it), from scratch on the preset:
//   const vlm = await trainDemoVlm({ trainFile, loaders, preset?: Partial<MultimodalPreset>, outputDir?,
//     resumeFromCheckpoint?, callbacks?: { onLog, onCheckpoint, shouldStop } })
//   -> { model, cache, trainer, result: { status, globalStep, lastCheckpoint, logHistory }, samples, prepareMs, trainMs }
// Ask it (greedy; one entry per row, media lists as in the row, paths relative to baseDir):
//   const [answer] = await answerDemoRows(vlm, [{ messages: [{ role: 'user', content: '<image>What shape is in the image?' }], images: ['a.png'] }], baseDir)
// Lower level: new MultimodalModel(config, seed); MediaFeatureCache(config, loaders).trainSample / promptSample;
// greedyAnswers(model, prompts, options). Media loaders are always handed in (the engine decodes no files).
// Parameters live in model.llm.params with HF names and vit / aligner / llm tags, so applyTuner's
// freeze_llm / freeze_vit / freeze_aligner and LoRA targeting work on the whole model.
// Saved on disk (checkpoints, merges) in HF layout: config.json (architectures ["SwiftBoardVLM"],
// text_config, vision_config, audio_config, video_frames, merge, preprocessing, chat_template) +
// model.safetensors, or a PEFT adapter over a base folder; see models/saved.ts.

export * from './config';
export { MultimodalModel, MEDIA_KINDS, type MediaGroup, type MultimodalInput } from './model';
export { MediaFeatureCache, rowLists, type MediaLoaders } from './mediaPipeline';
export { expandPlaceholders, collateMultimodal, packMultimodal, type MultimodalSample, type MultimodalBatch, type MediaItem } from './samples';
export { greedyAnswers, type GreedyOptions } from './generate';
export { DEMO_VLM, type MultimodalPreset } from './preset';
export { trainDemoVlm, answerDemoRows, readJsonlRows, type TrainDemoVlmOptions, type TrainedVlm } from './demo';
export { toVlmHfConfig, fromVlmHfConfig, VLM_ARCHITECTURE, VLM_MODEL_TYPE, CHAT_TEMPLATE } from './hfConfig';
export { multimodalParamSpecs, llamaParamSpecs, type ParamSpec } from './paramShapes';
