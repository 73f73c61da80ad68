/** What went wrong with a media file; callers map it to a row error or an HTTP 4xx. */
export type MediaErrorKind = 'unsupported' | 'corrupt' | 'tool';

/**
 * A media file could not be decoded. The message always names the file, because a dataset can hold
 * thousands of files and "invalid header" alone leaves the user guessing which one.
 */
export class MediaError extends Error {
	readonly file: string;
	readonly kind: MediaErrorKind;

	constructor(file: string, kind: MediaErrorKind, detail: string) {
		super(`${file}: ${detail}`);
		this.name = 'MediaError';
		this.file = file;
		this.kind = kind;
	}
}
