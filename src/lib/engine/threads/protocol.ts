// Layout of the control block the main thread and the kernel helper threads share. It sits at a fixed
// offset in the shared WebAssembly.Memory, below the heap, so both sides can view it without messages.
//
// A job is one kernel over a list of chunks (argument lists). Every thread, the main thread included,
// claims chunks from a shared counter until none are left, and the job is done when every chunk has
// finished. No thread waits for another to merely show up: on cores shared with other work, a thread
// the OS has paused delays at most the chunk it holds.

export const CONTROL_OFFSET = 65536;
/** Int32 slots of the control block. */
export const GENERATION = 0; // bumped once per job; idle helpers wait on it
export const STOP = 1; // non-zero: helpers exit
export const KERNEL = 2; // index into KERNEL_NAMES
export const FAILED = 3; // non-zero when a helper's kernel threw
export const CHUNKS = 4; // chunks in the current job
export const CLAIM = 5; // (job tag << CLAIM_INDEX_BITS) | next unclaimed chunk; claimed by compare-exchange
export const SCRATCH_ARG = 6; // argument replaced by the claiming thread's scratch pointer, or -1
export const CHUNK_ARGC = 7; // arguments per chunk
export const FINISHED = 8; // chunks of the current job that have finished
export const CONTROL_INTS = 64;

/**
 * The claim word carries the job's tag next to the chunk index, so a helper that read an older job's
 * description and was paused before claiming can never take a chunk of a newer job. Between jobs
 * the word is closed (an index past any chunk: helper.ts CLAIM_CLOSED) before the next job is
 * described, so a helper late for the finished job cannot claim against the new chunk count.
 */
export const CLAIM_INDEX_BITS = 9;
export const CLAIM_TAG_MASK = (1 << 22) - 1;

export const MAX_THREADS = 64;
export const MAX_ARGS = 24;
export const MAX_CHUNKS = 256;
/** Float64 argument lists of the current job: [chunk][MAX_ARGS]. */
export const CHUNK_ARGS_OFFSET = CONTROL_OFFSET + CONTROL_INTS * 4;
/** First byte the heap may use. */
export const HEAP_BASE = CHUNK_ARGS_OFFSET + MAX_CHUNKS * MAX_ARGS * 8;

/** What a helper thread is started with (workerData). */
export interface HelperInit {
	memory: WebAssembly.Memory;
	tid: number;
	/** This thread's private scratch (byte offset). */
	scratch: number;
}
