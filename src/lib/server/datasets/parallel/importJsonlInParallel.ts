import type { RowMeasure } from '../datasetStats';
import type { FileContext, RowImporter } from '../rowImporter';
import { isPlainObject } from '../sourceRecord';
import { readJsonlInParallel } from './parallelJsonl';
import { ItemKind } from './rangeProtocol';

/**
 * Imports one large JSONL file with its rows prepared on worker threads. This thread only stores what
 * the workers prepared, in file order, and finishes the rows they hand back (media, preference data)
 * through the same RowImporter as the single-threaded path, so results are identical either way.
 */
export async function importJsonlInParallel(
	importer: RowImporter,
	file: FileContext,
	source: { path: string; size: number },
	options: { threads: number; maxRecordBytes: number; maxFieldChars: number; onBytes: (bytes: number) => void; signal?: AbortSignal }
): Promise<void> {
	const batches = readJsonlInParallel(source.path, source.size, options.threads, {
		maxRecordBytes: options.maxRecordBytes,
		maxFieldChars: options.maxFieldChars
	});
	for await (const { batch, lineOffset } of batches) {
		options.signal?.throwIfAborted();
		options.onBytes(batch.bytes);
		for (const [format, count] of Object.entries(batch.formats)) file.formatCounts[format] = (file.formatCounts[format] ?? 0) + count;
		let stored = 0;
		let failed = 0;
		let deferred = 0;
		for (let i = 0; i < batch.kinds.length; i++) {
			const line = lineOffset + batch.lines[i];
			let pending: Promise<void> | undefined;
			switch (batch.kinds[i]) {
				case ItemKind.Stored: {
					const at = stored * 3;
					const measure: RowMeasure = {
						tokens: batch.measures[at],
						messages: batch.measures[at + 1],
						turns: batch.measures[at + 2],
						images: 0,
						audios: 0,
						videos: 0,
						preference: false
					};
					pending = importer.storePrepared(batch.json[stored++], measure, file, line);
					break;
				}
				case ItemKind.Problems:
					pending = importer.reportRow(file, line, batch.problems[failed++]);
					break;
				case ItemKind.Deferred: {
					const text = batch.texts[deferred++];
					const value: unknown = JSON.parse(text);
					if (isPlainObject(value)) pending = importer.handle({ line, value, text }, file);
					break;
				}
			}
			if (pending) await pending;
		}
	}
}
