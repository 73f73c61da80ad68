export * from './config';
export * from './freeze';
export * from './lora';
export * from './doraNorm';
export * from './quantize';
export * from './apply';
export * from './merge';
