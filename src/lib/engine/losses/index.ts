export * from './sft';
export * from './preference';
