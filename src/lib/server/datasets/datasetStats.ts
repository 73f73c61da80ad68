import type { DatasetSplit, DatasetStats, StandardRow } from '../../shared/dataset';
import { countTokens } from './countTokens';
import { LongestRows } from './longestRows';
import { isValidationRow } from './split';
import { TokenHistogram } from './tokenHistogram';

/** What the statistics need from one row; worker threads measure rows and send only this. */
export interface RowMeasure {
	tokens: number;
	messages: number;
	/** Assistant replies. */
	turns: number;
	images: number;
	audios: number;
	videos: number;
	preference: boolean;
}

export function measureRow(row: StandardRow): RowMeasure {
	let turns = 0;
	for (const message of row.messages) if (message.role === 'assistant') turns++;
	return {
		tokens: countTokens(row),
		messages: row.messages.length,
		turns,
		images: row.images?.length ?? 0,
		audios: row.audios?.length ?? 0,
		videos: row.videos?.length ?? 0,
		preference: row.rejected_response !== undefined || row.rejected_messages !== undefined || row.label !== undefined
	};
}

/** Statistics gathered one stored row at a time, so they cost no second pass over the data. */
export class DatasetStatsAccumulator {
	private rows = 0;
	private messages = 0;
	private turns = 0;
	private readonly media = { image: 0, audio: 0, video: 0 };
	private preferenceRows = 0;
	private totalTokens = 0;
	private minTokens = Number.POSITIVE_INFINITY;
	private maxTokens = 0;
	private overMaxLength = 0;
	private validationRows = 0;
	private readonly histogram = new TokenHistogram();
	private readonly longest = new LongestRows(10);

	constructor(
		private readonly maxLength: number,
		private readonly split: DatasetSplit
	) {}

	/** `index` is the row's position in the stored data.jsonl. */
	add(row: StandardRow, index: number, source: { file: string; line: number }): void {
		this.addMeasured(measureRow(row), index, source.file, source.line);
	}

	addMeasured(measure: RowMeasure, index: number, file: string, line: number): void {
		this.rows++;
		this.messages += measure.messages;
		this.turns += measure.turns;
		this.media.image += measure.images;
		this.media.audio += measure.audios;
		this.media.video += measure.videos;
		if (measure.preference) this.preferenceRows++;

		const tokens = measure.tokens;
		this.totalTokens += tokens;
		if (tokens < this.minTokens) this.minTokens = tokens;
		if (tokens > this.maxTokens) this.maxTokens = tokens;
		if (tokens > this.maxLength) this.overMaxLength++;
		this.histogram.add(tokens);
		this.longest.offer(index, tokens, file, line);
		if (isValidationRow(index, this.split)) this.validationRows++;
	}

	result(): DatasetStats {
		const rows = this.rows;
		return {
			rows,
			messages: this.messages,
			turns: this.turns,
			media: { ...this.media },
			preferenceRows: this.preferenceRows,
			tokens: {
				total: this.totalTokens,
				min: rows === 0 ? 0 : this.minTokens,
				max: this.maxTokens,
				mean: rows === 0 ? 0 : this.totalTokens / rows
			},
			histogram: this.histogram.buckets(),
			longestRows: this.longest.list(),
			maxLength: this.maxLength,
			overMaxLengthShare: rows === 0 ? 0 : this.overMaxLength / rows,
			split: { ...this.split },
			validationRows: this.validationRows
		};
	}
}
