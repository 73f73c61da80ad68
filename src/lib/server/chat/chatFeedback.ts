import path from 'node:path';
import type { SessionUser } from '../../shared/auth';
import type { ChatAttachment, ChatMessageRecord, SaveRowRequest } from '../../shared/chat/chat';
import { sniffMedia } from '../datasets/mediaSniff';
import type { DatasetAppender } from '../datasets/catalog/datasetAppender';
import type { DatasetStore } from '../datasets/store';
import { HttpError } from '../http/httpError';
import type { ChatService } from './chatService';
import { answerText, dpoRow, sftRow } from './trainingRows';
import fs from 'node:fs';

/**
 * Feedback into data: an answer becomes an SFT row, a preferred answer and another one a DPO pair. The
 * turn's media are copied into the dataset's own media folder, so the rows outlive the conversation.
 */
export class ChatFeedback {
	constructor(
		private readonly chat: ChatService,
		private readonly appender: DatasetAppender
	) {}

	async save(user: SessionUser, conversationId: string, request: SaveRowRequest) {
		const conversation = this.chat.require(user, conversationId);
		const answerId = request.kind === 'sft' ? request.messageId : request.chosenId;
		const answer = this.chat.requireMessage(user, conversationId, answerId);
		if (answer.role !== 'assistant') throw new HttpError('invalid_request', 'Pick an answer (an assistant message) to save.');
		const chosenPath = this.chat.pathTo(conversationId, answerId);
		let rejected: string | null = null;
		if (request.kind === 'dpo') rejected = this.rejectedText(user, conversationId, answer, request.rejectedId);
		const result = await this.appender.append(user, request.target, async (store) => {
			const refs = await this.storeMedia(store, conversationId, chosenPath);
			const ref = (a: ChatAttachment) => refs.get(a.id)!;
			try {
				return [rejected === null ? sftRow(conversation.systemPrompt, chosenPath, ref) : dpoRow(conversation.systemPrompt, chosenPath, rejected, ref)];
			} catch (error) {
				throw new HttpError('invalid_request', (error as Error).message);
			}
		});
		return { dataset: result.dataset, row: result.firstRow };
	}

	/** The other answer of a pair: a sibling answer to the same turn, or the model's own text when it was edited. */
	private rejectedText(user: SessionUser, conversationId: string, chosen: ChatMessageRecord, rejectedId: string | undefined): string {
		if (rejectedId === undefined) {
			if (chosen.editedContent === null) throw new HttpError('invalid_request', 'Edit the answer into the ideal one first, or pick the other answer of the pair.');
			return chosen.content;
		}
		const rejected = this.chat.requireMessage(user, conversationId, rejectedId);
		if (rejected.role !== 'assistant' || rejected.parentId !== chosen.parentId) {
			throw new HttpError('invalid_request', 'The rejected answer must answer the same turn as the chosen one.');
		}
		return answerText(rejected);
	}

	private async storeMedia(store: DatasetStore, conversationId: string, messages: readonly ChatMessageRecord[]): Promise<Map<string, string>> {
		const refs = new Map<string, string>();
		for (const attachment of messages.flatMap((m) => m.attachments)) {
			if (refs.has(attachment.id)) continue;
			const media = this.chat.media.require(attachment.id, conversationId);
			const file = this.chat.media.pathOf(media);
			const head = Buffer.alloc(32);
			const handle = await fs.promises.open(file, 'r');
			try {
				await handle.read(head, 0, 32, 0);
			} finally {
				await handle.close();
			}
			const sniffed = sniffMedia(head) ?? { ext: path.extname(file).slice(1), label: media.kind, kinds: [media.kind] };
			refs.set(attachment.id, await store.storeMedia({ source: { type: 'file', path: file, size: media.size }, sniffed }));
		}
		return refs;
	}
}
