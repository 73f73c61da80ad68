/**
 * A shortcut for the commonest line of a large text dataset: `{"messages": [{"role": ..., "content": ...},
 * ...]}` with ASCII text. Such a line is checked straight from its bytes, without decoding or parsing it,
 * and measured as measureRow would. The check is conservative: it accepts a line only when the full path
 * (parse, convertRow, validateRow) would store it unchanged with no problem; anything unusual (other keys,
 * `\u` escapes, non-ASCII bytes, media tags, a rule broken) answers "not sure" and takes the full path,
 * which also finds the words for the error.
 */

export interface CanonicalMeasure {
	tokens: number;
	messages: number;
	turns: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LESS_THAN = 0x3c;

const ROLES = ['system', 'user', 'assistant', 'tool_call', 'tool_response', 'tool'] as const;
const ROLE_BYTES = ROLES.map((role) => Buffer.from(`"${role}"`));
const SYSTEM = 0;
const ASSISTANT = 2;
/** Which side each role speaks for (as validateRow's SIDE): 0 system, 1 user, 2 assistant. */
const SIDE = [0, 1, 2, 2, 1, 1];
const IS_TOOL = [false, false, false, true, true, true];

const MESSAGES_KEY = Buffer.from('"messages"');
const ROLE_KEY = Buffer.from('"role"');
const CONTENT_KEY = Buffer.from('"content"');
const MEDIA_TAGS = ['<image>', '<audio>', '<video>'].map((tag) => Buffer.from(tag));
const MARKERS_PER_MESSAGE = 2;
const MARKERS_PER_SEQUENCE = 2;

/** What each byte means inside a string: one table lookup per byte keeps the hot loop short. */
const TEXT = 0;
const BLANK = 1;
const QUOTE_KIND = 2;
const ESCAPE = 3;
const TAG_START = 4;
const REFUSE = 5;
const BYTE_KIND = new Uint8Array(256).fill(REFUSE);
BYTE_KIND.fill(TEXT, 0x21, 0x80);
BYTE_KIND[0x20] = BLANK;
BYTE_KIND[QUOTE] = QUOTE_KIND;
BYTE_KIND[BACKSLASH] = ESCAPE;
BYTE_KIND[LESS_THAN] = TAG_START;
/** After a backslash: \n \r \t \f decode to blanks; \" \\ \/ \b to other characters; \u... is left to JSON.parse. */
const ESCAPED_KIND = new Uint8Array(256).fill(REFUSE);
for (const c of 'nrtf') ESCAPED_KIND[c.charCodeAt(0)] = BLANK;
for (const c of '"\\/b') ESCAPED_KIND[c.charCodeAt(0)] = TEXT;

class Scan {
	at = 0;
	// Filled by content(): UTF-16 length (= UTF-8 bytes for ASCII) and whether any character is not blank.
	chars = 0;
	nonBlank = false;

	constructor(
		readonly buffer: Buffer,
		readonly end: number
	) {}

	space(): void {
		const { buffer, end } = this;
		while (this.at < end) {
			const b = buffer[this.at];
			if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) return;
			this.at++;
		}
	}

	/** Skips whitespace then the byte `b`; false when the next byte is something else. */
	byte(b: number): boolean {
		this.space();
		if (this.at >= this.end || this.buffer[this.at] !== b) return false;
		this.at++;
		return true;
	}

	literal(bytes: Buffer): boolean {
		this.space();
		if (this.at + bytes.length > this.end) return false;
		for (let i = 0; i < bytes.length; i++) if (this.buffer[this.at + i] !== bytes[i]) return false;
		this.at += bytes.length;
		return true;
	}

	role(): number {
		for (let r = 0; r < ROLE_BYTES.length; r++) if (this.literal(ROLE_BYTES[r])) return r;
		return -1;
	}

	private tagAt(at: number): boolean {
		for (const tag of MEDIA_TAGS) {
			if (at + tag.length > this.end) continue;
			let same = true;
			for (let i = 0; i < tag.length && same; i++) same = this.buffer[at + i] === tag[i];
			if (same) return true;
		}
		return false;
	}

	/** A string of ASCII text with only single-character escapes; false for anything else. */
	content(): boolean {
		if (!this.byte(QUOTE)) return false;
		const { buffer, end } = this;
		let chars = 0;
		let nonBlank = false;
		let at = this.at;
		while (at < end) {
			const kind = BYTE_KIND[buffer[at]];
			if (kind === TEXT) {
				nonBlank = true;
			} else if (kind === QUOTE_KIND) {
				this.at = at + 1;
				this.chars = chars;
				this.nonBlank = nonBlank;
				return true;
			} else if (kind === ESCAPE) {
				const escaped = ESCAPED_KIND[buffer[at + 1]];
				if (escaped === REFUSE) return false;
				if (escaped === TEXT) nonBlank = true;
				at++;
			} else if (kind === REFUSE || (kind === TAG_START && this.tagAt(at))) {
				return false;
			} else if (kind === TAG_START) {
				nonBlank = true;
			}
			at++;
			chars++;
		}
		return false;
	}
}

/** Fills `into` and answers true when the line (without its newline) is a canonical, valid row. */
export function measureCanonicalLine(buffer: Buffer, start: number, end: number, maxFieldChars: number, into: CanonicalMeasure): boolean {
	const scan = new Scan(buffer, end);
	scan.at = start;
	if (!scan.byte(0x7b) || !scan.literal(MESSAGES_KEY) || !scan.byte(0x3a) || !scan.byte(0x5b)) return false;
	let tokens = MARKERS_PER_SEQUENCE;
	let messages = 0;
	let turns = 0;
	let previousSide = -1;
	let previousRole = -1;
	let hasAssistantSide = false;
	for (;;) {
		if (!scan.byte(0x7b)) return false;
		let role = -1;
		let haveContent = false;
		for (let key = 0; key < 2; key++) {
			if (key === 1 && !scan.byte(0x2c)) return false;
			if (role === -1 && scan.literal(ROLE_KEY)) {
				if (!scan.byte(0x3a)) return false;
				role = scan.role();
				if (role === -1) return false;
			} else if (!haveContent && scan.literal(CONTENT_KEY)) {
				if (!scan.byte(0x3a) || !scan.content()) return false;
				haveContent = true;
			} else {
				return false;
			}
		}
		if (!scan.byte(0x7d)) return false;
		if (scan.chars > maxFieldChars || (!scan.nonBlank && role !== SYSTEM)) return false;
		// The role order rules of validateRow.
		const side = SIDE[role];
		if (side === 0) {
			if (messages !== 0) return false;
		} else if (previousSide === -1 || previousSide === 0) {
			if (side !== 1) return false;
		} else if (side === previousSide && !IS_TOOL[role] && !IS_TOOL[previousRole]) {
			return false;
		}
		if (side === 2) hasAssistantSide = true;
		previousSide = side;
		previousRole = role;
		messages++;
		if (role === ASSISTANT) turns++;
		tokens += MARKERS_PER_MESSAGE + scan.chars;
		if (scan.byte(0x2c)) continue;
		if (scan.byte(0x5d)) break;
		return false;
	}
	if (!hasAssistantSide || !scan.byte(0x7d)) return false;
	scan.space();
	if (scan.at !== end) return false;
	into.tokens = tokens;
	into.messages = messages;
	into.turns = turns;
	return true;
}
