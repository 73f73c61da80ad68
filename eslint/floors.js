// The house's floors as a lint rule: each layer names the folders it may never import from. Import
// specifiers are resolved ($lib aliases and relative paths alike) to a path inside the repository
// before they are compared, so `../../server/media` and `$lib/server/media` are the same import.
import path from 'node:path';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/** `$lib/x` and relative specifiers become repository paths; packages and `$app/*` stay as written. */
function resolveSpecifier(specifier, filename) {
	if (specifier === '$lib' || specifier.startsWith('$lib/')) return path.posix.join('src/lib', specifier.slice(4));
	if (specifier.startsWith('.')) return path.relative(root, path.resolve(path.dirname(filename), specifier)).split(path.sep).join('/');
	return specifier;
}

function within(target, folder) {
	return target === folder || target.startsWith(`${folder}/`);
}

/** @type {import('eslint').Rule.RuleModule} */
const importFloors = {
	meta: {
		type: 'problem',
		docs: { description: 'A lower floor never imports from a higher one (see the architecture notes)' },
		schema: [
			{
				type: 'object',
				properties: {
					floor: { type: 'string' },
					forbid: { type: 'array', items: { type: 'string' } },
					allow: { type: 'array', items: { type: 'string' } }
				},
				required: ['floor', 'forbid'],
				additionalProperties: false
			}
		],
		messages: { upward: '{{floor}} code may not import {{target}} ({{folder}} is off limits to it)' }
	},
	create(context) {
		const { floor, forbid, allow = [] } = context.options[0];
		function check(node, source) {
			if (!source || typeof source.value !== 'string') return;
			const target = resolveSpecifier(source.value, context.filename);
			if (allow.some((folder) => within(target, folder))) return;
			const folder = forbid.find((f) => within(target, f));
			if (folder) context.report({ node: source, messageId: 'upward', data: { floor, target, folder } });
		}
		return {
			ImportDeclaration: (node) => check(node, node.source),
			ExportNamedDeclaration: (node) => check(node, node.source),
			ExportAllDeclaration: (node) => check(node, node.source),
			ImportExpression: (node) => check(node, node.source),
			TSImportType: (node) => check(node, node.argument?.literal ?? node.argument)
		};
	}
};

export const floorsPlugin = { rules: { imports: importFloors } };

const browserOnly = ['src/lib/client', 'src/lib/components', 'src/routes', '$app'];

/** Which folders each floor may not reach, as flat-config blocks. */
export const floorConfigs = [
	{
		files: ['src/lib/engine/**'],
		rules: { 'floors/imports': ['error', { floor: 'Engine', forbid: ['src/lib/server', ...browserOnly] }] }
	},
	{
		files: ['src/lib/shared/**'],
		rules: { 'floors/imports': ['error', { floor: 'Shared', forbid: ['src/lib/engine', 'src/lib/server', ...browserOnly] }] }
	},
	{
		files: ['src/lib/components/**', 'src/lib/client/**', '**/*.svelte'],
		rules: { 'floors/imports': ['error', { floor: 'Browser', forbid: ['src/lib/server', 'src/lib/engine'] }] }
	},
	{
		// Workers run the engine and hand it the server's media decoders; every other service stays server-side.
		files: ['workers/**'],
		rules: { 'floors/imports': ['error', { floor: 'Worker', forbid: ['src/lib/server', ...browserOnly], allow: ['src/lib/server/media'] }] }
	}
];
