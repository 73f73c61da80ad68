import { assertValidTokenId, type DecodeOptions } from './byteTokenizer';
import { isSpecialId, specialTokenText } from './specialTokens';

/**
 * Decodes a token stream one id at a time and only ever emits whole characters.
 *
 * A Chinese character is three byte tokens and an emoji four, so a streaming chat would otherwise show
 * broken glyphs between tokens. Bytes of an unfinished character wait here until it completes. When a
 * special token interrupts an unfinished character, those bytes can never complete, so they come out
 * as U+FFFD before the special token.
 */
export class IncrementalDecoder {
	private decoder = new TextDecoder('utf-8');
	private readonly skipSpecialTokens: boolean;

	constructor(options: DecodeOptions = {}) {
		this.skipSpecialTokens = options.skipSpecialTokens ?? false;
	}

	/** Feeds one token id; returns the text that is now complete (possibly ''). */
	push(id: number): string {
		assertValidTokenId(id);
		if (isSpecialId(id)) {
			const pending = this.flush();
			return this.skipSpecialTokens ? pending : pending + specialTokenText(id);
		}
		return this.decoder.decode(Uint8Array.of(id), { stream: true });
	}

	pushAll(ids: Iterable<number>): string {
		let text = '';
		for (const id of ids) text += this.push(id);
		return text;
	}

	/** Ends the stream: whatever incomplete bytes remain become U+FFFD. */
	flush(): string {
		const rest = this.decoder.decode();
		this.decoder = new TextDecoder('utf-8');
		return rest;
	}
}
