import { uploadForm } from '$lib/client/upload';
import type { MediaKind } from '$lib/shared/dataset';

/** An attachment being prepared in the composer: checked and uploaded before anything is sent. */
export interface PendingAttachment {
	key: number;
	name: string;
	kind: MediaKind | null;
	size: number;
	/** An object URL for the thumbnail or player. */
	url: string;
	uploadId: string | null;
	progress: number;
	/** Why it cannot be sent; shown beside it. */
	problem: string | null;
}

export interface AttachmentRules {
	/** What the chosen model accepts besides text. */
	accepts: readonly MediaKind[];
	maxBytes: number;
	/** Turns a message key and its values into text. */
	say: (key: 'chat.attach.wrongKind' | 'chat.attach.tooLarge' | 'chat.attach.undecodable' | 'chat.attach.unknownKind', values?: Record<string, string>) => string;
}

export function kindOfFile(file: Blob): MediaKind | null {
	const type = file.type.split('/')[0];
	return type === 'image' || type === 'audio' || type === 'video' ? type : null;
}

/** Whether the browser can decode it: a picture must paint, a sound or video must read its header. */
function decodes(kind: MediaKind, url: string): Promise<boolean> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), 10_000);
		const finish = (ok: boolean) => {
			clearTimeout(timer);
			resolve(ok);
		};
		if (kind === 'image') {
			const image = new Image();
			image.onload = () => finish(image.naturalWidth > 0);
			image.onerror = () => finish(false);
			image.src = url;
			return;
		}
		const element = document.createElement(kind);
		element.preload = 'metadata';
		element.onloadedmetadata = () => finish(true);
		element.onerror = () => finish(false);
		element.src = url;
	});
}

let nextKey = 1;

/** The composer's attachments: added by picker, drop, paste, microphone or camera; checked; uploaded. */
export class AttachmentList {
	items = $state<PendingAttachment[]>([]);

	constructor(private readonly rules: () => AttachmentRules) {}

	get busy(): boolean {
		return this.items.some((a) => a.problem === null && a.uploadId === null);
	}

	get sendable(): boolean {
		return !this.busy && this.items.every((a) => a.problem === null);
	}

	add(files: Iterable<File>): void {
		for (const file of files) this.addOne(file);
	}

	remove(key: number): void {
		const item = this.items.find((a) => a.key === key);
		if (item) URL.revokeObjectURL(item.url);
		delete this.files[key];
		this.items = this.items.filter((a) => a.key !== key);
	}

	clear(): void {
		for (const key of Object.keys(this.files)) delete this.files[Number(key)];
		this.items = [];
	}

	/** Checks every attachment again against a newly chosen model; one it now accepts goes on to upload. */
	recheck(): void {
		for (const item of this.items) {
			const kindProblem = this.kindProblem(item.kind, item.name);
			if (kindProblem) {
				if (item.problem === null || item.problem === this.kindProblems[item.key]) item.problem = kindProblem;
			} else if (item.problem !== null && item.problem === this.kindProblems[item.key]) {
				item.problem = null;
				if (item.uploadId === null) void this.checkAndUpload(item.key);
			}
			this.kindProblems[item.key] = kindProblem;
		}
	}

	/** The model-kind refusal each attachment got, so a model change lifts exactly that one. */
	private readonly kindProblems: Record<number, string | null> = {};
	private readonly files: Record<number, File> = {};

	private kindProblem(kind: MediaKind | null, name: string): string | null {
		const { accepts, say } = this.rules();
		if (kind === null) return say('chat.attach.unknownKind', { name });
		return accepts.includes(kind) ? null : say('chat.attach.wrongKind', { name, kind });
	}

	private addOne(file: File): void {
		const kind = kindOfFile(file);
		const key = nextKey++;
		this.files[key] = file;
		this.items.push({ key, name: file.name || `${kind ?? 'file'}`, kind, size: file.size, url: URL.createObjectURL(file), uploadId: null, progress: 0, problem: null });
		void this.checkAndUpload(key);
	}

	private async checkAndUpload(key: number): Promise<void> {
		const live = () => this.items.find((a) => a.key === key);
		const item = live();
		const file = this.files[key];
		if (!item || !file) return;
		const { maxBytes, say } = this.rules();
		const kindProblem = this.kindProblem(item.kind, item.name);
		this.kindProblems[key] = kindProblem;
		let problem = kindProblem;
		if (!problem && file.size > maxBytes) problem = say('chat.attach.tooLarge', { name: item.name, max: `${Math.round(maxBytes / 1048576)} MB` });
		if (!problem && item.kind && !(await decodes(item.kind, item.url))) problem = say('chat.attach.undecodable', { name: item.name });
		if (problem) {
			const current = live();
			if (current) current.problem = problem;
			return;
		}
		const form = new FormData();
		form.append('files', file, item.name);
		try {
			const { status, body } = await uploadForm<{ files?: { id: string }[]; error?: { message: string } }>('/api/uploads', form, (p) => {
				const current = live();
				if (current && p.total) current.progress = p.loaded / p.total;
			}).done;
			const current = live();
			if (!current) return;
			if (status === 201 && body.files?.[0]) current.uploadId = body.files[0].id;
			else current.problem = body.error?.message ?? `The upload failed (${status}).`;
		} catch (error) {
			const current = live();
			if (current) current.problem = (error as Error).message;
		}
	}
}
