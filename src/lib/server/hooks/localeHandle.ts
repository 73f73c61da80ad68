import type { Handle } from '@sveltejs/kit';
import { localeCookie, pickLocale } from '../../shared/i18n';

/** Chooses the page language and writes it into <html lang>. */
export const localeHandle: Handle = async ({ event, resolve }) => {
	const locale = pickLocale(event.cookies.get(localeCookie), event.request.headers.get('accept-language'));
	event.locals.locale = locale;
	return resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', locale === 'zh' ? 'zh-CN' : 'en')
	});
};
