import type { MediaKind } from '../../shared/dataset';

export type MediaTagCounts = Record<MediaKind, number>;

function countOccurrences(text: string, tag: string): number {
	let count = 0;
	let at = text.indexOf(tag);
	while (at !== -1) {
		count++;
		at = text.indexOf(tag, at + tag.length);
	}
	return count;
}

/** How many `<image>`, `<audio>` and `<video>` tags a text holds. */
export function countMediaTags(text: string): MediaTagCounts {
	// Most text has no tags at all; one scan for '<' settles that.
	if (text.indexOf('<') === -1) return { image: 0, audio: 0, video: 0 };
	return {
		image: countOccurrences(text, '<image>'),
		audio: countOccurrences(text, '<audio>'),
		video: countOccurrences(text, '<video>')
	};
}
