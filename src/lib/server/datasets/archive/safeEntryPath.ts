/**
 * Turns an archive entry's name into a safe relative path, or says why it is refused. This is the guard
 * against "zip slip": names that are absolute, carry a drive letter, or climb out with `..` never reach
 * the disk.
 */

export type EntryPath = { ok: true; relative: string } | { ok: false; reason: string };

export function safeEntryPath(name: string): EntryPath {
	if (name.includes('\0')) return { ok: false, reason: 'its name contains a NUL character' };
	const normalised = name.replace(/\\/g, '/');
	if (normalised.startsWith('/') || /^[a-z]:/i.test(normalised)) return { ok: false, reason: 'its path is absolute' };
	const segments = normalised.split('/').filter((segment) => segment !== '' && segment !== '.');
	if (segments.includes('..')) return { ok: false, reason: 'its path climbs out of the archive with ".."' };
	if (segments.length === 0) return { ok: false, reason: 'it has no name' };
	return { ok: true, relative: segments.join('/') };
}
