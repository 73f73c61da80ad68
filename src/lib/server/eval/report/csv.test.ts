import { describe, expect, it } from 'vitest';
import { buildReport } from './aggregate';
import { breakdownsCsv, samplesCsv, toCsv } from './csv';
import { ACCURACY, SAMPLES } from './fixtures';

describe('CSV export', () => {
	it('quotes as RFC 4180 and defuses spreadsheet formulas in text cells', () => {
		expect(toCsv([['a,b', 'say "hi"', 'two\nlines', 3, null, -1.5]])).toBe('"a,b","say ""hi""","two\nlines",3,,-1.5\r\n');
		expect(toCsv([['=SUM(A1)', '+1', '-x', '@cmd', '北京，你好']])).toBe("'=SUM(A1),'+1,'-x,'@cmd,北京，你好\r\n");
	});

	it('writes one row per sample with tags, modalities and scores', () => {
		const report = buildReport({ name: 'demo', model: 'tiny', dataset: 'demo-vqa', metrics: [ACCURACY], samples: SAMPLES });
		const lines = samplesCsv(report).trimEnd().split('\r\n');
		expect(lines[0]).toBe('index,category,subset,modalities,tag:type,prediction,references,extracted,accuracy');
		expect(lines[4]).toBe('3,vision,colour,image+audio,image_colour,square,"[""circle""]",,0');
		expect(lines[6]).toBe('5,audio,count,audio,,circle,"[""circle""]",,1');
	});

	it('writes one row per metric and breakdown bucket', () => {
		const report = buildReport({ name: 'demo', model: 'tiny', dataset: 'demo-vqa', metrics: [ACCURACY], samples: SAMPLES });
		const lines = breakdownsCsv(report).trimEnd().split('\r\n');
		expect(lines[0]).toBe('metric,by,value,num,score,macro_score,corpus_score');
		expect(lines[1]).toBe(`accuracy,overall,,6,${2 / 3},0.75,`);
		expect(lines).toContain('accuracy,modality,audio,3,0.6666666666666666,0.5,');
		expect(lines).toContain('accuracy,tag:type,image_colour,1,0,0,');
	});
});
