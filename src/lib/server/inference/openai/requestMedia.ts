import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MediaInput } from './backend';
import type { MediaValue } from './mediaValue';
import { OpenAIError } from './openaiError';

/** Finds a kept upload of this user (UploadStore.locate); null when it is not theirs or gone. */
export type LocateUpload = (id: string) => Promise<{ path: string } | null>;

/** Inline media of /api/v1 requests in flight, one folder per request; emptied at start (a crash leaves some). */
export function apiMediaDir(dataDir: string): string {
	return path.join(dataDir, 'tmp', 'api-v1');
}

export interface RequestMedia {
	media: MediaInput[];
	/** Removes the request's temp folder; safe to call more than once. */
	dispose(): Promise<void>;
}

/**
 * Gives every media item of one request a server path: inline bytes go to files in a temp folder of
 * that request alone (removed by `dispose` once the answer is done or cut), uploads resolve to the
 * uploader's own kept file. Nothing else ever becomes a path.
 */
export async function materialiseMedia(items: MediaValue[], locateUpload: LocateUpload, tmpRoot = os.tmpdir()): Promise<RequestMedia> {
	let dir: string | null = null;
	const dispose = async () => {
		if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
		dir = null;
	};
	try {
		const media: MediaInput[] = [];
		for (const [index, item] of items.entries()) {
			if ('uploadId' in item) {
				const upload = await locateUpload(item.uploadId);
				if (!upload) throw OpenAIError.invalid(`${item.param} names upload "${item.uploadId}", which is not one of your uploads (or has expired).`, item.param);
				media.push({ kind: item.kind, file: upload.path });
				continue;
			}
			if (!dir) {
				await fs.promises.mkdir(tmpRoot, { recursive: true });
				dir = await fs.promises.mkdtemp(path.join(tmpRoot, 'request-'));
			}
			const file = path.join(dir, `${index}.${item.ext}`);
			await fs.promises.writeFile(file, item.bytes);
			media.push({ kind: item.kind, file });
		}
		return { media, dispose };
	} catch (error) {
		await dispose();
		throw error;
	}
}
