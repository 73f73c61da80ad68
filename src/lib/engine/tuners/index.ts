export * from './config';
export * from './freeze';
export * from './lora';
export * from './quantize';
export * from './apply';
export * from './merge';
