/**
 * A seeded random generator whose whole state is four 32-bit words, so a checkpoint can store it and a
 * resumed run draws exactly the numbers the interrupted run would have drawn.
 *
 * The generator is xoshiro128** (Blackman and Vigna): 32-bit integer arithmetic only, which JavaScript
 * does exactly, and a 2^128 - 1 period. Seeds are expanded with a SplitMix-style mixer so that nearby
 * seeds (0, 1, 2, ...) give unrelated streams.
 */

export interface RandomState {
	algorithm: 'xoshiro128**';
	words: [number, number, number, number];
}

const GOLDEN_GAMMA = 0x9e3779b9;

function rotateLeft(value: number, bits: number): number {
	return (value << bits) | (value >>> (32 - bits));
}

/** A 32-bit finaliser: every input bit affects every output bit. */
function mix32(value: number): number {
	let z = value;
	z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
	z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
	return (z ^ (z >>> 16)) >>> 0;
}

function assertSeedPart(name: string, value: number): void {
	if (!Number.isSafeInteger(value) || value < 0) {
		throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
	}
}

export class SeededRandom {
	private readonly words = new Uint32Array(4);

	/**
	 * `stream` picks an independent sequence for the same seed (e.g. the epoch number), so epoch 7's
	 * shuffle can be made directly, without replaying epochs 0..6.
	 */
	constructor(seed: number, stream = 0) {
		assertSeedPart('seed', seed);
		assertSeedPart('stream', stream);
		const parts = [seed >>> 0, Math.floor(seed / 2 ** 32), stream >>> 0, Math.floor(stream / 2 ** 32)];
		let counter = 0;
		for (const part of parts) counter = mix32((counter ^ part) + GOLDEN_GAMMA);
		for (let i = 0; i < 4; i++) {
			counter = (counter + GOLDEN_GAMMA) >>> 0;
			this.words[i] = mix32(counter);
		}
		// The all-zero state is the one state xoshiro never leaves.
		if (this.words.every((word) => word === 0)) this.words[0] = 1;
	}

	static fromState(state: RandomState): SeededRandom {
		const random = new SeededRandom(0);
		random.setState(state);
		return random;
	}

	getState(): RandomState {
		const [a, b, c, d] = this.words;
		return { algorithm: 'xoshiro128**', words: [a, b, c, d] };
	}

	setState(state: RandomState): void {
		const { algorithm, words } = state;
		const valid =
			algorithm === 'xoshiro128**' &&
			Array.isArray(words) &&
			words.length === 4 &&
			words.every((word) => Number.isInteger(word) && word >= 0 && word < 2 ** 32) &&
			words.some((word) => word !== 0);
		if (!valid) throw new RangeError('not a valid xoshiro128** state (four uint32 words, not all zero)');
		this.words.set(words);
	}

	/** Uniform integer in [0, 2^32). */
	nextUint32(): number {
		const s = this.words;
		const result = Math.imul(rotateLeft(Math.imul(s[1], 5), 7), 9) >>> 0;
		const shifted = s[1] << 9;
		s[2] ^= s[0];
		s[3] ^= s[1];
		s[1] ^= s[2];
		s[0] ^= s[3];
		s[2] ^= shifted;
		s[3] = rotateLeft(s[3], 11);
		return result;
	}

	/** Uniform float in [0, 1) with all 53 bits of a double random. */
	nextFloat(): number {
		const high = this.nextUint32() >>> 5;
		const low = this.nextUint32() >>> 6;
		return (high * 2 ** 26 + low) / 2 ** 53;
	}

	/** Uniform integer in [0, bound), without the bias of a plain modulo. */
	nextInt(bound: number): number {
		if (!Number.isInteger(bound) || bound < 1 || bound > 2 ** 32) {
			throw new RangeError(`bound must be an integer in 1..2^32, got ${bound}`);
		}
		// Reject draws from the incomplete last block of `bound` values.
		const limit = 2 ** 32 - (2 ** 32 % bound);
		let draw = this.nextUint32();
		while (draw >= limit) draw = this.nextUint32();
		return draw % bound;
	}

	/** Standard normal by Box-Muller; no value is cached, so the state alone defines the sequence. */
	nextNormal(): number {
		const u = 1 - this.nextFloat();
		const v = this.nextFloat();
		return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/** Fisher-Yates shuffle in place; returns the same array. */
	shuffle<T>(items: T[]): T[] {
		for (let i = items.length - 1; i > 0; i--) {
			const j = this.nextInt(i + 1);
			[items[i], items[j]] = [items[j], items[i]];
		}
		return items;
	}
}
