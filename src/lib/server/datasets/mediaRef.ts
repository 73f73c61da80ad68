/**
 * What a media entry in a row points at, judged from the text alone: a relative path inside the dataset,
 * inline base64 data, or something the console refuses (absolute paths, `..`, URLs).
 */

export type MediaRef =
	| { type: 'path'; relative: string }
	| { type: 'inline'; base64: string }
	| { type: 'refused'; reason: string };

const BARE_BASE64_MIN_CHARS = 256;

function isBase64Char(code: number): boolean {
	return (
		(code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) ||
		code === 0x2b || code === 0x2f || code === 0x3d || code === 0x0a || code === 0x0d
	);
}

/** ms-swift also takes bare base64; a long run of base64 characters with no dot is taken for data, not a path. */
function looksLikeBareBase64(text: string): boolean {
	if (text.length < BARE_BASE64_MIN_CHARS) return false;
	for (let i = 0; i < text.length; i++) if (!isBase64Char(text.charCodeAt(i))) return false;
	return true;
}

function parseDataUrl(ref: string): MediaRef {
	const comma = ref.indexOf(',');
	if (comma === -1) return { type: 'refused', reason: 'This data URL has no data after the header.' };
	const header = ref.slice(5, comma).toLowerCase();
	if (!header.split(';').includes('base64')) {
		return { type: 'refused', reason: 'Only base64 data URLs (data:<type>;base64,...) are accepted for media.' };
	}
	return { type: 'inline', base64: ref.slice(comma + 1) };
}

export function classifyMediaRef(raw: string): MediaRef {
	const ref = raw.trim();
	if (ref === '') return { type: 'refused', reason: 'The media path is empty.' };
	const lower = ref.slice(0, 8).toLowerCase();
	if (lower.startsWith('data:')) return parseDataUrl(ref);
	if (lower.startsWith('http://') || lower.startsWith('https://')) {
		return {
			type: 'refused',
			reason: 'Web addresses are not fetched: SwiftBoard works offline. Download the file and upload it with the dataset (loose or in a .zip/.tar).'
		};
	}
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(ref)) return { type: 'refused', reason: 'Only paths inside the uploaded dataset are accepted, not URLs.' };
	if (looksLikeBareBase64(ref)) return { type: 'inline', base64: ref };
	if (ref.startsWith('/') || ref.startsWith('\\') || /^[a-z]:/i.test(ref)) {
		return { type: 'refused', reason: 'Absolute paths are refused; use a path relative to the dataset folder, e.g. images/cat.png.' };
	}
	const segments = ref.split(/[\\/]+/);
	if (segments.includes('..')) return { type: 'refused', reason: 'Paths may not climb out of the dataset folder with "..".' };
	const relative = segments.filter((segment) => segment !== '' && segment !== '.').join('/');
	if (relative === '') return { type: 'refused', reason: 'The media path names no file.' };
	return { type: 'path', relative };
}
