import { describe, expect, it } from 'vitest';
import { StopMatcher } from './stopStrings';

function run(stops: string[], pieces: string[]): { shown: string; stopped: boolean } {
	const m = new StopMatcher(stops);
	let shown = '';
	for (const p of pieces) {
		shown += m.push(p);
		if (m.stopped) break;
	}
	return { shown: shown + m.flush(), stopped: m.stopped };
}

describe('StopMatcher', () => {
	it('ends at a stop string split over tokens and never shows it', () => {
		expect(run(['END'], ['ab', 'cE', 'N', 'Dxyz'])).toEqual({ shown: 'abc', stopped: true });
	});

	it('holds back only a possible start of a stop string, and releases it when it does not match', () => {
		const m = new StopMatcher(['\n\n']);
		expect(m.push('hi\n')).toBe('hi');
		expect(m.push('x')).toBe('\nx');
		expect(run(['stop'], ['st', 'ep'])).toEqual({ shown: 'step', stopped: false });
	});

	it('takes the earliest of several stop strings; no stops passes everything', () => {
		expect(run(['b', 'a'], ['xxab'])).toEqual({ shown: 'xx', stopped: true });
		expect(run([], ['a', 'b'])).toEqual({ shown: 'ab', stopped: false });
	});
});
