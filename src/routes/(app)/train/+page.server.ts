import { appContext } from '$lib/server/context';
import { findRun } from '$lib/server/runs/findRun';
import { requirePageCapability } from '$lib/server/pageGuard';
import type { ModelSummary } from '$lib/shared/models';
import { runPresets } from '$lib/shared/run/runPresets';
import { applyTunerChoice, defaultRunConfig, type RunConfigInput } from '$lib/shared/run/runConfig';
import type { PageServerLoad } from './$types';

/** The demo preset when the demo datasets are there; otherwise the same settings on the first dataset. */
function demoOrFirst(ids: string[]): RunConfigInput {
	// Every field starts from its default, so the form never shows an empty box for a value it will send.
	const demo = { ...defaultRunConfig, ...runPresets['demo-vlm'].config, name: 'demo-run' };
	if (ids.includes(demo.dataset) && ids.includes(demo.val_dataset)) return demo;
	return { ...demo, dataset: ids[0] ?? '', val_dataset: null, split_dataset_ratio: 0.05 };
}

/**
 * `/train?model=<id>`: a run that starts from a saved model. A trained base gets a LoRA run by default;
 * a multimodal model keeps the demo's data, a text model takes the first text dataset.
 */
function fromModel(model: ModelSummary, ids: string[]): RunConfigInput {
	const start = demoOrFirst(ids);
	const base: RunConfigInput =
		model.architecture === 'multimodal'
			? start
			: { ...defaultRunConfig, dataset: ids.find((id) => !id.startsWith('demo')) ?? ids[0] ?? '', val_dataset: null };
	const config = { ...base, model: model.id, name: `${model.name} · lora`.slice(0, 80) };
	return model.kind === 'preset' ? config : applyTunerChoice(config, 'lora');
}

export const load = (({ locals, url }) => {
	requirePageCapability(locals.user, 'write');
	const app = appContext();
	const datasets = app.datasets.list().map((d) => ({ id: d.id, name: d.name, rows: d.rowCount }));
	const ids = datasets.map((d) => d.id);
	const models = app.models.list();
	const cloneId = url.searchParams.get('clone');
	const cloned = cloneId ? findRun(app.runs, cloneId) : null;
	const fromId = url.searchParams.get('model');
	const from = fromId ? (models.find((m) => m.id === fromId) ?? null) : null;
	const initial: RunConfigInput = cloned ? { ...cloned.config, name: `${cloned.config.name} (copy)` } : from ? fromModel(from, ids) : demoOrFirst(ids);
	return {
		initial,
		clonedFrom: cloned ? { id: cloned.id, name: cloned.name } : null,
		fromModel: from ? { id: from.id, name: from.name } : null,
		datasets,
		models,
		devices: app.scheduler.devices().map((d) => ({ id: d.id, name: d.name }))
	};
}) satisfies PageServerLoad;
