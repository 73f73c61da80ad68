import { api } from '$lib/client/api';
import type { RealtimeConnection } from '$lib/client/realtimeContext';
import { uploadForm } from '$lib/client/upload';
import type { AnswerStats, ChatAttachment, ChatMessageRecord, ConversationDetail, ConversationRecord } from '$lib/shared/chat/chat';
import { withMediaTags } from '$lib/shared/chat/mediaTags';
import { flipBranch, pathTo } from '$lib/shared/chat/messageTree';
import type { ChatTurn, PartialAnswer, Sampling } from '$lib/shared/inference';
import { GenerationError, startGeneration, type RunningGeneration } from './generation';

/** An answer being streamed: shown under its user turn until the engine is done and it is saved. */
export interface StreamingAnswer {
	key: number;
	parentId: string;
	modelId: string;
	text: string;
	error: string | null;
	generation: RunningGeneration | null;
}

export interface SendOptions {
	modelIds: string[];
	systemPrompt: string;
	sampling: Sampling;
}

let nextKey = 1;

/**
 * One conversation on the page: its message tree, the branch on screen, and the answers streaming into
 * it. Every change is saved through the chat API as it happens, so a reload shows the same state.
 */
export class ChatSession {
	detail = $state<ConversationDetail | null>(null);
	streaming = $state<StreamingAnswer[]>([]);
	error = $state<string | null>(null);
	/** Upload ids of attachments still in the upload area, by attachment id (what generations take). */
	private readonly uploadIds: Record<string, string> = {};

	readonly path = $derived(this.detail ? pathTo(this.detail.messages, this.detail.conversation.currentLeafId) : []);

	constructor(private readonly realtime: RealtimeConnection) {}

	get conversation(): ConversationRecord | null {
		return this.detail?.conversation ?? null;
	}

	get busy(): boolean {
		return this.streaming.some((s) => s.generation !== null);
	}

	async open(id: string | null): Promise<void> {
		this.stop();
		this.streaming = [];
		this.error = null;
		this.detail = id ? await api<ConversationDetail>(`/api/chat/conversations/${id}`) : null;
	}

	private async ensureConversation(options: SendOptions): Promise<string> {
		if (this.detail) return this.detail.conversation.id;
		const { conversation } = await api<{ conversation: ConversationRecord }>('/api/chat/conversations', {
			body: { systemPrompt: options.systemPrompt, modelId: options.modelIds[0] }
		});
		this.detail = { conversation, messages: [] };
		return conversation.id;
	}

	private remember(message: ChatMessageRecord): void {
		if (!this.detail) return;
		this.detail.messages.push(message);
		this.detail.conversation.currentLeafId = message.id;
	}

	/** A new user turn after the branch on screen, then an answer from each model (two to four: compare). */
	async send(content: string, uploads: string[], options: SendOptions): Promise<ChatMessageRecord | null> {
		return this.guard(async () => {
			const id = await this.ensureConversation(options);
			const last = this.path.at(-1);
			// After a turn whose answer failed, the new turn replaces it rather than following it.
			const parentId = last === undefined ? null : last.role === 'assistant' ? last.id : last.parentId;
			const { message } = await api<{ message: ChatMessageRecord }>(`/api/chat/conversations/${id}/messages`, { body: { role: 'user', parentId, content, uploads } });
			message.attachments.forEach((a, i) => (this.uploadIds[a.id] = uploads[i]));
			this.remember(message);
			await this.answer(message, options);
			return message;
		});
	}

	/** An edited user turn: a sibling of the old one, keeping its attachments, then a fresh answer. */
	async editTurn(turn: ChatMessageRecord, content: string, options: SendOptions): Promise<void> {
		await this.guard(async () => {
			const { message } = await api<{ message: ChatMessageRecord }>(`/api/chat/conversations/${turn.conversationId}/messages`, {
				body: { role: 'user', parentId: turn.parentId, content, attachments: turn.attachments.map((a) => a.id) }
			});
			this.remember(message);
			await this.answer(message, options);
		});
	}

	async regenerate(answer: ChatMessageRecord, options: SendOptions): Promise<void> {
		const turn = this.detail?.messages.find((m) => m.id === answer.parentId);
		if (turn) await this.guard(() => this.answer(turn, options));
	}

	/** Streams one answer per model to `turn`, in parallel, and saves each as it finishes. */
	private async answer(turn: ChatMessageRecord, options: SendOptions): Promise<void> {
		const messages = this.detail!.messages;
		const history = pathTo(messages, turn.id);
		const turns: ChatTurn[] = options.systemPrompt.trim() ? [{ role: 'system', content: options.systemPrompt }] : [];
		for (const m of history) turns.push({ role: m.role, content: m.role === 'user' ? withMediaTags(m) : (m.editedContent ?? m.content) });
		const attachments = history.flatMap((m) => m.attachments);
		const media = await Promise.all(attachments.map(async (a) => ({ kind: a.kind, uploadId: await this.uploadIdOf(turn.conversationId, a) })));
		await Promise.all(
			options.modelIds.map(async (modelId) => {
				const pending: StreamingAnswer = { key: nextKey++, parentId: turn.id, modelId, text: '', error: null, generation: null };
				this.streaming.push(pending);
				const live = () => this.streaming.find((s) => s.key === pending.key)!;
				try {
					live().generation = await startGeneration(this.realtime, { modelId, messages: turns, media, sampling: options.sampling }, (text) => {
						live().text += text;
					});
					const result = await live().generation!.done;
					await this.saveAnswer(turn, modelId, result, { finishReason: result.finishReason });
					this.streaming = this.streaming.filter((s) => s.key !== pending.key);
				} catch (error) {
					live().error = (error as Error).message;
					live().generation = null;
					// An answer cut off midway is kept as far as it came, marked with why it stopped.
					const partial = error instanceof GenerationError ? error.partial : null;
					if (partial) {
						try {
							await this.saveAnswer(turn, modelId, partial, { finishReason: 'error', error: (error as Error).message });
							this.streaming = this.streaming.filter((s) => s.key !== pending.key);
						} catch {
							// Not saved: the text stays on screen with its error.
						}
					}
				}
			})
		);
		// With several answers, the first model's stays on screen; the others are its siblings.
		const first = this.detail?.messages.filter((m) => m.parentId === turn.id && m.modelId === options.modelIds[0]).at(-1);
		if (options.modelIds.length > 1 && first) await this.show(first.id);
	}

	private async saveAnswer(turn: ChatMessageRecord, modelId: string, answer: PartialAnswer, end: Pick<AnswerStats, 'finishReason' | 'error'>): Promise<void> {
		const { message } = await api<{ message: ChatMessageRecord }>(`/api/chat/conversations/${turn.conversationId}/messages`, {
			body: {
				role: 'assistant',
				parentId: turn.id,
				content: answer.text,
				modelId,
				stats: {
					ttftMs: answer.timings.ttftMs,
					tokensPerS: answer.timings.tokensPerS,
					promptTokens: answer.usage.prompt_tokens,
					completionTokens: answer.usage.completion_tokens,
					...end
				}
			}
		});
		this.remember(message);
	}

	/** An upload id the inference service can read: the one sent with the turn, else the file uploaded again. */
	private async uploadIdOf(conversationId: string, attachment: ChatAttachment): Promise<string> {
		const known = this.uploadIds[attachment.id];
		if (known) return known;
		const blob = await (await fetch(`/api/chat/conversations/${conversationId}/media/${attachment.id}`)).blob();
		const form = new FormData();
		form.append('files', blob, attachment.name);
		const { status, body } = await uploadForm<{ files?: { id: string }[]; error?: { message: string } }>('/api/uploads', form, () => {}).done;
		if (status !== 201 || !body.files?.[0]) throw new Error(body.error?.message ?? `Attachment "${attachment.name}" could not be sent again (${status}).`);
		this.uploadIds[attachment.id] = body.files[0].id;
		return body.files[0].id;
	}

	stop(): void {
		for (const s of this.streaming) s.generation?.stop();
	}

	dismiss(key: number): void {
		this.streaming = this.streaming.filter((s) => s.key !== key);
	}

	async show(leafId: string): Promise<void> {
		if (!this.detail) return;
		this.detail.conversation.currentLeafId = leafId;
		await this.guard(() => api(`/api/chat/conversations/${this.detail!.conversation.id}`, { method: 'PATCH', body: { currentLeafId: leafId } }));
	}

	async flip(message: ChatMessageRecord, step: number): Promise<void> {
		const leaf = this.detail ? flipBranch(this.detail.messages, message, step) : null;
		if (leaf) await this.show(leaf);
	}

	async feedback(message: ChatMessageRecord, change: { rating?: -1 | 0 | 1; editedContent?: string | null }): Promise<void> {
		await this.guard(async () => {
			const { message: updated } = await api<{ message: ChatMessageRecord }>(`/api/chat/conversations/${message.conversationId}/messages/${message.id}`, { method: 'PATCH', body: change });
			const index = this.detail!.messages.findIndex((m) => m.id === message.id);
			if (index >= 0) this.detail!.messages[index] = updated;
		});
	}

	async update(change: { title?: string; systemPrompt?: string; modelId?: string; shared?: boolean }): Promise<void> {
		if (!this.detail) return;
		await this.guard(async () => {
			const { conversation } = await api<{ conversation: ConversationRecord }>(`/api/chat/conversations/${this.detail!.conversation.id}`, { method: 'PATCH', body: change });
			this.detail!.conversation = conversation;
		});
	}

	private async guard<T>(work: () => Promise<T>): Promise<T | null> {
		this.error = null;
		try {
			return await work();
		} catch (error) {
			this.error = (error as Error).message;
			return null;
		}
	}
}
