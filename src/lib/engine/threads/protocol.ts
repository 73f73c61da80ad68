// Layout of the control block the main thread and the kernel helper threads share. It sits at a fixed
// offset in the shared WebAssembly.Memory, below the heap, so both sides can view it without messages.

export const CONTROL_OFFSET = 65536;
/** Int32 slots of the control block. */
export const GENERATION = 0; // bumped once per job; helpers wait on it
export const DONE = 1; // helpers that finished the current job
export const STOP = 2; // non-zero: helpers exit
export const KERNEL = 3; // index into KERNEL_NAMES
export const ACTIVE = 4; // threads taking part in this job (main is thread 0)
export const FAILED = 5; // non-zero when a helper's kernel threw
export const CONTROL_INTS = 64;

export const MAX_THREADS = 64;
export const MAX_ARGS = 24;
/** Float64 argument slots: [thread][MAX_ARGS], then one count per thread. */
export const ARGS_OFFSET = CONTROL_OFFSET + CONTROL_INTS * 4;
export const ARGC_OFFSET = ARGS_OFFSET + MAX_THREADS * MAX_ARGS * 8;
/** First byte the heap may use. */
export const HEAP_BASE = ARGC_OFFSET + MAX_THREADS * 8;

/** What a helper thread is started with (workerData). */
export interface HelperInit {
	memory: WebAssembly.Memory;
	tid: number;
}
