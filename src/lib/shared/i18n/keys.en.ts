/** English messages of the API keys page (Settings → API keys). */
export const keysEn = {
	'nav.apiKeys': 'API keys',
	'keys.title': 'API keys',
	'keys.intro': 'Keys for the OpenAI-compatible API at /api/v1 (chat completions, models). A key acts with your role; revoke it when it leaks.',
	'keys.name': 'Key name',
	'keys.namePlaceholder': 'e.g. notebook, eval script',
	'keys.create': 'Create key',
	'keys.created': 'Your new key. Copy it now: it is shown only this once.',
	'keys.copy': 'Copy',
	'keys.copied': 'Copied',
	'keys.col.name': 'Name',
	'keys.col.prefix': 'Key',
	'keys.col.created': 'Created',
	'keys.col.lastUsed': 'Last used',
	'keys.col.status': 'Status',
	'keys.never': 'never',
	'keys.active': 'active',
	'keys.revoked': 'revoked',
	'keys.revoke': 'Revoke',
	'keys.confirmRevoke': 'Revoke this key? Programs that use it stop working at once.',
	'keys.none': 'You have no API keys yet.',
	'keys.usage': 'Use it with any OpenAI client:'
} as const;
