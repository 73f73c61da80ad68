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
