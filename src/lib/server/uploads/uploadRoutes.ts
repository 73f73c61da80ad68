import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import multer from 'multer';
import type { Capability, SessionUser } from '../../shared/auth';
import { formatBytes } from '../../shared/formatBytes';
import type { AuthService } from '../auth/authService';
import { requireCapability } from '../http/api';
import { HttpError } from '../http/httpError';
import { crossSiteMessage, isAllowedStateChange, nodeHeaders } from '../http/origin';
import { HashingDiskStorage } from './hashingDiskStorage';

export type Next = (error?: unknown) => void;
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: Next) => void;

export interface UploadLimits {
	fileBytes: number;
	files: number;
	fields: number;
	fieldBytes: number;
}

export interface UploadedFile {
	field: string;
	originalName: string;
	path: string;
	size: number;
	sha256: string;
}

/** A multipart route: which path, who may use it, and what to do with the files once on disk. */
export interface UploadRoute {
	path: string;
	capability: Capability;
	/** Checked before the body is read, with its declared size: refuses by throwing (e.g. a disk quota). */
	admit?(user: SessionUser, declaredBytes: number): Promise<void>;
	/** The answer's status and JSON body. */
	handle(input: { user: SessionUser; files: UploadedFile[]; fields: Record<string, string> }): Promise<{ status: number; body: unknown }>;
}

interface Deps {
	auth: AuthService;
	tmpDir: string;
	limits: UploadLimits;
	configuredOrigin: string | null;
}

const multerMessages: Record<string, { code: 'payload_too_large' | 'invalid_request'; message: (limits: UploadLimits) => string }> = {
	LIMIT_FILE_SIZE: { code: 'payload_too_large', message: (l) => `A file is larger than the ${formatBytes(l.fileBytes)} limit.` },
	LIMIT_FILE_COUNT: { code: 'payload_too_large', message: (l) => `At most ${l.files} files per upload.` },
	LIMIT_FIELD_COUNT: { code: 'payload_too_large', message: (l) => `At most ${l.fields} form fields per upload.` },
	LIMIT_FIELD_VALUE: { code: 'payload_too_large', message: (l) => `A form field is longer than ${formatBytes(l.fieldBytes)}.` },
	LIMIT_PART_COUNT: { code: 'payload_too_large', message: () => 'Too many parts in this upload.' }
};

function sendError(res: ServerResponse, req: IncomingMessage, error: HttpError): void {
	if (res.headersSent) {
		res.destroy();
		return;
	}
	res.writeHead(error.status, { 'content-type': 'application/json' });
	res.end(JSON.stringify(error.toBody()));
	// Discard whatever the client is still sending, so it reads this answer instead of a reset.
	req.resume();
}

/**
 * Mounts multipart upload routes ahead of SvelteKit. The session and role are checked before a byte of
 * the body is read; files stream to the temp dir; oversize or aborted uploads leave nothing behind.
 */
export function createUploadMiddleware(deps: Deps, routes: UploadRoute[]): Middleware {
	fs.mkdirSync(deps.tmpDir, { recursive: true });
	const parse = multer({
		storage: new HashingDiskStorage(deps.tmpDir),
		limits: {
			fileSize: deps.limits.fileBytes,
			files: deps.limits.files,
			fields: deps.limits.fields,
			fieldSize: deps.limits.fieldBytes,
			parts: deps.limits.files + deps.limits.fields
		}
	}).any();

	return (req, res, next) => {
		const url = req.url ?? '';
		const pathname = url.split('?')[0];
		// Only multipart POSTs are handled here; other methods on the same path are SvelteKit endpoints.
		const route = req.method === 'POST' ? routes.find((r) => r.path === pathname) : undefined;
		if (!route) return next();
		void (async () => {
			try {
				if (!isAllowedStateChange(req.method ?? 'POST', nodeHeaders(req.headers), deps.configuredOrigin)) {
					throw new HttpError('forbidden', crossSiteMessage);
				}
				const sessionId = deps.auth.readSessionId(req.headers.cookie);
				const { user } = sessionId ? await deps.auth.validate(sessionId) : { user: null };
				const signedIn = requireCapability(user, route.capability);
				const declared = Number(req.headers['content-length'] ?? 0);
				const ceiling = deps.limits.fileBytes * deps.limits.files + deps.limits.fieldBytes * deps.limits.fields;
				if (declared > ceiling) {
					throw new HttpError('payload_too_large', `This upload (${formatBytes(declared)}) is over the ${formatBytes(deps.limits.fileBytes)} per-file limit.`);
				}
				await route.admit?.(signedIn, declared);
				const { files, fields } = await runMulter(parse, req, res, deps.limits);
				try {
					const { status, body } = await route.handle({ user: signedIn, files, fields });
					res.writeHead(status, { 'content-type': 'application/json' });
					res.end(JSON.stringify(body));
				} finally {
					// Whatever the route did not move out of the temp dir is not needed any more.
					await Promise.all(files.map((f) => fs.promises.rm(f.path, { force: true })));
				}
			} catch (error) {
				if (HttpError.is(error)) return sendError(res, req, error);
				console.error(`[uploads] ${pathname} failed:`, error);
				sendError(res, req, new HttpError('internal', 'The upload failed on the server; nothing was kept.'));
			}
		})();
	};
}

function runMulter(
	parse: ReturnType<ReturnType<typeof multer>['any']>,
	req: IncomingMessage,
	res: ServerResponse,
	limits: UploadLimits
): Promise<{ files: UploadedFile[]; fields: Record<string, string> }> {
	type MulterReq = Parameters<typeof parse>[0];
	type MulterRes = Parameters<typeof parse>[1];
	const request = req as unknown as MulterReq;
	return new Promise((resolve, reject) => {
		parse(request, res as unknown as MulterRes, (error?: unknown) => {
			if (error) {
				if (error instanceof multer.MulterError) {
					const known = multerMessages[error.code];
					if (known) return reject(new HttpError(known.code, known.message(limits)));
					return reject(new HttpError('invalid_request', `Malformed upload: ${error.message}`));
				}
				const message = error instanceof Error ? error.message : String(error);
				if (/aborted|closed/i.test(message)) return reject(new HttpError('invalid_request', 'The upload was cancelled.'));
				return reject(new HttpError('invalid_request', `Malformed upload: ${message}`));
			}
			const raw = (request.files ?? []) as (Express.Multer.File & { sha256: string })[];
			const files = raw.map((f) => ({
				field: f.fieldname,
				originalName: path.basename(f.originalname),
				path: f.path,
				size: f.size,
				sha256: f.sha256
			}));
			resolve({ files, fields: { ...(request.body as Record<string, string>) } });
		});
	});
}
