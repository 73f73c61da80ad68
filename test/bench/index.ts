// Bench runner: `npm run bench` runs every section, `npm run bench -- <name> [...]` the named ones.
// Each section prints a table then its figures as one JSON line; a run of several sections ends with
// all figures merged into one JSON line.

import { sections } from './sections/index';
import type { Figures } from './section';

async function main(): Promise<void> {
	const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
	const unknown = wanted.filter((w) => !sections.some((s) => s.name === w));
	if (unknown.length > 0) {
		console.error(`bench: unknown section(s) ${unknown.join(', ')}; known: ${sections.map((s) => s.name).join(', ')}`);
		process.exit(2);
	}
	const selected = wanted.length > 0 ? sections.filter((s) => wanted.includes(s.name)) : sections;
	const merged: Figures = {};
	for (const section of selected) {
		console.log(`\n== ${section.name}: ${section.description}`);
		const figures = await section.run();
		console.log(JSON.stringify(figures));
		Object.assign(merged, figures);
	}
	if (wanted.length === 0 || selected.length > 1) {
		console.log('\n== all sections');
		console.log(JSON.stringify(merged));
	}
}

main().then(
	() => process.exit(0),
	(err: unknown) => {
		console.error(err);
		process.exit(1);
	}
);
