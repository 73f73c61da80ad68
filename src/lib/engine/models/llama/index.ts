export * from './config';
export * from './projection';
export * from './model';
export * from './weights';
