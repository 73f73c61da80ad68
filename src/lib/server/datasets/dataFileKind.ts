export type DataFileKind = 'jsonl' | 'json' | 'csv';

export function dataFileKindOf(fileName: string): DataFileKind | null {
	const lower = fileName.toLowerCase();
	if (lower.endsWith('.jsonl')) return 'jsonl';
	if (lower.endsWith('.json')) return 'json';
	if (lower.endsWith('.csv')) return 'csv';
	return null;
}
