import { describe, expect, it } from 'vitest';
import { encode } from '../../src/lib/engine/tokenizer/byteTokenizer';
import { END_ID, EOS_ID } from '../../src/lib/engine/tokenizer/specialTokens';
import { samplingSchema, type SamplingInput } from '../../src/lib/shared/inference';
import { AnswerTokens } from './answerTokens';

/** Feeds tokens as the worker does (the cache one longer per token) until the answer ends. */
function decode(tokens: number[], sampling: SamplingInput, maxPositions = 1000, promptLength = 10) {
	const answer = new AnswerTokens(samplingSchema.parse(sampling), maxPositions);
	for (const [i, token] of tokens.entries()) {
		const step = answer.take(token, promptLength + i);
		if (step.end) return { text: answer.text + answer.flush(), completion: answer.completion, end: step.end, taken: i + 1 };
	}
	return { text: answer.text + answer.flush(), completion: answer.completion, end: null, taken: tokens.length };
}

describe('AnswerTokens', () => {
	it('ends at an end-of-turn token, which is neither counted nor shown', () => {
		expect(decode([...encode('red'), END_ID, ...encode('more')], {})).toEqual({ text: 'red', completion: 3, end: 'stop', taken: 4 });
		expect(decode([...encode('blue'), EOS_ID], {})).toMatchObject({ text: 'blue', end: 'stop' });
	});

	it('with ignore_eos goes past end-of-turn tokens, counting them without showing them, to max_new_tokens', () => {
		const tokens = [...encode('red'), END_ID, ...encode('ab'), EOS_ID, ...encode('cdefgh')];
		expect(decode(tokens, { ignore_eos: true, max_new_tokens: 9 })).toEqual({ text: 'redabcd', completion: 9, end: 'length', taken: 9 });
	});

	it('an ignored end-of-turn token ends an unfinished character, as any special token does', () => {
		expect(decode([...encode('颜').slice(0, 2), EOS_ID, ...encode('a')], { ignore_eos: true, max_new_tokens: 4 })).toMatchObject({ text: '\uFFFDa', completion: 4 });
	});

	it('with ignore_eos still ends at a stop string and at the end of the context', () => {
		expect(decode([...encode('red'), EOS_ID, ...encode('xSTOPy')], { ignore_eos: true, stop: ['STOP'] })).toMatchObject({ text: 'redx', end: 'stop' });
		expect(decode([...encode('abcdefgh'), EOS_ID], { ignore_eos: true, max_new_tokens: 100 }, 14, 10)).toMatchObject({ text: 'abcde', completion: 5, end: 'length' });
	});

	it('ends at max_new_tokens with whole characters, the unfinished ones flushed at the end', () => {
		expect(decode(encode('颜色'), { max_new_tokens: 3 })).toEqual({ text: '颜', completion: 3, end: 'length', taken: 3 });
		expect(decode(encode('颜色').slice(0, 4), { max_new_tokens: 4 })).toEqual({ text: '颜\uFFFD', completion: 4, end: 'length', taken: 4 });
	});
});
