export { generateDemoDataset, defaultDemoDir, DEMO_DEFAULTS, type DemoDatasetOptions, type DemoDatasetSummary } from './generate';
export { describeDemoQuestionTypes, demoQuestionTypeOf, scoreDemoAnswer, normaliseDemoAnswer, type DemoQuestionType, type DemoModality } from './questionTypes';
