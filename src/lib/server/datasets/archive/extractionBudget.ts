import { Transform, type TransformCallback } from 'node:stream';

export interface ExtractionLimits {
	maxEntries: number;
	/** Total bytes written for one archive, counted as they are written (headers can lie). */
	maxTotalBytes: number;
	maxEntryBytes: number;
}

export class ExtractionLimitError extends Error {}

/** Counts entries and bytes for one archive and stops extraction the moment a limit is passed. */
export class ExtractionBudget {
	entries = 0;
	bytes = 0;

	constructor(readonly limits: ExtractionLimits) {}

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
					callback(new ExtractionLimitError(`the archive unpacks to more than ${this.limits.maxTotalBytes} bytes`));
				} else {
					callback(null, chunk);
				}
			}
		});
	}
}
