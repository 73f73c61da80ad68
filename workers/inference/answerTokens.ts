import { IncrementalDecoder } from '../../src/lib/engine/tokenizer/incrementalDecoder';
import { END_ID, EOS_ID } from '../../src/lib/engine/tokenizer/specialTokens';
import type { FinishReason, Sampling } from '../../src/lib/shared/inference';
import { StopMatcher } from './stopStrings';

/** The tokens that end a turn: the chat template's end and the tokenizer's eos. */
const END_OF_TURN = new Set([END_ID, EOS_ID]);

/** What one chosen token did: the text to show now, whether it counts as a completion token, and the end if it came. */
export interface TokenStep {
	text: string;
	counted: boolean;
	end: FinishReason | null;
}

/**
 * The answer side of one generation: turns each chosen token into text to show and says when the
 * answer ends and why (an end-of-turn token, a stop string, max_new_tokens, the model's context).
 * With `ignore_eos` (vLLM's option) an end-of-turn token is counted and decoding goes on; like vLLM's
 * skipped special tokens it shows no text. Plain bookkeeping, apart from the sessions, so the finish
 * rules are tested on their own.
 */
export class AnswerTokens {
	completion = 0;
	text = '';
	private readonly decoder = new IncrementalDecoder();
	private readonly stop: StopMatcher;

	constructor(
		private readonly sampling: Pick<Sampling, 'max_new_tokens' | 'stop' | 'ignore_eos'>,
		private readonly maxPositions: number
	) {
		this.stop = new StopMatcher(sampling.stop);
	}

	/** Takes the chosen token while `cached` tokens (prompt and answer so far) are in the cache. */
	take(token: number, cached: number): TokenStep {
		const endOfTurn = END_OF_TURN.has(token);
		if (endOfTurn && !this.sampling.ignore_eos) return { text: '', counted: false, end: 'stop' };
		this.completion++;
		// An ignored end-of-turn token ends an unfinished character as any special token does, minus its own text.
		const text = this.stop.push(endOfTurn ? this.decoder.flush() : this.decoder.push(token));
		this.text += text;
		let end: FinishReason | null = null;
		if (this.stop.stopped) end = 'stop';
		else if (this.completion >= this.sampling.max_new_tokens || cached >= this.maxPositions) end = 'length';
		return { text, counted: true, end };
	}

	/** At the end, however it came: the text held back (a possible stop string's start, an unfinished character). */
	flush(): string {
		const rest = this.stop.push(this.decoder.flush()) + this.stop.flush();
		this.text += rest;
		return rest;
	}
}
