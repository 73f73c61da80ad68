import fs from 'node:fs/promises';
import { ACCEPTED_BY_KIND, SNIFF_BYTES, sniffMedia } from '../datasets/mediaSniff';
import type { MediaKindName } from '../../shared/inference';

/**
 * Why a file cannot be an attachment of this kind (its first bytes are no format of that kind), or
 * null. Deeper damage shows when the worker decodes it, and that error names the attachment too.
 */
export async function sniffMediaFile(file: string, kind: MediaKindName): Promise<string | null> {
	const handle = await fs.open(file, 'r');
	try {
		const { buffer, bytesRead } = await handle.read(new Uint8Array(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
		const sniffed = sniffMedia(buffer.subarray(0, bytesRead));
		if (!sniffed) return `not a readable ${kind} file: expected ${ACCEPTED_BY_KIND[kind]}`;
		if (!sniffed.kinds.includes(kind)) return `a ${sniffed.label}, not ${kind === 'image' ? 'an' : 'a'} ${kind}`;
		return null;
	} finally {
		await handle.close();
	}
}
