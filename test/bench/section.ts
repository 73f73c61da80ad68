// What a bench section is: a name, a one-line description, and a run that prints its own table and
// returns its figures (JSON values, a figure per key or a small table of numbers under one key). The
// runner prints the figures as the section's last line.

export type Figures = Record<string, number | string | boolean | Record<string, number>>;

export interface BenchSection {
	name: string;
	description: string;
	run(): Promise<Figures>;
}

/** Prints rows as an aligned text table under a title. */
export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
	const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)))];
	const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
	const line = (r: (string | number)[]) => r.map((c, i) => String(c).padStart(widths[i])).join('  ');
	console.log(`\n${title}`);
	console.log(line(header));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const r of cells.slice(1)) console.log(line(r));
}

export function formatNumber(n: number): string {
	if (!Number.isFinite(n)) return String(n);
	if (Number.isInteger(n)) return String(n);
	return Math.abs(n) >= 100 ? n.toFixed(1) : Math.abs(n) >= 1 ? n.toFixed(2) : n.toFixed(4);
}

export function round(n: number, digits = 3): number {
	const f = 10 ** digits;
	return Math.round(n * f) / f;
}
