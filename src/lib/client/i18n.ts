import { getContext, setContext } from 'svelte';
import { translator, type Locale, type Translate } from '$lib/shared/i18n';

const key = Symbol('i18n');

export interface I18n {
	readonly locale: Locale;
	readonly t: Translate;
}

/** Called once by the root layout with a getter, so a language switch re-renders every reader. */
export function provideI18n(locale: () => Locale): void {
	setContext<I18n>(key, {
		get locale() {
			return locale();
		},
		get t() {
			return translator(locale());
		}
	});
}

export function useI18n(): I18n {
	return getContext<I18n>(key);
}
