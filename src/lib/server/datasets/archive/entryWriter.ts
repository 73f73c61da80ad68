import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ExtractionBudget } from './extractionBudget';

/**
 * Writes one archive entry below the destination. Only regular files and folders are ever created there,
 * so no later entry can be redirected through a link.
 */
export async function writeEntry(destination: string, relative: string, content: Readable, budget: ExtractionBudget): Promise<void> {
	const target = path.join(destination, ...relative.split('/'));
	await mkdir(path.dirname(target), { recursive: true });
	await pipeline(content, budget.meter(relative), createWriteStream(target));
}
