import { z } from 'zod';
import { modalities, type Modality } from './models';

/**
 * OpenAI-compatible inference servers (vLLM, SGLang, LMDeploy, `swift deploy`) that an admin registers
 * as an engine for chat and eval. The API key stays on the server: the browser only learns whether one
 * is set. The base URL is server configuration, shown to admins only.
 */

/**
 * How media travel in a request's content parts. `vllm`: `image_url`, `audio_url` and `video_url` with
 * data URLs (vLLM, SGLang, LMDeploy, ms-swift). `openai`: `image_url` and `input_audio` (WAV or MP3 only,
 * raw base64), no video (OpenAI's own API and servers that copy it exactly).
 */
export const endpointMediaStyles = ['vllm', 'openai'] as const;
export type EndpointMediaStyle = (typeof endpointMediaStyles)[number];

/** The engines a chat or an eval may use. */
export const inferenceEngines = ['builtin', 'endpoint'] as const;
export type InferenceEngine = (typeof inferenceEngines)[number];

const baseUrlSchema = z
	.string()
	.trim()
	.max(500)
	.refine((value) => {
		try {
			const url = new URL(value);
			return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.search && !url.hash;
		} catch {
			return false;
		}
	}, 'Give an http(s) URL such as http://gpu-box:8000 (no user, query or fragment; put the key in the API key field)');

const modalitiesSchema = z
	.array(z.enum(modalities))
	.min(1)
	.max(4)
	.refine((list) => list.includes('text'), 'An endpoint always reads text');

const endpointFields = {
	name: z.string().trim().min(1).max(100),
	baseUrl: baseUrlSchema,
	/** Sent as `Authorization: Bearer`; omitted on an update keeps the stored one, '' clears it. */
	apiKey: z.string().trim().max(1000).optional(),
	/** The model id as the server's `/v1/models` lists it. */
	model: z.string().trim().min(1).max(300),
	/** The media the model reads: the chat offers attachments of these kinds only. */
	modalities: modalitiesSchema,
	mediaStyle: z.enum(endpointMediaStyles)
};

export const endpointInputSchema = z
	.object({ ...endpointFields, modalities: endpointFields.modalities.default(['text']), mediaStyle: endpointFields.mediaStyle.default('vllm') })
	.strict();
export type EndpointInput = z.input<typeof endpointInputSchema>;

/** A change to a registered endpoint: only the fields given change (no defaults fill the others). */
export const endpointChangeSchema = z.object(endpointFields).partial().strict();
export type EndpointChange = z.input<typeof endpointChangeSchema>;

/** `POST /api/endpoints/discover`: the models a server lists, before (or while) registering it. */
export const endpointDiscoverSchema = z
	.object({
		baseUrl: baseUrlSchema,
		apiKey: z.string().trim().max(1000).optional(),
		/** Editing a registered endpoint: its stored key is used when `apiKey` is left out. */
		endpointId: z.string().min(1).max(100).optional()
	})
	.strict();

export interface EndpointHealth {
	ok: boolean;
	/** Which probe answered: the server's `/health`, or `/v1/models` where it has none. */
	via: 'health' | 'models' | null;
	latencyMs: number | null;
	/** Why it is down, in words. */
	message: string | null;
	checkedAt: number;
}

/** An endpoint as the browser sees it. `baseUrl` is null for everyone but admins. */
export interface EndpointInfo {
	id: string;
	name: string;
	baseUrl: string | null;
	model: string;
	modalities: Modality[];
	mediaStyle: EndpointMediaStyle;
	hasApiKey: boolean;
	createdAt: number;
	updatedAt: number;
	health: EndpointHealth | null;
}

/** A model id as the chat and eval pickers use it: `endpoint:<id>` for an endpoint, a registry id otherwise. */
export const endpointModelPrefix = 'endpoint:';

export function endpointModelId(endpointId: string): string {
	return `${endpointModelPrefix}${endpointId}`;
}

/** The endpoint id a model id names, or null for a built-in model. */
export function endpointIdOf(modelId: string): string | null {
	return modelId.startsWith(endpointModelPrefix) ? modelId.slice(endpointModelPrefix.length) : null;
}

export function engineOf(modelId: string): InferenceEngine {
	return endpointIdOf(modelId) === null ? 'builtin' : 'endpoint';
}
