import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../../shared/auth';
import { generationRequestSchema, generationStream, generationStreamKind, type GenerationStarted, type MediaInput } from '../../shared/inference';
import { sniffMediaFile } from './mediaCheck';
import type { StreamEvent } from '../../shared/realtime';
import { HttpError } from '../http/httpError';
import { MemoryStreamSet } from '../realtime/memoryStreamSet';
import type { StreamRegistry } from '../realtime/streamRegistry';
import { TokenBucket } from '../realtime/tokenBucket';
import type { UploadStore } from '../uploads/uploadStore';
import type { InferenceService } from './inferenceService';
import { PartialAnswerError } from './partialAnswer';

interface Live {
	ownerId: string;
	controller: AbortController;
}

/**
 * The chat page's generations: `POST /api/generations` starts one and answers its stream `gen:<id>`,
 * which carries `delta` {text} events and then one `done` (GenerationResult) or `error` {code,
 * message}; `DELETE /api/generations/:id` cancels it. Media arrive as upload ids, resolved here to the
 * uploader's own files. Each user may start `perMinute` generations a minute (a short burst allowed).
 */
export class Generations {
	private readonly streams = new MemoryStreamSet(generationStreamKind, 500, 5000);
	private readonly owners = new Map<string, string>();
	private readonly live = new Map<string, Live>();
	private readonly buckets = new Map<string, TokenBucket>();

	constructor(
		private readonly inference: InferenceService,
		private readonly uploads: UploadStore,
		private readonly publish: (event: StreamEvent) => void,
		private readonly perMinute = 30
	) {}

	/** The stream kind for the hub: a generation's stream is for its owner and admins. */
	register(registry: StreamRegistry): void {
		registry.register({
			kind: generationStreamKind,
			capability: 'chat',
			open: (id, user) => {
				const owner = this.owners.get(id);
				return owner && (owner === user.id || user.role === 'admin') ? this.streams.get(id) : null;
			}
		});
	}

	private admit(user: SessionUser): void {
		let bucket = this.buckets.get(user.id);
		if (!bucket) {
			bucket = new TokenBucket(this.perMinute / 60, Math.max(1, Math.ceil(this.perMinute / 3)));
			this.buckets.set(user.id, bucket);
		}
		if (!bucket.take()) throw new HttpError('rate_limited', `At most ${this.perMinute} generations a minute; wait a moment.`, undefined, { 'retry-after': '5' });
	}

	private async resolveMedia(media: { kind: MediaInput['kind']; uploadId: string }[], user: SessionUser): Promise<MediaInput[]> {
		return Promise.all(
			media.map(async (m, i) => {
				const found = await this.uploads.locate(m.uploadId, user.id);
				if (!found) throw new HttpError('invalid_request', `Attachment ${i + 1} (${m.kind}): no upload "${m.uploadId}" of yours; upload it with POST /api/uploads first.`, { [`media.${i}`]: 'Unknown upload' });
				const problem = await sniffMediaFile(found.path, m.kind);
				if (problem) throw new HttpError('invalid_request', `Attachment ${i + 1} (${m.kind}, "${found.name}"): ${problem}`, { [`media.${i}`]: problem });
				return { kind: m.kind, file: found.path };
			})
		);
	}

	/**
	 * Checks the request (model, media) before answering, so a bad one is a 400 here rather than an
	 * error event, then generates in the background onto the stream.
	 */
	async start(body: unknown, user: SessionUser): Promise<GenerationStarted> {
		const parsed = generationRequestSchema.safeParse(body);
		if (!parsed.success) throw HttpError.fromZod(parsed.error, 'generation');
		const request = parsed.data;
		this.admit(user);
		const media = await this.resolveMedia(request.media, user);
		const id = randomUUID();
		const stream = this.streams.get(id);
		this.owners.set(id, user.id);
		if (this.owners.size > 2000) this.owners.delete(this.owners.keys().next().value as string);
		const controller = new AbortController();
		this.live.set(id, { ownerId: user.id, controller });
		const generation = this.inference.generate({ modelId: request.modelId, messages: request.messages, media, sampling: request.sampling }, user, {
			signal: controller.signal,
			onDelta: (text) => this.publish(stream.next('delta', { text }))
		});
		const first = await Promise.race([generation.then(() => null, (error: unknown) => error), new Promise<null>((resolve) => setImmediate(() => resolve(null)))]);
		// A request the service refuses at once (unknown model, wrong media kind, overload) is this answer's error.
		if (first !== null) {
			this.live.delete(id);
			throw first;
		}
		generation.then(
			(result) => this.publish(stream.next('done', result)),
			(error: unknown) => {
				const code = HttpError.is(error) ? error.code : 'internal';
				const partial = PartialAnswerError.partialOf(error);
				this.publish(stream.next('error', { code, message: error instanceof Error ? error.message : String(error), ...(partial ? { partial } : {}) }));
			}
		).finally(() => this.live.delete(id));
		return { id, stream: generationStream(id) };
	}

	cancel(id: string, user: SessionUser): void {
		const live = this.live.get(id);
		if (!live) {
			if (this.owners.has(id)) throw new HttpError('conflict', `Generation "${id}" has already finished.`);
			throw new HttpError('not_found', `No generation "${id}".`);
		}
		if (live.ownerId !== user.id && user.role !== 'admin') throw new HttpError('forbidden', 'Only its owner or an admin may stop this generation.');
		live.controller.abort();
	}
}
