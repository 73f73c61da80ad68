import { z } from 'zod';
import { mediaKindSchema } from '../dataset';

/**
 * The chat vocabulary shared by the page and the server: conversations, their message tree, the
 * attachments a turn carries, and the requests that turn an answer into training rows.
 */

export const chatAttachmentSchema = z.object({
	id: z.string(),
	kind: mediaKindSchema,
	name: z.string(),
	size: z.number().int().nonnegative()
});
export type ChatAttachment = z.infer<typeof chatAttachmentSchema>;

/** What the engine reported for one answer. */
export const answerStatsSchema = z.object({
	ttftMs: z.number().nonnegative(),
	tokensPerS: z.number().nonnegative(),
	promptTokens: z.number().int().nonnegative(),
	completionTokens: z.number().int().nonnegative(),
	/** `error`: the answer was cut off (a dropped stream, a failed engine); its text is what came before. */
	finishReason: z.enum(['stop', 'length', 'cancelled', 'error']),
	/** Why an answer was cut off. */
	error: z.string().max(2000).optional()
});
export type AnswerStats = z.infer<typeof answerStatsSchema>;

export interface ChatMessageRecord {
	id: string;
	conversationId: string;
	/** Null for the first user turn: every other message answers or follows its parent. */
	parentId: string | null;
	role: 'user' | 'assistant';
	content: string;
	/** The answer as the user rewrote it into the ideal one; null when untouched. */
	editedContent: string | null;
	modelId: string | null;
	attachments: ChatAttachment[];
	stats: AnswerStats | null;
	/** 1 thumbs up, -1 thumbs down, 0 none. */
	rating: -1 | 0 | 1;
	createdAt: number;
}

export interface ConversationRecord {
	id: string;
	ownerId: string;
	title: string;
	systemPrompt: string;
	modelId: string | null;
	/** The last message of the branch on screen; null for an empty conversation. */
	currentLeafId: string | null;
	shareToken: string | null;
	createdAt: number;
	updatedAt: number;
}

export interface ConversationDetail {
	conversation: ConversationRecord;
	messages: ChatMessageRecord[];
}

export const createConversationSchema = z.object({
	title: z.string().trim().max(200).optional(),
	systemPrompt: z.string().max(20_000).optional(),
	modelId: z.string().max(200).optional()
});

export const updateConversationSchema = z
	.object({
		title: z.string().trim().min(1, 'Give the conversation a title').max(200).optional(),
		systemPrompt: z.string().max(20_000).optional(),
		modelId: z.string().max(200).nullable().optional(),
		currentLeafId: z.string().max(64).optional(),
		shared: z.boolean().optional()
	})
	.refine((change) => Object.values(change).some((value) => value !== undefined), 'Send something to change');

export const addMessageSchema = z.discriminatedUnion('role', [
	z.object({
		role: z.literal('user'),
		parentId: z.string().max(64).nullable(),
		content: z.string().max(200_000),
		/** Uploaded media ids (`POST /api/uploads`) or attachments this conversation already holds. */
		uploads: z.array(z.string().max(64)).max(16).default([]),
		attachments: z.array(z.string().max(64)).max(16).default([])
	}),
	z.object({
		role: z.literal('assistant'),
		parentId: z.string().max(64),
		content: z.string().max(200_000),
		modelId: z.string().max(200),
		stats: answerStatsSchema.nullable().default(null)
	})
]);
export type AddMessageRequest = z.infer<typeof addMessageSchema>;

export const feedbackSchema = z
	.object({
		rating: z.union([z.literal(-1), z.literal(0), z.literal(1)]).optional(),
		/** The ideal answer; null restores the model's own. */
		editedContent: z.string().max(200_000).nullable().optional()
	})
	.refine((change) => change.rating !== undefined || change.editedContent !== undefined, 'Send a rating or an edited answer');

/** Where rows go: an existing dataset by id, or a new one by name. */
export const datasetTargetSchema = z.union([
	z.object({ datasetId: z.string().max(64) }),
	z.object({ newDatasetName: z.string().trim().min(1, 'Name the new dataset').max(120) })
]);
export type DatasetTarget = z.infer<typeof datasetTargetSchema>;

export const saveRowSchema = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('sft'), messageId: z.string().max(64), target: datasetTargetSchema }),
	z.object({
		kind: z.literal('dpo'),
		chosenId: z.string().max(64),
		/** The other answer; when left out, the chosen answer's model text is the rejected one (it must have been edited). */
		rejectedId: z.string().max(64).optional(),
		target: datasetTargetSchema
	})
]);
export type SaveRowRequest = z.infer<typeof saveRowSchema>;
