/**
 * The dataset vocabulary's plain names. They live apart from the zod schemas in `dataset.ts` (which are
 * built from them and re-export them) so that code loaded by worker threads can use them without
 * loading zod: the JSONL import workers are plain bundles, and zod would be most of their size.
 */

export const messageRoles = ['system', 'user', 'assistant', 'tool_call', 'tool_response', 'tool'] as const;

export const mediaKinds = ['image', 'audio', 'video'] as const;

/** The row field holding each media kind's list, in the order its `<image>`/`<audio>`/`<video>` tags appear. */
export const mediaListField = { image: 'images', audio: 'audios', video: 'videos' } as const satisfies Record<(typeof mediaKinds)[number], string>;

export const datasetFormats = ['messages', 'sharegpt', 'alpaca', 'query_response'] as const;
