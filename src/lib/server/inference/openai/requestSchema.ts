import { z } from 'zod';

/**
 * The body of `POST /api/v1/chat/completions`: OpenAI's chat completions, vLLM's `audio_url` and
 * `video_url` parts, ms-swift's bare `image`/`audio`/`video` parts and its top-level
 * `images`/`audios`/`videos` lists, ms-swift's sampling extras (`top_k`, `repetition_penalty`) and
 * vLLM's `ignore_eos`, which OpenAI clients send in their extra body.
 * Fields OpenAI clients send that do not apply here (`user`, `logit_bias`, ...) are ignored.
 */

/** `{url}` as OpenAI sends it; a bare string as some clients do. */
const urlObject = z.union([z.string(), z.object({ url: z.string(), detail: z.string().optional() })]).transform((v) => (typeof v === 'string' ? v : v.url));

const contentPartSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('text'), text: z.string() }),
	z.object({ type: z.literal('image_url'), image_url: urlObject }),
	z.object({ type: z.literal('audio_url'), audio_url: urlObject }),
	z.object({ type: z.literal('video_url'), video_url: urlObject }),
	z.object({
		type: z.literal('input_audio'),
		input_audio: z.object({ data: z.string().min(1, 'is empty'), format: z.enum(['wav', 'mp3']) })
	}),
	z.object({ type: z.literal('image'), image: z.string() }),
	z.object({ type: z.literal('audio'), audio: z.string() }),
	z.object({ type: z.literal('video'), video: z.string() })
]);
export type ContentPart = z.infer<typeof contentPartSchema>;

const messageSchema = z.object({
	// OpenAI's newer `developer` role is a system message by another name.
	role: z.enum(['system', 'developer', 'user', 'assistant']).transform((r) => (r === 'developer' ? 'system' : r)),
	content: z.union([z.string(), z.array(contentPartSchema), z.null()]).transform((c) => c ?? '')
});

const tokenCount = z.number().int().min(1).max(4096);
const mediaList = z.array(z.string()).max(64).optional();

export const chatCompletionRequestSchema = z.object({
	model: z.string().min(1, 'is required'),
	messages: z.array(messageSchema).min(1, 'needs at least one message'),
	max_tokens: tokenCount.nullish(),
	max_completion_tokens: tokenCount.nullish(),
	temperature: z.number().min(0).max(2).nullish(),
	top_p: z.number().gt(0).max(1).nullish(),
	top_k: z.number().int().min(-1).max(100_000).nullish(),
	repetition_penalty: z.number().gt(0).max(10).nullish(),
	stop: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(16)]).nullish(),
	seed: z.number().int().min(0).max(2 ** 32 - 1).nullish(),
	ignore_eos: z.boolean().nullish(),
	n: z.literal(1, 'only 1 is supported').nullish(),
	stream: z.boolean().nullish(),
	stream_options: z.object({ include_usage: z.boolean().optional() }).nullish(),
	images: mediaList,
	audios: mediaList,
	videos: mediaList
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
