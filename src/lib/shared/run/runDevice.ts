import type { RunConfig } from './runConfig';

/**
 * Where a run computes. The built-in engine's kernels are WebAssembly SIMD on the CPU, so its runs go
 * to the `cpu` slot: `auto` means the CPU for it, and a GPU slot would only park a CPU computation
 * on a worker that a GPU run could use. ms-swift runs take `auto` as the first free slot.
 */
export const BUILTIN_ENGINE_DEVICE = 'cpu';

type DeviceFields = Pick<RunConfig, 'engine' | 'device'>;

/** Why the configured device cannot run this engine, or null when it can. */
export function runDeviceProblem(config: DeviceFields): string | null {
	if (config.engine === 'builtin' && config.device !== 'auto' && config.device !== BUILTIN_ENGINE_DEVICE) {
		return `The built-in engine computes on the CPU: choose auto or ${BUILTIN_ENGINE_DEVICE}, not ${config.device}`;
	}
	return null;
}

/** The device slot (or `auto`) the run's job is queued for. */
export function runJobDevice(config: DeviceFields): string {
	return config.engine === 'builtin' ? BUILTIN_ENGINE_DEVICE : config.device;
}

/** Whether the Train page offers a device slot for this engine. */
export function deviceOffered(engine: RunConfig['engine'], deviceId: string): boolean {
	return engine !== 'builtin' || deviceId === BUILTIN_ENGINE_DEVICE;
}

/**
 * The GPU slots a job on `device` with `processes` processes per node holds: the slot and the GPUs
 * after it (ms-swift's NPROC_PER_NODE over CUDA_VISIBLE_DEVICES). A CPU or `auto` job holds one slot.
 */
export function gpuSlots(device: string, processes: number): string[] {
	const gpu = /^cuda:(\d+)$/.exec(device);
	if (!gpu) return [device];
	return Array.from({ length: Math.max(1, processes) }, (_, i) => `cuda:${Number(gpu[1]) + i}`);
}

/** How many device slots a run's job holds while it runs. */
export function runSlotCount(config: Pick<RunConfig, 'engine' | 'device' | 'nproc_per_node'>): number {
	return config.engine === 'swift' ? gpuSlots(config.device, config.nproc_per_node).length : 1;
}
