export * from './specialTokens';
export * from './byteTokenizer';
export * from './incrementalDecoder';
export * from './chatTypes';
export * from './chatTemplate';
export * from './mediaPlaceholders';
export { truncateFromEnd } from './truncation';
