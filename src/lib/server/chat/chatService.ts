import { randomBytes } from 'node:crypto';
import type { SessionUser } from '../../shared/auth';
import type { AddMessageRequest, ChatAttachment, ChatMessageRecord, ConversationDetail, ConversationRecord } from '../../shared/chat/chat';
import { pathTo } from '../../shared/chat/messageTree';
import type { ChatsRepository } from '../db/chats';
import { newId } from '../db/ids';
import { HttpError } from '../http/httpError';
import type { ChatMedia } from './chatMedia';

const UNTITLED = 'New chat';

export interface ConversationChange {
	title?: string;
	systemPrompt?: string;
	modelId?: string | null;
	currentLeafId?: string;
	shared?: boolean;
}

/**
 * Conversations as their owner sees them. Chats are private: anyone else, admins included, gets 404
 * (the id's existence is not told), except through a share link, which shows one read-only.
 */
export class ChatService {
	constructor(
		private readonly chats: ChatsRepository,
		readonly media: ChatMedia
	) {}

	list(user: SessionUser, search?: string): ConversationRecord[] {
		return this.chats.list(user.id, search?.trim() || undefined);
	}

	create(user: SessionUser, init: { title?: string; systemPrompt?: string; modelId?: string }): ConversationRecord {
		const now = Date.now();
		const conversation: ConversationRecord = {
			id: newId(),
			ownerId: user.id,
			title: init.title || UNTITLED,
			systemPrompt: init.systemPrompt ?? '',
			modelId: init.modelId ?? null,
			currentLeafId: null,
			shareToken: null,
			createdAt: now,
			updatedAt: now
		};
		this.chats.insert(conversation);
		return conversation;
	}

	/** The conversation if `user` owns it; 404 otherwise. */
	require(user: SessionUser, id: string): ConversationRecord {
		const conversation = this.chats.get(id);
		if (!conversation || conversation.ownerId !== user.id) throw new HttpError('not_found', `No conversation "${id}".`);
		return conversation;
	}

	detail(user: SessionUser, id: string): ConversationDetail {
		const conversation = this.require(user, id);
		return { conversation, messages: this.chats.messages(id) };
	}

	/** A shared conversation by its link's token: read-only, without the owner's id. */
	shared(token: string): ConversationDetail {
		const conversation = /^[A-Za-z0-9_-]{16,64}$/.test(token) ? this.chats.byShareToken(token) : null;
		if (!conversation) throw new HttpError('not_found', 'This shared chat does not exist or is no longer shared.');
		return { conversation: { ...conversation, ownerId: '' }, messages: this.chats.messages(conversation.id) };
	}

	update(user: SessionUser, id: string, change: ConversationChange): ConversationRecord {
		const conversation = { ...this.require(user, id), updatedAt: Date.now() };
		if (change.title !== undefined) conversation.title = change.title;
		if (change.systemPrompt !== undefined) conversation.systemPrompt = change.systemPrompt;
		if (change.modelId !== undefined) conversation.modelId = change.modelId;
		if (change.currentLeafId !== undefined) {
			const leaf = this.chats.message(change.currentLeafId);
			if (!leaf || leaf.conversationId !== id) throw new HttpError('invalid_request', `Message "${change.currentLeafId}" is not part of this conversation.`);
			conversation.currentLeafId = leaf.id;
		}
		if (change.shared === true) conversation.shareToken ??= randomBytes(18).toString('base64url');
		if (change.shared === false) conversation.shareToken = null;
		this.chats.update(conversation);
		return conversation;
	}

	async delete(user: SessionUser, id: string): Promise<void> {
		this.require(user, id);
		const files = this.chats.mediaFiles(id);
		this.chats.delete(id);
		await this.media.removeFiles(files);
	}

	/**
	 * Adds a user turn (a new one, or an edit: a sibling of the turn it replaces) or an answer (a new one,
	 * or a regeneration: a sibling of the earlier answer). The new message becomes the branch on screen.
	 */
	async addMessage(user: SessionUser, id: string, request: AddMessageRequest): Promise<ChatMessageRecord> {
		const conversation = this.require(user, id);
		const parent = request.parentId === null ? null : this.chats.message(request.parentId);
		if (request.parentId !== null && (!parent || parent.conversationId !== id)) {
			throw new HttpError('invalid_request', `Message "${request.parentId}" is not part of this conversation.`);
		}
		const expectedParent = request.role === 'user' ? 'assistant' : 'user';
		if (parent && parent.role !== expectedParent) {
			throw new HttpError('invalid_request', `A ${request.role} message follows ${expectedParent === 'user' ? 'a user turn' : 'an answer'}, not ${parent.role === 'user' ? 'a user turn' : 'an answer'}.`);
		}
		let attachments: ChatAttachment[] = [];
		if (request.role === 'user') {
			const kept = request.attachments.map((mediaId) => {
				const media = this.media.require(mediaId, id);
				return { id: media.id, kind: media.kind, name: media.name, size: media.size };
			});
			const claimed: ChatAttachment[] = [];
			for (const [i, uploadId] of request.uploads.entries()) claimed.push(await this.media.claim(uploadId, user.id, id, kept.length + i));
			attachments = [...kept, ...claimed];
		}
		const message: ChatMessageRecord = {
			id: newId(),
			conversationId: id,
			parentId: parent?.id ?? null,
			role: request.role,
			content: request.content,
			editedContent: null,
			modelId: request.role === 'assistant' ? request.modelId : null,
			attachments,
			stats: request.role === 'assistant' ? request.stats : null,
			rating: 0,
			// Strictly after its parent, so sibling and path order never tie within one millisecond.
			createdAt: Math.max(Date.now(), (parent?.createdAt ?? 0) + 1)
		};
		this.chats.insertMessage(message);
		const title = conversation.title === UNTITLED && request.role === 'user' && request.content.trim() ? request.content.trim().slice(0, 80) : conversation.title;
		this.chats.update({ ...conversation, title, currentLeafId: message.id, updatedAt: Date.now() });
		return message;
	}

	feedback(user: SessionUser, id: string, messageId: string, change: { rating?: -1 | 0 | 1; editedContent?: string | null }): ChatMessageRecord {
		const message = this.requireMessage(user, id, messageId);
		if (message.role !== 'assistant') throw new HttpError('invalid_request', 'Feedback goes on answers, not on user turns.');
		const editedContent = change.editedContent === undefined ? message.editedContent : change.editedContent === message.content ? null : change.editedContent;
		this.chats.setFeedback(messageId, change.rating ?? message.rating, editedContent);
		return this.chats.message(messageId)!;
	}

	requireMessage(user: SessionUser, id: string, messageId: string): ChatMessageRecord {
		this.require(user, id);
		const message = this.chats.message(messageId);
		if (!message || message.conversationId !== id) throw new HttpError('not_found', `No message "${messageId}" in this conversation.`);
		return message;
	}

	/** The messages from the first turn down to `messageId`. */
	pathTo(id: string, messageId: string): ChatMessageRecord[] {
		return pathTo(this.chats.messages(id), messageId);
	}
}
