import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/lib/shared/eval';
import type { EvalRecord, EvalSampleView } from '../../src/lib/shared/evalJob';
import type { ModelSummary } from '../../src/lib/shared/models';
import type { RunRecord } from '../../src/lib/shared/run/runRecord';
import type { StreamEvent } from '../../src/lib/shared/realtime';
import { addUser, type ApiClient, setupAdmin } from '../helpers/api';
import { seedTinyDemo } from '../helpers/seedDemo';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';
import { waitFor } from '../helpers/waitFor';
import { trainedRun } from '../helpers/trainedRun';

let server: TestServer;
let admin: ApiClient;
let member: ApiClient;
let viewer: ApiClient;
let run: RunRecord;
let checkpoint: ModelSummary;

const evalOf = async (id: string, client = admin) => (await client.json<{ eval: EvalRecord; report: EvalReport | null }>('GET', `/api/evals/${id}`)).body;
const finished = (e: { eval: EvalRecord }) => !['queued', 'running'].includes(e.eval.status);

beforeAll(async () => {
	const dataDir = tempDataDir();
	await seedTinyDemo(dataDir);
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	member = await addUser(admin, 'member1', 'member');
	viewer = await addUser(admin, 'viewer1', 'viewer');
	const config = {
		name: 'vlm',
		model: 'demo-vlm',
		dataset: 'demo',
		val_dataset: 'demo-val',
		tuner_type: 'full',
		freeze_vit: false,
		per_device_train_batch_size: 8,
		learning_rate: 1e-3,
		logging_steps: 1,
		max_steps: 4,
		save_steps: 2,
		save_total_limit: 2
	};
	const trained = await trainedRun(admin, config, 2);
	run = trained.run;
	checkpoint = trained.checkpoints.find((m) => m.step === 4)!;
}, 300_000);
afterAll(async () => {
	await server?.stop();
});

let report: EvalReport;
let evalId: string;

describe('eval jobs', () => {
	it("scores a checkpoint on its run's validation split with the run's held-out accuracy per question type", async () => {
		const started = await member.json<{ eval: EvalRecord }>('POST', '/api/evals', { model: checkpoint.id, runId: run.id, metrics: ['accuracy', 'token_f1'], max_new_tokens: 12 });
		expect(started.status, JSON.stringify(started.body)).toBe(201);
		evalId = started.body.eval.id;
		expect(started.body.eval).toMatchObject({ status: 'queued', modelId: checkpoint.id, runId: run.id, step: 4, datasetId: 'demo-val' });
		const done = await waitFor(() => evalOf(evalId), finished);
		expect(done.eval.status, done.eval.error ?? '').toBe('succeeded');
		report = done.report!;
		expect(report.samples.length).toBeGreaterThan(0);
		expect(done.eval.done).toBe(report.samples.length);
		expect(report.metrics.map((m) => m.name)).toEqual(['accuracy', 'token_f1', 'perplexity', 'loss']);
		expect(report.metrics.find((m) => m.name === 'perplexity')!.score).toBeGreaterThan(1);

		const events = (await admin.json<{ events: StreamEvent[] }>('GET', `/api/runs/${run.id}/metrics`)).body.events;
		const heldOut: Record<string, number> = {};
		for (const e of events) {
			if (e.type !== 'metrics') continue;
			for (const [key, value] of Object.entries(e.data as Record<string, number>)) if (key.startsWith('eval_acc/')) heldOut[key.slice('eval_acc/'.length)] = value;
		}
		expect(Object.keys(heldOut).length).toBeGreaterThan(2);
		const byType = report.metrics[0].breakdowns.find((b) => b.by === 'tag:question_type')!;
		expect(Object.fromEntries(byType.buckets.map((b) => [b.value, b.score]))).toEqual(heldOut);
		expect(done.eval.tagScores['tag:question_type']).toEqual(heldOut);
		const modalities = report.metrics[0].breakdowns.find((b) => b.by === 'modality')!.buckets.map((b) => b.value);
		expect(modalities).toEqual(expect.arrayContaining(['image', 'audio', 'video']));
	});

	it('streams progress on eval:<id> and lists the eval', async () => {
		const list = (await viewer.json<{ evals: EvalRecord[] }>('GET', '/api/evals')).body.evals;
		expect(list.find((e) => e.id === evalId)).toMatchObject({ status: 'succeeded', ownerName: 'member1', headline: { metric: 'accuracy' } });
	});

	it('filters the samples by outcome and threshold, tag and text, and pages them', async () => {
		const all = (await viewer.json<{ samples: EvalSampleView[]; total: number }>('GET', `/api/evals/${evalId}/samples?limit=500`)).body;
		expect(all.total).toBe(report.samples.length);
		const wrong = report.samples.filter((s) => s.scores.accuracy < 0.99).length;
		const fail = (await viewer.json<{ samples: EvalSampleView[]; total: number }>('GET', `/api/evals/${evalId}/samples?outcome=fail&threshold=0.99&limit=500`)).body;
		expect(fail.total).toBe(wrong);
		expect(fail.samples.every((s) => s.scores.accuracy < 0.99)).toBe(true);
		const pass = (await viewer.json<{ total: number }>('GET', `/api/evals/${evalId}/samples?outcome=pass`)).body;
		expect(pass.total + fail.total).toBe(all.total);
		// token F1 with a low threshold passes more samples than accuracy at 0.99.
		const looser = (await viewer.json<{ total: number }>('GET', `/api/evals/${evalId}/samples?outcome=pass&metric=token_f1&threshold=0`)).body;
		expect(looser.total).toBe(all.total);

		const audio = (await viewer.json<{ samples: EvalSampleView[]; total: number }>('GET', `/api/evals/${evalId}/samples?tag=modality=audio&limit=500`)).body;
		expect(audio.total).toBeGreaterThan(0);
		expect(audio.samples.every((s) => s.modalities.includes('audio') && s.media.some((m) => m.kind === 'audio'))).toBe(true);
		const type = report.samples.find((s) => s.tags.question_type)!.tags.question_type;
		const typed = (await viewer.json<{ samples: EvalSampleView[]; total: number }>('GET', `/api/evals/${evalId}/samples?tag=question_type=${type}&limit=500`)).body;
		expect(typed.total).toBe(report.samples.filter((s) => s.tags.question_type === type).length);
		const word = all.samples[0].prompt.replace(/<(image|audio|video)>/g, '').split(/\s+/).find((w) => w.length > 3)!;
		const searched = (await viewer.json<{ samples: EvalSampleView[] }>('GET', `/api/evals/${evalId}/samples?q=${encodeURIComponent(word)}&limit=500`)).body;
		expect(searched.samples.length).toBeGreaterThan(0);
		expect(searched.samples.every((s) => `${s.prompt} ${s.prediction} ${s.references.join(' ')}`.toLowerCase().includes(word.toLowerCase()))).toBe(true);
		const page = (await viewer.json<{ samples: EvalSampleView[] }>('GET', `/api/evals/${evalId}/samples?offset=1&limit=2`)).body;
		expect(page.samples.map((s) => s.index)).toEqual(all.samples.slice(1, 3).map((s) => s.index));
		const bad = await viewer.json<{ error: { fields: Record<string, string> } }>('GET', `/api/evals/${evalId}/samples?tag=nokey`);
		expect(bad.status).toBe(400);
		expect(bad.body.error.fields.tag).toBeDefined();
		// A sample names its media by file name in the dataset's media folder (what the media route serves).
		const media = audio.samples[0].media.find((m) => m.kind === 'audio')!;
		expect(media.file).toMatch(/^[^/]+\.wav$/);
	});

	it('exports EvalScope report JSON and CSV', async () => {
		const scope = await viewer.request('GET', `/api/evals/${evalId}/export?format=evalscope`);
		expect(scope.status).toBe(200);
		const json = (await scope.json()) as { metrics: { name: string; num: number; score: number }[] };
		expect(json.metrics[0]).toMatchObject({ name: 'accuracy', num: report.samples.length, score: report.metrics[0].score });
		const csv = await viewer.request('GET', `/api/evals/${evalId}/export?format=csv`);
		expect(csv.headers.get('content-type')).toContain('text/csv');
		const lines = (await csv.text()).trim().split('\r\n');
		expect(lines[0]).toContain('tag:question_type');
		expect(lines.length).toBe(report.samples.length + 1);
		expect((await viewer.request('GET', `/api/evals/${evalId}/export?format=xml`)).status).toBe(400);
	});

	it('imports an EvalScope report and an ms-swift eval_result.jsonl', async () => {
		const evalscope = {
			name: 'qwen@gsm8k',
			dataset_name: 'gsm8k',
			model_name: 'qwen',
			metrics: [{ name: 'AverageAccuracy', num: 10, score: 0.3, macro_score: 0.3, categories: [{ name: ['default'], num: 10, score: 0.3, macro_score: 0.3, subsets: [{ name: 'main', score: 0.3, num: 10 }] }] }]
		};
		const form = new FormData();
		form.append('files', new Blob([JSON.stringify(evalscope)]), 'gsm8k.json');
		const response = await fetch(`${server.url}/api/evals/import`, { method: 'POST', body: form, headers: { cookie: member.cookie } });
		const body = (await response.json()) as { evals: EvalRecord[] };
		expect(response.status, JSON.stringify(body)).toBe(201);
		expect(body.evals[0]).toMatchObject({ status: 'imported', source: 'evalscope', modelName: 'qwen', datasetName: 'gsm8k', headline: { metric: 'AverageAccuracy', score: 0.3 } });
		const shown = await evalOf(body.evals[0].id, viewer);
		expect(shown.report).toMatchObject({ model: 'qwen', dataset: 'gsm8k', source: 'evalscope' });
		expect(shown.report!.metrics[0].score).toBe(0.3);

		const broken = new FormData();
		broken.append('files', new Blob(['{"metrics": 3}']), 'broken.json');
		const refused = await fetch(`${server.url}/api/evals/import`, { method: 'POST', body: broken, headers: { cookie: member.cookie } });
		expect(refused.status).toBe(422);
		const viewerForm = new FormData();
		viewerForm.append('files', new Blob([JSON.stringify(evalscope)]), 'gsm8k.json');
		expect((await fetch(`${server.url}/api/evals/import`, { method: 'POST', body: viewerForm, headers: { cookie: viewer.cookie } })).status).toBe(403);
	});

	it('refuses bad requests, keeps viewers to reading, and lets only the owner or an admin delete', async () => {
		expect((await viewer.json('POST', '/api/evals', { model: checkpoint.id, runId: run.id })).status).toBe(403);
		const preset = await member.json<{ error: { fields: Record<string, string> } }>('POST', '/api/evals', { model: 'demo-vlm', dataset: 'demo-val' });
		expect(preset.status).toBe(400);
		expect(preset.body.error.fields.model).toBeDefined();
		expect((await member.json('POST', '/api/evals', { model: checkpoint.id, dataset: 'demo-val', metrics: ['nonsense'] })).status).toBe(400);
		expect((await member.json('POST', '/api/evals', { model: checkpoint.id })).status).toBe(400);

		const other = await admin.json<{ eval: EvalRecord }>('POST', '/api/evals', { model: checkpoint.id, dataset: 'demo-val', split: 'all', limit: 4 });
		expect(other.status).toBe(201);
		const done = await waitFor(() => evalOf(other.body.eval.id), finished);
		expect(done.eval.status).toBe('succeeded');
		expect(done.report!.samples.length).toBe(4);
		expect((await member.json('DELETE', `/api/evals/${other.body.eval.id}`)).status).toBe(403);
		expect((await viewer.json('DELETE', `/api/evals/${evalId}`)).status).toBe(403);
		expect((await admin.json('DELETE', `/api/evals/${other.body.eval.id}`)).status).toBe(200);
		expect((await admin.json('GET', `/api/evals/${other.body.eval.id}`)).status).toBe(404);
	});

	it('cancels a running eval', async () => {
		const started = await member.json<{ eval: EvalRecord }>('POST', '/api/evals', { model: checkpoint.id, dataset: 'demo', split: 'all', batch_size: 1 });
		expect(started.status).toBe(201);
		await waitFor(() => evalOf(started.body.eval.id), (e) => e.eval.status === 'running');
		const cancelled = await member.json<{ eval: EvalRecord }>('POST', `/api/evals/${started.body.eval.id}/cancel`);
		expect(cancelled.status).toBe(200);
		const done = await waitFor(() => evalOf(started.body.eval.id), finished);
		expect(done.eval.status).toBe('cancelled');
	});
});
