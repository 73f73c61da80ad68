import { describe, expect, it } from 'vitest';
import { runConfigSchema } from './runConfig';
import { deviceOffered, runDeviceProblem, runJobDevice } from './runDevice';

const base = { name: 'r', model: 'nano', dataset: 'd' };

describe('run devices', () => {
	it('sends built-in runs to the cpu slot, auto included', () => {
		expect(runJobDevice({ engine: 'builtin', device: 'auto' })).toBe('cpu');
		expect(runJobDevice({ engine: 'builtin', device: 'cpu' })).toBe('cpu');
		expect(runJobDevice({ engine: 'swift', device: 'auto' })).toBe('auto');
		expect(runJobDevice({ engine: 'swift', device: 'cuda:1' })).toBe('cuda:1');
	});

	it('refuses a GPU slot for the built-in engine, naming the device field', () => {
		expect(runDeviceProblem({ engine: 'builtin', device: 'cuda:0' })).toMatch(/CPU/);
		expect(runDeviceProblem({ engine: 'swift', device: 'cuda:0' })).toBeNull();
		const parsed = runConfigSchema.safeParse({ ...base, device: 'cuda:0' });
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues.map((i) => i.path.join('.'))).toContain('device');
		expect(runConfigSchema.safeParse({ ...base, device: 'cpu' }).success).toBe(true);
	});

	it('offers only the cpu slot to built-in runs on the Train page', () => {
		expect(deviceOffered('builtin', 'cuda:0')).toBe(false);
		expect(deviceOffered('builtin', 'cpu')).toBe(true);
		expect(deviceOffered('swift', 'cuda:0')).toBe(true);
	});
});
