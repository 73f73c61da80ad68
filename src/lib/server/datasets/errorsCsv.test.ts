import { describe, expect, it } from 'vitest';
import { errorsToCsv } from './errorsCsv';
import { CsvRecordSplitter } from './csvParser';

describe('errorsToCsv', () => {
	it('quotes commas, quotes and line breaks so the CSV reads back exactly', () => {
		const csv = errorsToCsv([
			{ file: 'a,b.jsonl', line: 3, field: 'messages[0].content', kind: 'empty_content', message: 'The "user" message\nis empty.' },
			{ file: 'c.csv', line: null, field: null, kind: 'bad_csv', message: '=cmd()' }
		]);
		const splitter = new CsvRecordSplitter(1 << 20);
		const records = [...splitter.push(Buffer.from(csv)), ...splitter.end()].map((r) => r.fields);
		expect(records).toEqual([
			['file', 'line', 'field', 'kind', 'message'],
			['a,b.jsonl', '3', 'messages[0].content', 'empty_content', 'The "user" message\nis empty.'],
			['c.csv', '', '', 'bad_csv', "'=cmd()"]
		]);
	});
});
