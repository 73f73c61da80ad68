import type { LongRow } from '../../shared/dataset';

/** Keeps the N longest rows seen so far; N is small, so a sorted array beats a heap. */
export class LongestRows {
	private readonly rows: LongRow[] = [];

	constructor(private readonly keep = 10) {}

	/** Called for every stored row, so nothing is allocated unless the row makes the list. */
	offer(index: number, tokens: number, file: string, line: number): void {
		if (this.rows.length === this.keep && tokens <= this.rows[this.rows.length - 1].tokens) return;
		const row: LongRow = { index, tokens, file, line };
		let at = this.rows.length;
		while (at > 0 && this.rows[at - 1].tokens < row.tokens) at--;
		this.rows.splice(at, 0, row);
		if (this.rows.length > this.keep) this.rows.pop();
	}

	list(): LongRow[] {
		return [...this.rows];
	}
}
