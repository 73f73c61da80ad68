import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

// The project's own eslint.config.js, narrowed to the floors rule: type-aware rules need the fixture
// files in the TypeScript program, which text that only exists in this test is not.
const eslint = new ESLint({
	cwd: root,
	overrideConfig: { languageOptions: { parserOptions: { project: null } } },
	ruleFilter: ({ ruleId }) => ruleId === 'floors/imports'
});

async function floorErrors(filePath: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
	const fatal = result.messages.filter((m) => m.fatal);
	if (fatal.length) throw new Error(`${filePath}: ${fatal[0].message}`);
	return result.messages.map((m) => m.message);
}

describe('floors', () => {
	it('the engine never imports the server, pages or browser code', async () => {
		const file = 'src/lib/engine/models/floorFixture.ts';
		expect(await floorErrors(file, "import { loadImageTensor } from '../../server/media/index';\nexport const f = loadImageTensor;")).toHaveLength(1);
		expect(await floorErrors(file, "export { jobRunners } from '$lib/server/jobs/runners/index';")).toHaveLength(1);
		expect(await floorErrors(file, "import { page } from '$app/state';\nexport const p = page;")).toHaveLength(1);
		expect(await floorErrors(file, "export type { Point } from '../../client/runStream.svelte';")).toHaveLength(1);
		expect(await floorErrors(file, "export const load = () => import('../../../routes/+layout.svelte');")).toHaveLength(1);
		// Its own modules, shared data and packages are fine.
		expect(await floorErrors(file, "export { LLAMA_PRESETS } from './llama/config';\nexport { BUILTIN_LLAMA_SIZES } from '../../shared/models/presets';\nexport { z } from 'zod';")).toEqual([]);
	});

	it('shared code imports neither the engine nor the server nor browser code', async () => {
		const file = 'src/lib/shared/run/floorFixture.ts';
		expect(await floorErrors(file, "import { LLAMA_PRESETS } from '../../engine/models/llama/config';\nexport const p = LLAMA_PRESETS;")).toHaveLength(1);
		expect(await floorErrors(file, "export * from '$lib/engine/index';")).toHaveLength(1);
		expect(await floorErrors(file, "export * from '$lib/server/db/index';")).toHaveLength(1);
		expect(await floorErrors(file, "export * from '$lib/client/api';")).toHaveLength(1);
		expect(await floorErrors(file, "export * from './runConfig';\nexport * from '../models/presets';\nexport * from '$lib/shared/realtime';")).toEqual([]);
	});

	it('components, client code and Svelte files never import the server or the engine', async () => {
		const server = "import { RunService } from '$lib/server/runs/runService';\nexport type R = RunService;";
		expect(await floorErrors('src/lib/components/runs/FloorFixture.ts', server)).toHaveLength(1);
		expect(await floorErrors('src/lib/client/floorFixture.ts', "export * from '../server/media/index';")).toHaveLength(1);
		expect(await floorErrors('src/lib/client/floorFixture.ts', "export * from '../engine/index';")).toHaveLength(1);
		const page = (from: string) => `<script lang="ts">\n\timport { x } from '${from}';\n</script>\n<p>{x}</p>\n`;
		expect(await floorErrors('src/routes/(app)/floor/+page.svelte', page('../../../lib/server/app'))).toHaveLength(1);
		expect(await floorErrors('src/lib/components/FloorFixture.svelte', page('$lib/engine/index'))).toHaveLength(1);
		expect(await floorErrors('src/lib/components/FloorFixture.svelte', page('$lib/shared/run/runConfig'))).toEqual([]);
		expect(await floorErrors('src/lib/components/FloorFixture.svelte', page('$lib/client/api'))).toEqual([]);
	});

	it('workers run the engine with the server media decoders, and reach no other server service', async () => {
		const file = 'workers/jobs/floorFixture.ts';
		expect(await floorErrors(file, "export * from '../../src/lib/server/runs/runService';")).toHaveLength(1);
		expect(await floorErrors(file, "export * from '../../src/lib/engine/index';\nexport * from '../../src/lib/shared/run/runConfig';\nexport * from '../../src/lib/server/media/index';")).toEqual([]);
	});
});
