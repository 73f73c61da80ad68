import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../engine/kernels/module';

let cached: string | null = null;

/**
 * The SwiftBoard checkout this code runs from. Found by walking up from this module, because the same
 * code runs from source (tsx), from Vite in development, and in worker threads.
 */
export function projectRoot(): string {
	cached ??= findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
	return cached;
}
