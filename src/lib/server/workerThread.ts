import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { projectRoot } from './projectRoot';

/**
 * Starts a TypeScript worker thread through the tsx bootstrap (see workers/boot.mjs): `workers/<name>.ts`
 * for a bare name, or the module at an absolute path.
 */
export function startTsWorker(name: string, options: Omit<WorkerOptions, 'argv'> = {}): Worker {
	const root = projectRoot();
	const entry = pathToFileURL(path.isAbsolute(name) ? name : path.join(root, 'workers', `${name}.ts`)).href;
	return new Worker(path.join(root, 'workers', 'boot.mjs'), { ...options, argv: [entry] });
}
