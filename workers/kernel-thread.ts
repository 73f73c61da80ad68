// Entry of a kernel helper thread: joins the engine's shared memory and serves kernel jobs until
// the pool stops it. Started by src/lib/engine/threads/pool.ts.

import { parentPort, workerData } from 'node:worker_threads';
import { runHelper } from '../src/lib/engine/threads/helper';
import type { HelperInit } from '../src/lib/engine/threads/protocol';

runHelper(workerData as HelperInit, () => parentPort?.postMessage('ready'));
