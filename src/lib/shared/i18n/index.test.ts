import { describe, expect, it } from 'vitest';
import { en } from './en';
import { pickLocale, translator } from './index';
import { zh } from './zh';

describe('i18n', () => {
	it('both catalogs have the same keys and no empty message', () => {
		expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
		expect(Object.values(zh).every((m) => m.trim().length > 0)).toBe(true);
	});

	it('picks the saved language, then the browser’s, then English', () => {
		expect(pickLocale('zh', 'en-US')).toBe('zh');
		expect(pickLocale(undefined, 'zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
		expect(pickLocale(undefined, 'fr-FR,en;q=0.5')).toBe('en');
		expect(pickLocale('klingon', null)).toBe('en');
	});

	it('translates', () => {
		expect(translator('zh')('nav.train')).toBe('训练');
		expect(translator('en')('nav.train')).toBe('Train');
	});
});
