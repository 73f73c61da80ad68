import { describe, expect, it } from 'vitest';
import { discoverDevices, parseNvidiaSmi } from './deviceInventory';

describe('device inventory', () => {
	it('parses nvidia-smi CSV into one slot per GPU', () => {
		const output = '0, NVIDIA H100 80GB HBM3, 81559\n1, NVIDIA H100 80GB HBM3, 81559\n';
		expect(parseNvidiaSmi(output)).toEqual([
			{ id: 'cuda:0', kind: 'cuda', name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 },
			{ id: 'cuda:1', kind: 'cuda', name: 'NVIDIA H100 80GB HBM3', memoryMiB: 81559 }
		]);
		expect(parseNvidiaSmi('')).toEqual([]);
	});

	it('always has the CPU slot, even without nvidia-smi', async () => {
		const devices = await discoverDevices('/nonexistent/nvidia-smi');
		expect(devices.map((d) => d.id)).toEqual(['cpu']);
		expect(devices[0].memoryMiB).toBeGreaterThan(0);
	});
});
