/**
 * `npm run demo:data [-- --out DIR --seed N --images N --audios N --videos N --val-fraction F]`
 * writes the synthetic multimodal demo set (train.jsonl, val.jsonl, media/).
 */
import { parseArgs } from 'node:util';
import { DEMO_DEFAULTS, defaultDemoDir, generateDemoDataset } from '../src/lib/server/demo/index';

function count(name: string, raw: string | undefined, fallback: number): number {
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got "${raw}"`);
	return value;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			out: { type: 'string' },
			seed: { type: 'string' },
			images: { type: 'string' },
			audios: { type: 'string' },
			videos: { type: 'string' },
			'val-fraction': { type: 'string' }
		}
	});
	const started = performance.now();
	const summary = await generateDemoDataset({
		outDir: values.out ?? defaultDemoDir(),
		seed: count('seed', values.seed, DEMO_DEFAULTS.seed),
		images: count('images', values.images, DEMO_DEFAULTS.images),
		audios: count('audios', values.audios, DEMO_DEFAULTS.audios),
		videos: count('videos', values.videos, DEMO_DEFAULTS.videos),
		valFraction: values['val-fraction'] === undefined ? DEMO_DEFAULTS.valFraction : Number(values['val-fraction'])
	});
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	console.log(`Wrote ${summary.train} train and ${summary.val} val rows with ${summary.mediaFiles} media files to ${summary.outDir} in ${seconds} s`);
	for (const [type, rows] of Object.entries(summary.byType).sort()) console.log(`  ${type.padEnd(16)} train ${rows.train}, val ${rows.val}`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
