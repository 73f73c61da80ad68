export { generateDemoDataset, defaultDemoDir, DEMO_DEFAULTS, type DemoDatasetOptions, type DemoDatasetSummary } from './generate';
export { describeDemoQuestionTypes, demoQuestionTypeOf, scoreDemoAnswer, normaliseDemoAnswer, type DemoQuestionType, type DemoQuestionSet, type DemoModality } from '../../shared/demo/questionTypes';
export { generateColourZhDataset, COLOUR_ZH_DEFAULTS, type ColourZhOptions } from './colourZh';
