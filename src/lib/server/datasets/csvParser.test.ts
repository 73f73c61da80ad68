import { describe, expect, it } from 'vitest';
import { CsvRecordSplitter } from './csvParser';

function parse(text: string, chunkSize: number): (string[] | null)[] {
	const splitter = new CsvRecordSplitter(1 << 20);
	const data = Buffer.from(text, 'utf8');
	const out: (string[] | null)[] = [];
	for (let i = 0; i < data.length; i += chunkSize) out.push(...splitter.push(data.subarray(i, i + chunkSize)).map((r) => r.fields));
	out.push(...splitter.end().map((r) => r.fields));
	return out;
}

describe('CsvRecordSplitter', () => {
	const text = '\ufeffa,"b,1","c ""q"" ü"\r\n"multi\nline",,x\rlast,"", end';
	const expected = [
		['a', 'b,1', 'c "q" ü'],
		['multi\nline', '', 'x'],
		['last', '', ' end']
	];

	it('follows RFC 4180 at every chunk boundary', () => {
		for (const size of [1, 2, 3, 4, 5, 8, 13, 1000]) expect(parse(text, size)).toEqual(expected);
	});

	it('numbers records like spreadsheet rows and drops oversized ones', () => {
		const splitter = new CsvRecordSplitter(10);
		const records = [...splitter.push(Buffer.from('h\nshort\nthis one is far too long\nok\n')), ...splitter.end()];
		expect(records).toEqual([
			{ row: 1, fields: ['h'] },
			{ row: 2, fields: ['short'] },
			{ row: 3, fields: null },
			{ row: 4, fields: ['ok'] }
		]);
	});
});
