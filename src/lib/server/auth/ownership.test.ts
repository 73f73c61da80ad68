import { describe, expect, it } from 'vitest';
import type { SessionUser } from '../../shared/auth';
import { HttpError } from '../http/httpError';
import { requireOwnerOrAdmin } from './ownership';

const ann: SessionUser = { id: 'u1', username: 'ann', role: 'member' };
const bob: SessionUser = { id: 'u2', username: 'bob', role: 'member' };
const root: SessionUser = { id: 'u3', username: 'root', role: 'admin' };

function refusal(run: () => void): string | null {
	try {
		run();
		return null;
	} catch (error) {
		return HttpError.is(error) ? `${error.code}: ${error.message}` : 'other';
	}
}

describe('requireOwnerOrAdmin', () => {
	it('lets the owner and admins change a resource, and no one else', () => {
		const run = { ownerId: 'u1', label: 'run "a"' };
		expect(refusal(() => requireOwnerOrAdmin(run, ann))).toBeNull();
		expect(refusal(() => requireOwnerOrAdmin(run, root))).toBeNull();
		expect(refusal(() => requireOwnerOrAdmin(run, bob))).toBe('forbidden: Only the owner of the run "a" or an admin may change it.');
	});

	it('leaves what ships with SwiftBoard to admins', () => {
		const demo = { ownerId: null, label: 'dataset "demo"' };
		expect(refusal(() => requireOwnerOrAdmin(demo, root))).toBeNull();
		expect(refusal(() => requireOwnerOrAdmin(demo, ann))).toMatch(/^forbidden: Only an admin/);
	});
});
