import type { SessionUser } from '$lib/shared/auth';
import type { Locale } from '$lib/shared/i18n';

declare global {
	namespace App {
		interface Error {
			code: string;
			message: string;
		}
		interface Locals {
			user: SessionUser | null;
			sessionId: string | null;
			locale: Locale;
		}
	}
}

export {};
