import { describe, expect, it } from 'vitest';
import { toPublicJob, withoutServerPaths, type JobRecord } from './jobs';

describe('withoutServerPaths', () => {
	it('drops path fields at any depth and cuts paths inside messages to their file name', () => {
		expect(
			withoutServerPaths({
				runDir: '/data/runs/abc',
				resumeFrom: null,
				config: { model: 'nano', output: 'C:\\data\\x', files: ['/srv/a.jsonl', 'b.jsonl'] },
				message: "ENOENT: no such file or directory, open '/data/runs/abc/checkpoint-5/trainer_state.json'"
			})
		).toEqual({
			resumeFrom: null,
			config: { model: 'nano', files: ['b.jsonl'] },
			message: "ENOENT: no such file or directory, open 'trainer_state.json'"
		});
	});

	it('leaves urls and plain words alone', () => {
		expect(withoutServerPaths('see https://example.com/a/b and 3/4')).toBe('see https://example.com/a/b and 3/4');
	});

	it("drops an endpoint's key wherever it sits", () => {
		const payload = { target: { kind: 'endpoint', url: 'http://127.0.0.1:8000/v1', servedModel: 'm', apiKey: 'sk-secret' } };
		expect(withoutServerPaths(payload)).toEqual({ target: { kind: 'endpoint', url: 'http://127.0.0.1:8000/v1', servedModel: 'm' } });
	});

	it('shapes a job record', () => {
		const job: JobRecord = {
			id: 'j', kind: 'train', status: 'failed', device: 'cpu', assignedDevice: 'cpu', slotCount: 1, userId: 'u', userName: 'ada', progress: 0,
			payload: { datasetPath: '/d/data.jsonl', runId: 'r' }, result: { lastCheckpoint: '/d/runs/r/checkpoint-4' },
			error: 'cannot read /d/runs/r/x.json', createdAt: 0, startedAt: null, finishedAt: null
		};
		const shown = toPublicJob(job);
		expect(shown.payload).toEqual({ runId: 'r' });
		expect(shown.result).toEqual({});
		expect(shown.error).toBe('cannot read x.json');
		expect(JSON.stringify(shown)).not.toContain('/d/');
	});
});
