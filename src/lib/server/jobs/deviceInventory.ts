import { execFile } from 'node:child_process';
import os from 'node:os';

export interface DeviceSpec {
	id: string;
	kind: 'cpu' | 'cuda';
	name: string;
	memoryMiB: number | null;
}

/** Parses `nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader,nounits`. */
export function parseNvidiaSmi(output: string): DeviceSpec[] {
	return output
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.map((line) => {
			const [index, name, memory] = line.split(',').map((part) => part.trim());
			return { id: `cuda:${index}`, kind: 'cuda' as const, name, memoryMiB: Number(memory) || null };
		})
		.filter((d) => /^cuda:\d+$/.test(d.id));
}

function cpuDevice(): DeviceSpec {
	const model = os.cpus()[0]?.model?.trim() || 'CPU';
	return {
		id: 'cpu',
		kind: 'cpu',
		name: `${model} (${os.availableParallelism()} threads)`,
		memoryMiB: Math.round(os.totalmem() / 1024 / 1024)
	};
}

/** GPUs found by nvidia-smi (none when it is absent or fails), then always the CPU slot. */
export async function discoverDevices(nvidiaSmi = 'nvidia-smi'): Promise<DeviceSpec[]> {
	const gpus = await new Promise<DeviceSpec[]>((resolve) => {
		execFile(
			nvidiaSmi,
			['--query-gpu=index,name,memory.total', '--format=csv,noheader,nounits'],
			{ timeout: 5000 },
			(error, stdout) => resolve(error ? [] : parseNvidiaSmi(stdout))
		);
	});
	return [...gpus, cpuDevice()];
}
