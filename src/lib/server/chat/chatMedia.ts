import fs from 'node:fs';
import path from 'node:path';
import type { ChatAttachment } from '../../shared/chat/chat';
import type { MediaKind } from '../../shared/dataset';
import type { ChatMediaRecord, ChatsRepository } from '../db/chats';
import { newId } from '../db/ids';
import { HttpError } from '../http/httpError';
import { SNIFF_BYTES, sniffMedia, type SniffedMedia } from '../datasets/mediaSniff';
import type { UploadStore } from '../uploads/uploadStore';

async function readHead(file: string): Promise<Buffer> {
	const handle = await fs.promises.open(file, 'r');
	try {
		const head = Buffer.alloc(SNIFF_BYTES);
		const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
		return head.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** Audio and video share containers (WEBM, MP4): the file name's hint decides, audio when it says nothing. */
function kindOf(sniffed: SniffedMedia, name: string): MediaKind {
	if (sniffed.kinds.length === 1) return sniffed.kinds[0];
	return /\.(mp4|mov|avi|mkv)$/i.test(name) || /video/i.test(name) ? 'video' : sniffed.kinds.includes('audio') ? 'audio' : sniffed.kinds[0];
}

/**
 * The media a conversation carries. Claiming an uploaded file links it into `<dataDir>/chat/media/`
 * under its own id (a hard link, a copy across file systems), so the upload sweep that later removes the
 * upload leaves the conversation's file in place, and deleting the conversation removes only its links.
 */
export class ChatMedia {
	constructor(
		private readonly chats: ChatsRepository,
		private readonly uploads: UploadStore,
		readonly dir: string
	) {
		fs.mkdirSync(dir, { recursive: true });
	}

	async claim(uploadId: string, ownerId: string, conversationId: string, index: number): Promise<ChatAttachment> {
		const upload = await this.uploads.locate(uploadId, ownerId);
		if (!upload) throw new HttpError('not_found', `Attachment ${index + 1}: no upload "${uploadId}" of yours (it may have expired); attach the file again.`);
		const sniffed = sniffMedia(await readHead(upload.path));
		if (!sniffed) {
			throw new HttpError('invalid_request', `Attachment ${index + 1} ("${upload.name}") is not a picture, sound or video SwiftBoard can read (PNG, JPEG, GIF, WEBP, BMP, WAV, MP3, OGG, FLAC, M4A, WEBM, MP4, AVI, MOV).`, {
				[`attachments.${index}`]: 'undecodable'
			});
		}
		const id = newId();
		const file = `${id}.${sniffed.ext}`;
		const target = path.join(this.dir, file);
		try {
			await fs.promises.link(upload.path, target);
		} catch {
			await fs.promises.copyFile(upload.path, target);
		}
		const size = (await fs.promises.stat(target)).size;
		const record: ChatMediaRecord = { id, conversationId, kind: kindOf(sniffed, upload.name), name: upload.name, file, size, createdAt: Date.now() };
		this.chats.insertMedia(record);
		return { id, kind: record.kind, name: record.name, size };
	}

	/** A media record of `conversationId`, or 404: ids from another conversation are not reachable through this one. */
	require(mediaId: string, conversationId: string): ChatMediaRecord {
		const media = this.chats.media(mediaId);
		if (!media || media.conversationId !== conversationId) throw new HttpError('not_found', `No attachment "${mediaId}" in this conversation.`);
		return media;
	}

	pathOf(media: ChatMediaRecord): string {
		return path.join(this.dir, media.file);
	}

	async removeFiles(files: readonly string[]): Promise<void> {
		await Promise.all(files.map((file) => fs.promises.rm(path.join(this.dir, path.basename(file)), { force: true })));
	}
}
