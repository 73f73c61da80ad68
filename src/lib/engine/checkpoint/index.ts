export * from './safetensors';
export * from './peft';
