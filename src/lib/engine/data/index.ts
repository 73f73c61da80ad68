export * from './seededRandom';
export * from './epochOrder';
export * from './tokenizedSample';
export * from './collate';
export * from './packing';
export * from './schedule';
