import { error } from '@sveltejs/kit';
import { roleCan, type Capability, type SessionUser } from '../shared/auth';

/** For page loads: the signed-in user, or a 403 page when their role lacks the capability. */
export function requirePageCapability(user: SessionUser | null, capability: Capability): SessionUser {
	if (!user || !roleCan(user.role, capability)) {
		error(403, { code: 'forbidden', message: `This page needs "${capability}" access.` });
	}
	return user;
}
