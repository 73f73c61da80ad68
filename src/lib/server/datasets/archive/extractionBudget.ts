import { Transform, type TransformCallback } from 'node:stream';

export interface ExtractionLimits {
	maxEntries: number;
	/** Total bytes written for one archive, counted as they are written (headers can lie). */
	maxTotalBytes: number;
	maxEntryBytes: number;
	/**
	 * Bytes written may reach this many times the archive's own size (plus 1 MiB for tiny archives),
	 * so a small upload cannot fill the disk: a zip bomb stops at the entry that passes it.
	 */
	maxExpansionRatio: number;
}

const EXPANSION_SLACK_BYTES = 1024 * 1024;

export class ExtractionLimitError extends Error {}

/** Counts entries and bytes for one archive and stops extraction the moment a limit is passed. */
export class ExtractionBudget {
	entries = 0;
	bytes = 0;

	private readonly maxExpandedBytes: number;

	constructor(
		readonly limits: ExtractionLimits,
		archiveBytes = 0
	) {
		this.maxExpandedBytes = archiveBytes * limits.maxExpansionRatio + EXPANSION_SLACK_BYTES;
	}

	takeEntry(): void {
		this.entries++;
		if (this.entries > this.limits.maxEntries) {
			throw new ExtractionLimitError(`the archive has more than ${this.limits.maxEntries} entries`);
		}
	}

	/** A pass-through stream that charges every byte of one entry to the budget. */
	meter(entryName: string): Transform {
		let entryBytes = 0;
		return new Transform({
			transform: (chunk: Buffer, _encoding, callback: TransformCallback) => {
				entryBytes += chunk.length;
				this.bytes += chunk.length;
				if (entryBytes > this.limits.maxEntryBytes) {
					callback(new ExtractionLimitError(`"${entryName}" is larger than ${this.limits.maxEntryBytes} bytes`));
				} else if (this.bytes > this.limits.maxTotalBytes) {
					callback(new ExtractionLimitError(`at "${entryName}" the archive unpacks to more than ${this.limits.maxTotalBytes} bytes`));
				} else if (this.bytes > this.maxExpandedBytes) {
					callback(
						new ExtractionLimitError(
							`at "${entryName}" the archive unpacks to more than ${this.maxExpandedBytes} bytes, over ${this.limits.maxExpansionRatio} times its own size`
						)
					);
				} else {
					callback(null, chunk);
				}
			}
		});
	}
}
