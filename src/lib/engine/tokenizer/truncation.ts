import { BOS_ID, ROLE_MARKER_IDS, isByteId } from './specialTokens';

/**
 * Truncation policy: keep the first `maxLength` tokens, then step back so the cut never leaves
 *  - half a UTF-8 character (the bytes of a character are all kept or all dropped), nor
 *  - an opening marker with nothing after it (a trailing <|user|>/<|assistant|>/<|system|> or a lone <|bos|>).
 * A turn cut in the middle stays open (no <|end|> is added), so the model is never taught to stop at an
 * arbitrary cut. Media placeholders are single tokens and are either kept whole or dropped; the caller
 * reads the kept placeholders to know which media survive.
 */
export function truncateFromEnd(ids: number[], maxLength: number | undefined): number[] {
	if (maxLength === undefined || ids.length <= maxLength) return ids.slice();
	if (!Number.isInteger(maxLength) || maxLength < 1) {
		throw new RangeError(`maxLength must be a positive integer, got ${maxLength}`);
	}
	let end = backToCharacterBoundary(ids, maxLength);
	while (end > 0 && (ROLE_MARKER_IDS.has(ids[end - 1]) || ids[end - 1] === BOS_ID)) end--;
	return ids.slice(0, end);
}

function isContinuationByte(id: number): boolean {
	return isByteId(id) && (id & 0xc0) === 0x80;
}

/** Bytes a character needs, read from its lead byte; 1 for ASCII and for invalid leads. */
function characterLength(leadByte: number): number {
	if ((leadByte & 0xe0) === 0xc0) return 2;
	if ((leadByte & 0xf0) === 0xe0) return 3;
	if ((leadByte & 0xf8) === 0xf0) return 4;
	return 1;
}

/** Largest end <= cut such that ids[0..end) does not finish inside a multi-byte character. */
function backToCharacterBoundary(ids: number[], cut: number): number {
	let lead = cut;
	while (lead > 0 && cut - lead < 4 && isContinuationByte(ids[lead - 1])) lead--;
	if (lead === 0) return cut;
	const leadByte = ids[lead - 1];
	if (!isByteId(leadByte) || leadByte < 0xc0) return cut;
	const charStart = lead - 1;
	return charStart + characterLength(leadByte) <= cut ? cut : charStart;
}
