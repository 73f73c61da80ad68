import type { AnswerStats, ChatAttachment, ChatMessageRecord, ConversationRecord } from '../../shared/chat/chat';
import type { MediaKind } from '../../shared/dataset';
import type { Db } from './database';

interface ConversationRow {
	id: string;
	owner_id: string;
	title: string;
	system_prompt: string;
	model_id: string | null;
	current_leaf_id: string | null;
	share_token: string | null;
	created_at: number;
	updated_at: number;
}

interface MessageRow {
	id: string;
	conversation_id: string;
	parent_id: string | null;
	role: 'user' | 'assistant';
	content: string;
	edited_content: string | null;
	model_id: string | null;
	attachments: string;
	stats: string | null;
	rating: -1 | 0 | 1;
	created_at: number;
}

export interface ChatMediaRecord {
	id: string;
	conversationId: string;
	kind: MediaKind;
	name: string;
	/** The file's name under the chat media folder. */
	file: string;
	size: number;
	createdAt: number;
}

function toConversation(row: ConversationRow): ConversationRecord {
	return {
		id: row.id,
		ownerId: row.owner_id,
		title: row.title,
		systemPrompt: row.system_prompt,
		modelId: row.model_id,
		currentLeafId: row.current_leaf_id,
		shareToken: row.share_token,
		createdAt: row.created_at,
		updatedAt: row.updated_at
	};
}

function toMessage(row: MessageRow): ChatMessageRecord {
	return {
		id: row.id,
		conversationId: row.conversation_id,
		parentId: row.parent_id,
		role: row.role,
		content: row.content,
		editedContent: row.edited_content,
		modelId: row.model_id,
		attachments: JSON.parse(row.attachments) as ChatAttachment[],
		stats: row.stats === null ? null : (JSON.parse(row.stats) as AnswerStats),
		rating: row.rating,
		createdAt: row.created_at
	};
}

/** Conversations, their messages and media: the chat's tables (migration 6). */
export class ChatsRepository {
	constructor(private readonly db: Db) {}

	/** The owner's conversations, newest activity first; `search` matches titles and message text. */
	list(ownerId: string, search?: string): ConversationRecord[] {
		if (!search) {
			return (this.db.prepare('SELECT * FROM conversations WHERE owner_id = ? ORDER BY updated_at DESC').all(ownerId) as ConversationRow[]).map(toConversation);
		}
		const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
		return (
			this.db
				.prepare(
					`SELECT * FROM conversations c WHERE owner_id = ? AND (title LIKE ? ESCAPE '\\'
					 OR EXISTS (SELECT 1 FROM chat_messages m WHERE m.conversation_id = c.id AND m.content LIKE ? ESCAPE '\\'))
					 ORDER BY updated_at DESC`
				)
				.all(ownerId, like, like) as ConversationRow[]
		).map(toConversation);
	}

	get(id: string): ConversationRecord | null {
		const row = this.db.prepare('SELECT * FROM conversations WHERE id = ?').get(id) as ConversationRow | undefined;
		return row ? toConversation(row) : null;
	}

	byShareToken(token: string): ConversationRecord | null {
		const row = this.db.prepare('SELECT * FROM conversations WHERE share_token = ?').get(token) as ConversationRow | undefined;
		return row ? toConversation(row) : null;
	}

	insert(c: ConversationRecord): void {
		this.db
			.prepare(
				`INSERT INTO conversations (id, owner_id, title, system_prompt, model_id, current_leaf_id, share_token, created_at, updated_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`
			)
			.run(c.id, c.ownerId, c.title, c.systemPrompt, c.modelId, c.currentLeafId, c.shareToken, c.createdAt, c.updatedAt);
	}

	update(c: ConversationRecord): void {
		this.db
			.prepare('UPDATE conversations SET title = ?, system_prompt = ?, model_id = ?, current_leaf_id = ?, share_token = ?, updated_at = ? WHERE id = ?')
			.run(c.title, c.systemPrompt, c.modelId, c.currentLeafId, c.shareToken, c.updatedAt, c.id);
	}

	delete(id: string): void {
		this.db.prepare('DELETE FROM conversations WHERE id = ?').run(id);
	}

	messages(conversationId: string): ChatMessageRecord[] {
		return (this.db.prepare('SELECT * FROM chat_messages WHERE conversation_id = ? ORDER BY created_at, id').all(conversationId) as MessageRow[]).map(toMessage);
	}

	message(id: string): ChatMessageRecord | null {
		const row = this.db.prepare('SELECT * FROM chat_messages WHERE id = ?').get(id) as MessageRow | undefined;
		return row ? toMessage(row) : null;
	}

	insertMessage(m: ChatMessageRecord): void {
		this.db
			.prepare(
				`INSERT INTO chat_messages (id, conversation_id, parent_id, role, content, edited_content, model_id, attachments, stats, rating, created_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
			)
			.run(m.id, m.conversationId, m.parentId, m.role, m.content, m.editedContent, m.modelId, JSON.stringify(m.attachments), m.stats ? JSON.stringify(m.stats) : null, m.rating, m.createdAt);
	}

	setFeedback(id: string, rating: -1 | 0 | 1, editedContent: string | null): void {
		this.db.prepare('UPDATE chat_messages SET rating = ?, edited_content = ? WHERE id = ?').run(rating, editedContent, id);
	}

	insertMedia(m: ChatMediaRecord): void {
		this.db
			.prepare('INSERT INTO chat_media (id, conversation_id, kind, name, file, size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
			.run(m.id, m.conversationId, m.kind, m.name, m.file, m.size, m.createdAt);
	}

	media(id: string): ChatMediaRecord | null {
		const row = this.db.prepare('SELECT * FROM chat_media WHERE id = ?').get(id) as
			| { id: string; conversation_id: string; kind: MediaKind; name: string; file: string; size: number; created_at: number }
			| undefined;
		return row ? { id: row.id, conversationId: row.conversation_id, kind: row.kind, name: row.name, file: row.file, size: row.size, createdAt: row.created_at } : null;
	}

	/** Media files of a conversation, for removing them with it. */
	mediaFiles(conversationId: string): string[] {
		return (this.db.prepare('SELECT file FROM chat_media WHERE conversation_id = ?').all(conversationId) as { file: string }[]).map((r) => r.file);
	}
}
