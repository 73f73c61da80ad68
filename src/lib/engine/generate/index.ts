export * from './sampling';
export * from './generate';
