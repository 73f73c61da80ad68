import { z } from 'zod';
import { datasetFormats, mediaKinds, mediaListField, messageRoles } from './datasetNames';

/**
 * The dataset vocabulary shared by the browser, the server and the workers: the standard ms-swift row
 * every uploaded format is converted to, the error records a validation pass produces, and the summary
 * and statistics an import reports.
 */

export { datasetFormats, mediaKinds, mediaListField, messageRoles };

export const messageRoleSchema = z.enum(messageRoles);
export type MessageRole = z.infer<typeof messageRoleSchema>;

export const chatMessageSchema = z.object({
	role: messageRoleSchema,
	content: z.string()
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const mediaKindSchema = z.enum(mediaKinds);
export type MediaKind = z.infer<typeof mediaKindSchema>;

/** One row of `data.jsonl`, as ms-swift reads it. Media entries are `media/<sha256>.<ext>` once stored. */
export const standardRowSchema = z.object({
	messages: z.array(chatMessageSchema).min(1),
	images: z.array(z.string()).optional(),
	audios: z.array(z.string()).optional(),
	videos: z.array(z.string()).optional(),
	rejected_response: z.string().optional(),
	rejected_messages: z.array(chatMessageSchema).optional(),
	rejected_images: z.array(z.string()).optional(),
	/** KTO: whether the response is desirable. */
	label: z.boolean().optional()
});
export type StandardRow = z.infer<typeof standardRowSchema>;

export const datasetFormatSchema = z.enum(datasetFormats);
export type DatasetFormat = z.infer<typeof datasetFormatSchema>;

export const datasetErrorKinds = [
	'bad_json',
	'bad_utf8',
	'bad_csv',
	'bad_field_type',
	'unknown_format',
	'empty_content',
	'role_order',
	'no_assistant',
	'media_tag_mismatch',
	'media_missing',
	'media_unreadable',
	'media_wrong_kind',
	'path_escape',
	'dpo_missing_rejected',
	'too_long_field',
	'line_too_long',
	'file_unreadable',
	'unsupported_file',
	'archive_rejected'
] as const;
export const datasetErrorKindSchema = z.enum(datasetErrorKinds);
export type DatasetErrorKind = z.infer<typeof datasetErrorKindSchema>;

export const datasetErrorSchema = z.object({
	/** The file name as uploaded (never a server path). */
	file: z.string(),
	/** 1-based line (JSONL, JSON) or row (CSV, header = 1); null for problems with the whole file. */
	line: z.number().int().positive().nullable(),
	/** Where in the row, e.g. `messages[2].content` or `images[0]`; null for the whole row. */
	field: z.string().nullable(),
	kind: datasetErrorKindSchema,
	message: z.string()
});
export type DatasetError = z.infer<typeof datasetErrorSchema>;

/** What the rows are meant to train; `auto` treats the data as preference data once any row has rejected fields. */
export const datasetPurposes = ['auto', 'sft', 'dpo', 'kto'] as const;
export const datasetPurposeSchema = z.enum(datasetPurposes);
export type DatasetPurpose = z.infer<typeof datasetPurposeSchema>;

/** A deterministic train/validation split: row i is held out when a seeded hash of i falls below `ratio`. */
export const datasetSplitSchema = z.object({
	ratio: z.number().min(0).max(1).default(0.01),
	seed: z.number().int().default(42)
});
export type DatasetSplit = z.infer<typeof datasetSplitSchema>;

export const histogramBucketSchema = z.object({
	/** Inclusive lower bound, in tokens. */
	from: z.number().int().nonnegative(),
	/** Exclusive upper bound; null for the last, open bucket. */
	to: z.number().int().positive().nullable(),
	count: z.number().int().nonnegative()
});
export type HistogramBucket = z.infer<typeof histogramBucketSchema>;

export const longRowSchema = z.object({
	/** 0-based index in the stored `data.jsonl`. */
	index: z.number().int().nonnegative(),
	tokens: z.number().int().nonnegative(),
	file: z.string(),
	line: z.number().int().positive()
});
export type LongRow = z.infer<typeof longRowSchema>;

export const datasetStatsSchema = z.object({
	rows: z.number().int().nonnegative(),
	messages: z.number().int().nonnegative(),
	/** Assistant replies: one per user/assistant exchange. */
	turns: z.number().int().nonnegative(),
	media: z.object({ image: z.number().int(), audio: z.number().int(), video: z.number().int() }),
	preferenceRows: z.number().int().nonnegative(),
	tokens: z.object({
		total: z.number().int().nonnegative(),
		min: z.number().int().nonnegative(),
		max: z.number().int().nonnegative(),
		mean: z.number().nonnegative()
	}),
	histogram: z.array(histogramBucketSchema),
	longestRows: z.array(longRowSchema),
	maxLength: z.number().int().positive(),
	/** Share (0..1) of rows whose token count exceeds maxLength. */
	overMaxLengthShare: z.number().min(0).max(1),
	split: datasetSplitSchema,
	validationRows: z.number().int().nonnegative()
});
export type DatasetStats = z.infer<typeof datasetStatsSchema>;

export const fileReportSchema = z.object({
	file: z.string(),
	/** The format most rows of the file were in; null when no row was recognised. */
	format: datasetFormatSchema.nullable(),
	formatCounts: z.record(z.string(), z.number().int()),
	rowsRead: z.number().int().nonnegative(),
	rowsValid: z.number().int().nonnegative()
});
export type FileReport = z.infer<typeof fileReportSchema>;

export const datasetSummarySchema = z.object({
	id: z.string(),
	/** False when errors were found and the caller asked not to skip invalid rows: nothing was stored. */
	imported: z.boolean(),
	purpose: datasetPurposeSchema,
	files: z.array(fileReportSchema),
	rowsRead: z.number().int().nonnegative(),
	rowsStored: z.number().int().nonnegative(),
	rowsSkipped: z.number().int().nonnegative(),
	mediaFiles: z.number().int().nonnegative(),
	mediaBytes: z.number().int().nonnegative(),
	errorCount: z.number().int().nonnegative(),
	errorsByKind: z.record(z.string(), z.number().int()),
	bytesRead: z.number().int().nonnegative()
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const importProgressSchema = z.object({
	phase: z.enum(['extracting', 'reading', 'finishing']),
	bytesProcessed: z.number().nonnegative(),
	bytesTotal: z.number().nonnegative()
});
export type ImportProgress = z.infer<typeof importProgressSchema>;
