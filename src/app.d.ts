import type { SessionUser } from '$lib/shared/auth';

declare global {
	namespace App {
		interface Error {
			code: string;
			message: string;
		}
		interface Locals {
			user: SessionUser | null;
			sessionId: string | null;
		}
	}
}

export {};
