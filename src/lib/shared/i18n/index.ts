import { en, type MessageKey } from './en';
import { zh } from './zh';

export const locales = ['en', 'zh'] as const;
export type Locale = (typeof locales)[number];
export type { MessageKey };

export const localeCookie = 'swiftboard_lang';
export const localeNames: Record<Locale, string> = { en: 'English', zh: '简体中文' };

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, zh };

export type Translate = (key: MessageKey) => string;

export function translator(locale: Locale): Translate {
	const catalog = catalogs[locale];
	return (key) => catalog[key] ?? en[key];
}

export function isLocale(value: unknown): value is Locale {
	return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** The saved choice, else the first supported language the browser asks for, else English. */
export function pickLocale(saved: string | undefined, acceptLanguage: string | null): Locale {
	if (isLocale(saved)) return saved;
	for (const part of (acceptLanguage ?? '').split(',')) {
		const tag = part.split(';')[0].trim().toLowerCase();
		if (tag.startsWith('zh')) return 'zh';
		if (tag.startsWith('en')) return 'en';
	}
	return 'en';
}
