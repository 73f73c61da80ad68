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
export const MODE = 6; // MODE_PER_THREAD or MODE_CHUNKED
export const CHUNKS = 7; // chunked jobs: number of chunks
export const NEXT_CHUNK = 8; // chunked jobs: next unclaimed chunk (claimed with Atomics.add)
export const SCRATCH_ARG = 9; // chunked jobs: argument replaced by the claiming thread's scratch, or -1
export const CHUNK_ARGC = 10; // chunked jobs: arguments per chunk
export const CONTROL_INTS = 64;

/** Each thread runs the argument list written for it. */
export const MODE_PER_THREAD = 0;
/**
 * Threads claim chunks from a shared counter until none are left: a thread the OS has paused (other
 * work on the same cores) delays only the chunk it holds, not a fixed share of the job.
 */
export const MODE_CHUNKED = 1;

export const MAX_THREADS = 64;
export const MAX_ARGS = 24;
/** Float64 argument slots: [thread][MAX_ARGS], then one count per thread. */
export const ARGS_OFFSET = CONTROL_OFFSET + CONTROL_INTS * 4;
export const ARGC_OFFSET = ARGS_OFFSET + MAX_THREADS * MAX_ARGS * 8;
export const MAX_CHUNKS = 256;
/** Float64 argument lists of a chunked job: [chunk][MAX_ARGS]. */
export const CHUNK_ARGS_OFFSET = ARGC_OFFSET + MAX_THREADS * 8;
/** First byte the heap may use. */
export const HEAP_BASE = CHUNK_ARGS_OFFSET + MAX_CHUNKS * MAX_ARGS * 8;

/** What a helper thread is started with (workerData). */
export interface HelperInit {
	memory: WebAssembly.Memory;
	tid: number;
	/** This thread's private scratch (byte offset), for chunked jobs. */
	scratch: number;
}
