import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../shared/models';
import { runConfigSchema } from '../../shared/run/runConfig';
import type { RunRecord, RunStatus } from '../../shared/run/runRecord';
import { resumeCommand } from './resumeCommand';

const run = (status: RunStatus, model = 'nano'): RunRecord => ({
	id: 'r1',
	name: 'r1',
	ownerId: 'u',
	ownerName: 'ada',
	config: runConfigSchema.parse({ name: 'r1', model, dataset: 'd1' }),
	status,
	jobId: null,
	device: null,
	step: 10,
	maxSteps: 100,
	progress: 0.1,
	remainingMs: null,
	lastCheckpoint: null,
	error: null,
	createdAt: 0,
	startedAt: null,
	finishedAt: null
});
const checkpoints = [5, 10].map((step) => ({ step, path: `/data/runs/r1/checkpoint-${step}`, createdAt: 0, files: [], complete: true }));

describe('resumeCommand', () => {
	it('continues a stopped run from its newest checkpoint, with data-dir paths', () => {
		const { command, script } = resumeCommand(run('stopped'), checkpoints, [])!;
		expect(command).toContain('--resume_from_checkpoint runs/r1/checkpoint-10');
		expect(command).toContain('--output_dir runs/r1');
		expect(command).not.toContain('/data/');
		expect(script).toContain(command);
	});

	it('names a saved model\'s folder, and offers nothing for a run that cannot resume', () => {
		const merged = { id: 'm1', kind: 'merged', format: 'full', baseModelId: 'x', runId: null, step: null } as unknown as ModelSummary;
		expect(resumeCommand(run('interrupted', 'm1'), checkpoints, [merged])!.command).toContain('--model models/m1');
		expect(resumeCommand(run('running'), checkpoints, [])).toBeNull();
		expect(resumeCommand(run('stopped'), [], [])).toBeNull();
	});
});
