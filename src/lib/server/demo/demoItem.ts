import { createHash } from 'node:crypto';
import type { Canvas } from './canvas';
import type { DemoModality } from '../../shared/demo/questionTypes';

/** One question about one media item, before it is written out. */
export interface DemoItem {
	modality: DemoModality;
	/** Content hash of the media: equal keys mean identical media. */
	key: string;
	question: string;
	answer: string;
	/** Encoded PNG or WAV bytes; videos carry `frames` instead and are encoded when written. */
	bytes?: Uint8Array;
	frames?: Canvas[];
}

export function mediaKey(...parts: Uint8Array[]): string {
	const hash = createHash('sha256');
	for (const part of parts) hash.update(part);
	return hash.digest('hex');
}
