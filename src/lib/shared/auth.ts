import { z } from 'zod';

/** Roles, from most to least powerful. A viewer is what a live-demo audience logs in as. */
export const roles = ['admin', 'member', 'viewer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/**
 * What a role may do. Pages and API routes ask for a capability, never for a role by name, so adding a
 * role later means editing this table only.
 */
export type Capability = 'read' | 'chat' | 'write' | 'admin';

const capabilitiesByRole: Record<Role, readonly Capability[]> = {
	admin: ['read', 'chat', 'write', 'admin'],
	member: ['read', 'chat', 'write'],
	viewer: ['read', 'chat']
};

export function roleCan(role: Role, capability: Capability): boolean {
	return capabilitiesByRole[role].includes(capability);
}

export interface SessionUser {
	id: string;
	username: string;
	role: Role;
}

/**
 * Whether a user may change or delete something owned (a dataset, run or job): its owner, if their
 * role may write, or an admin. `ownerId` is null for what ships with SwiftBoard: admins only. Reading
 * and training on anything needs no ownership. Pages use this to offer the buttons; the server
 * enforces it (requireOwnerOrAdmin).
 */
export function mayChange(ownerId: string | null, user: SessionUser): boolean {
	if (roleCan(user.role, 'admin')) return true;
	return ownerId !== null && ownerId === user.id && roleCan(user.role, 'write');
}

export const usernameSchema = z
	.string()
	.trim()
	.min(2, 'Username must be at least 2 characters')
	.max(40, 'Username must be at most 40 characters')
	.regex(/^[A-Za-z0-9_.-]+$/, 'Username may use letters, digits, "_", "." and "-" only');

export const passwordSchema = z
	.string()
	.min(8, 'Password must be at least 8 characters')
	.max(200, 'Password must be at most 200 characters');

export const credentialsSchema = z.object({ username: usernameSchema, password: passwordSchema });
export type Credentials = z.infer<typeof credentialsSchema>;

export const newUserSchema = credentialsSchema.extend({ role: roleSchema });

export const userUpdateSchema = z
	.object({ role: roleSchema.optional(), password: passwordSchema.optional() })
	.refine((v) => v.role !== undefined || v.password !== undefined, 'Nothing to update: give a role or a password');
