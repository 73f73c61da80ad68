/**
 * Indices of `count` frames spread evenly over `total`: the centre of each of `count` equal
 * segments, so a 2-frame sample of a clip takes its first and third quarter rather than the very
 * first and last frames, which are often fades. With fewer frames than asked for, frames repeat,
 * so the model always sees exactly `count` frames.
 */
export function evenFrameIndices(total: number, count: number): number[] {
	if (!Number.isInteger(count) || count < 1) throw new RangeError(`frame count must be a positive integer, got ${count}`);
	if (total < 1) return [];
	return Array.from({ length: count }, (_, i) => Math.min(total - 1, Math.floor(((i + 0.5) * total) / count)));
}
