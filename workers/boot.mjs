// Entry for every TypeScript worker thread. Node 20 does not pass `--import` loaders on to worker
// threads, so each worker registers tsx itself, then loads the module named by its first argument.
import { register } from 'tsx/esm/api';

register();
const entry = process.argv[2];
if (!entry) throw new Error('workers/boot.mjs needs the worker module URL as its first argument');
await import(entry);
