// The multimodal model's API, for the device worker and the chat / eval paths.
//
// Train the demo (or any ms-swift JSONL whose media are files next to it):
//   const vlm = await trainDemoVlm({ trainFile, loaders, preset?: Partial<MultimodalPreset>, callbacks?: { onLog, shouldStop } })
//   -> { model, cache, result: { tuned, steps, status, logs }, samples, prepareMs, trainMs }
// Ask it (greedy; one entry per row, media lists as in the row, paths relative to baseDir):
//   const [answer] = await answerDemoRows(vlm, [{ messages: [{ role: 'user', content: '<image>What shape is in the image?' }], images: ['a.png'] }], baseDir)
// Lower level: new MultimodalModel(config, seed); MediaFeatureCache(config, loaders).trainSample / promptSample;
// trainMultimodal(model, samples, options, callbacks); greedyAnswers(model, prompts, options).
// Parameters live in model.llm.params with HF names and vit / aligner / llm tags, so applyTuner's
// freeze_llm / freeze_vit / freeze_aligner and LoRA targeting work on the whole model.

export * from './config';
export { MultimodalModel, MEDIA_KINDS, type MediaGroup, type MultimodalInput } from './model';
export { MediaFeatureCache, rowLists, type MediaLoaders } from './mediaPipeline';
export { expandPlaceholders, collateMultimodal, packMultimodal, type MultimodalSample, type MultimodalBatch, type MediaItem } from './samples';
export { trainMultimodal, tagOfName, type MultimodalTrainOptions, type MultimodalTrainLog, type MultimodalTrainCallbacks, type MultimodalTrainResult } from './train';
export { greedyAnswers, type GreedyOptions } from './generate';
export { DEMO_VLM, type MultimodalPreset } from './preset';
export { trainDemoVlm, answerDemoRows, readJsonlRows, type TrainDemoVlmOptions, type TrainedVlm } from './demo';
