import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessageRecord, ConversationDetail, ConversationRecord } from '../../src/lib/shared/chat/chat';
import { createCanvas } from '../../src/lib/server/demo/canvas';
import { encodePng } from '../../src/lib/server/demo/png';
import { addUser, setupAdmin, type ApiClient } from '../helpers/api';
import { startServer, tempDataDir, type TestServer } from '../helpers/server';

let server: TestServer;
let dataDir: string;
let admin: ApiClient;
let ann: ApiClient;
let bob: ApiClient;
let vic: ApiClient;

beforeAll(async () => {
	dataDir = tempDataDir();
	server = await startServer({ dataDir });
	admin = await setupAdmin(server.url);
	ann = await addUser(admin, 'ann', 'member');
	bob = await addUser(admin, 'bob', 'member');
	vic = await addUser(admin, 'vic', 'viewer');
});
afterAll(async () => {
	await server?.stop();
});

const redPng = () => encodePng(createCanvas(8, 8, [220, 20, 20]));

async function upload(client: ApiClient, name: string, bytes: Uint8Array): Promise<string> {
	const form = new FormData();
	form.append('files', new Blob([Buffer.from(bytes)]), name);
	const response = await fetch(`${server.url}/api/uploads`, { method: 'POST', body: form, headers: { cookie: client.cookie } });
	expect(response.status).toBe(201);
	return ((await response.json()) as { files: { id: string }[] }).files[0].id;
}

async function conversation(client: ApiClient, body: object = {}): Promise<ConversationRecord> {
	const created = await client.json<{ conversation: ConversationRecord }>('POST', '/api/chat/conversations', body);
	expect(created.status).toBe(201);
	return created.body.conversation;
}

async function say(client: ApiClient, id: string, body: object): Promise<ChatMessageRecord> {
	const added = await client.json<{ message: ChatMessageRecord; error?: unknown }>('POST', `/api/chat/conversations/${id}/messages`, body);
	expect(added.status, JSON.stringify(added.body)).toBe(201);
	return added.body.message;
}

const stats = { ttftMs: 12, tokensPerS: 40, promptTokens: 30, completionTokens: 3, finishReason: 'stop' };

describe('chat conversations', () => {
	it('are private to their owner, admins included, until shared by link', async () => {
		const chat = await conversation(ann, { systemPrompt: 'Be brief.' });
		const first = await say(ann, chat.id, { role: 'user', parentId: null, content: 'Hello there' });
		await say(ann, chat.id, { role: 'assistant', parentId: first.id, content: 'Hi.', modelId: 'nano', stats });

		const listed = await ann.json<{ conversations: ConversationRecord[] }>('GET', '/api/chat/conversations');
		expect(listed.body.conversations.map((c) => c.title)).toContain('Hello there');
		expect((await bob.json<{ conversations: unknown[] }>('GET', '/api/chat/conversations')).body.conversations).toEqual([]);
		for (const client of [bob, admin]) {
			expect((await client.request('GET', `/api/chat/conversations/${chat.id}`)).status).toBe(404);
			expect((await client.request('PATCH', `/api/chat/conversations/${chat.id}`, { title: 'mine' })).status).toBe(404);
			expect((await client.request('DELETE', `/api/chat/conversations/${chat.id}`)).status).toBe(404);
			expect((await client.request('POST', `/api/chat/conversations/${chat.id}/messages`, { role: 'user', parentId: null, content: 'x' })).status).toBe(404);
		}

		const shared = await ann.json<{ conversation: ConversationRecord }>('PATCH', `/api/chat/conversations/${chat.id}`, { shared: true });
		const token = shared.body.conversation.shareToken!;
		expect(token).toMatch(/^[A-Za-z0-9_-]{16,}$/);
		const seen = await vic.json<ConversationDetail>('GET', `/api/chat/shared/${token}`);
		expect(seen.status).toBe(200);
		expect(seen.body.messages.map((m) => m.content)).toEqual(['Hello there', 'Hi.']);
		expect(seen.body.conversation.ownerId).toBe('');
		// The link is read-only: it gives no way into the owner's routes.
		expect((await vic.request('POST', `/api/chat/conversations/${chat.id}/messages`, { role: 'user', parentId: null, content: 'x' })).status).toBe(404);

		await ann.request('PATCH', `/api/chat/conversations/${chat.id}`, { shared: false });
		expect((await vic.request('GET', `/api/chat/shared/${token}`)).status).toBe(404);
	});

	it('viewers chat; renames, searches and deletes', async () => {
		const chat = await conversation(vic);
		await say(vic, chat.id, { role: 'user', parentId: null, content: 'What is a tensor?' });
		expect((await vic.request('PATCH', `/api/chat/conversations/${chat.id}`, { title: 'Tensors' })).status).toBe(200);
		const found = await vic.json<{ conversations: ConversationRecord[] }>('GET', '/api/chat/conversations?q=tensor');
		expect(found.body.conversations.map((c) => c.title)).toEqual(['Tensors']);
		expect((await vic.json<{ conversations: unknown[] }>('GET', '/api/chat/conversations?q=banana')).body.conversations).toEqual([]);
		expect((await vic.request('DELETE', `/api/chat/conversations/${chat.id}`)).status).toBe(200);
		expect((await vic.request('GET', `/api/chat/conversations/${chat.id}`)).status).toBe(404);
	});

	it('keeps edits and regenerations as branches', async () => {
		const chat = await conversation(ann);
		const question = await say(ann, chat.id, { role: 'user', parentId: null, content: 'Colour?' });
		const answer = await say(ann, chat.id, { role: 'assistant', parentId: question.id, content: 'Red', modelId: 'nano', stats });
		const again = await say(ann, chat.id, { role: 'assistant', parentId: question.id, content: 'Crimson', modelId: 'nano', stats });
		const edited = await say(ann, chat.id, { role: 'user', parentId: null, content: 'Which colour?' });
		const detail = (await ann.json<ConversationDetail>('GET', `/api/chat/conversations/${chat.id}`)).body;
		expect(detail.messages.filter((m) => m.parentId === question.id).map((m) => m.id)).toEqual([answer.id, again.id]);
		expect(detail.conversation.currentLeafId).toBe(edited.id);
		const flipped = await ann.json<{ conversation: ConversationRecord }>('PATCH', `/api/chat/conversations/${chat.id}`, { currentLeafId: answer.id });
		expect(flipped.body.conversation.currentLeafId).toBe(answer.id);

		const wrongParent = await ann.json<{ error: { message: string } }>('POST', `/api/chat/conversations/${chat.id}/messages`, { role: 'user', parentId: question.id, content: 'x' });
		expect(wrongParent.status).toBe(400);
		expect(wrongParent.body.error.message).toMatch(/follows an answer/);
	});

	it('claims uploads, refuses undecodable ones by attachment, and serves them only to the owner', async () => {
		const chat = await conversation(ann);
		const bad = await upload(ann, 'notes.png', new TextEncoder().encode('plain text, not a picture'));
		const refused = await ann.json<{ error: { message: string } }>('POST', `/api/chat/conversations/${chat.id}/messages`, { role: 'user', parentId: null, content: 'look', uploads: [bad] });
		expect(refused.status).toBe(400);
		expect(refused.body.error.message).toMatch(/Attachment 1 \("notes.png"\) is not a picture/);

		const bobsUpload = await upload(bob, 'red.png', redPng());
		const notYours = await ann.request('POST', `/api/chat/conversations/${chat.id}/messages`, { role: 'user', parentId: null, content: 'look', uploads: [bobsUpload] });
		expect(notYours.status).toBe(404);

		const picture = await upload(ann, 'red.png', redPng());
		const turn = await say(ann, chat.id, { role: 'user', parentId: null, content: 'What colour?', uploads: [picture] });
		expect(turn.attachments).toEqual([{ id: expect.any(String), kind: 'image', name: 'red.png', size: redPng().length }]);
		const mediaId = turn.attachments[0].id;
		// The upload sweep removes the upload; the conversation's file stays.
		for (const name of fs.readdirSync(path.join(dataDir, 'uploads', 'tmp'))) fs.rmSync(path.join(dataDir, 'uploads', 'tmp', name), { force: true, recursive: true });
		const file = await ann.request('GET', `/api/chat/conversations/${chat.id}/media/${mediaId}`);
		expect(file.status).toBe(200);
		expect(file.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await file.arrayBuffer())).toEqual(Buffer.from(redPng()));
		expect((await bob.request('GET', `/api/chat/conversations/${chat.id}/media/${mediaId}`)).status).toBe(404);
		// An edit of the turn keeps the attachment by its id.
		const edit = await say(ann, chat.id, { role: 'user', parentId: null, content: 'Which colour is it?', attachments: [mediaId] });
		expect(edit.attachments.map((a) => a.id)).toEqual([mediaId]);
	});
});

describe('feedback into datasets', () => {
	async function pictureChat() {
		const chat = await conversation(ann, { systemPrompt: 'Answer in one word.' });
		const picture = await upload(ann, 'red.png', redPng());
		const question = await say(ann, chat.id, { role: 'user', parentId: null, content: 'What colour?', uploads: [picture] });
		const good = await say(ann, chat.id, { role: 'assistant', parentId: question.id, content: 'red', modelId: 'nano', stats });
		const bad = await say(ann, chat.id, { role: 'assistant', parentId: question.id, content: 'green', modelId: 'nano', stats });
		return { chat, good, bad };
	}

	async function rowsOf(client: ApiClient, datasetId: string) {
		const page = await client.json<{ rows: Record<string, unknown>[]; total: number }>('GET', `/api/datasets/${datasetId}/rows?offset=0&limit=50`);
		expect(page.status).toBe(200);
		return page.body;
	}

	it('rates and edits answers, and saves SFT rows and DPO pairs with their media copied', async () => {
		const { chat, good, bad } = await pictureChat();
		const rated = await ann.json<{ message: ChatMessageRecord }>('PATCH', `/api/chat/conversations/${chat.id}/messages/${good.id}`, { rating: 1, editedContent: 'Red.' });
		expect(rated.body.message).toMatchObject({ rating: 1, editedContent: 'Red.', content: 'red' });

		const sft = await ann.json<{ dataset: { id: string; rowCount: number }; row: number }>('POST', `/api/chat/conversations/${chat.id}/rows`, {
			kind: 'sft',
			messageId: good.id,
			target: { newDatasetName: 'chat feedback' }
		});
		expect(sft.status).toBe(201);
		expect(sft.body).toMatchObject({ row: 0, dataset: { rowCount: 1 } });
		const datasetId = sft.body.dataset.id;

		const dpo = await ann.json<{ row: number }>('POST', `/api/chat/conversations/${chat.id}/rows`, { kind: 'dpo', chosenId: good.id, rejectedId: bad.id, target: { datasetId } });
		expect(dpo.status).toBe(201);
		expect(dpo.body.row).toBe(1);
		// The chosen answer's own text is the rejected side when only an edit says what was better.
		expect((await ann.request('POST', `/api/chat/conversations/${chat.id}/rows`, { kind: 'dpo', chosenId: good.id, target: { datasetId } })).status).toBe(201);

		const page = await rowsOf(ann, datasetId);
		const rows = JSON.stringify(page);
		expect(rows).toContain('<image>What colour?');
		expect(rows).toContain('Answer in one word.');
		expect(rows).toContain('"rejected_response":"green"');
		expect(rows).toContain('"rejected_response":"red"');
		const data = fs.readFileSync(path.join(dataDir, 'datasets', datasetId, 'data.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { images: string[]; messages: { content: string }[] });
		expect(data).toHaveLength(3);
		expect(data[0].messages.at(-1)!.content).toBe('Red.');
		const image = data[0].images[0];
		expect(image).toMatch(/^media\/[0-9a-f]{64}\.png$/);
		expect(data.every((row) => row.images[0] === image)).toBe(true);
		expect(fs.readFileSync(path.join(dataDir, 'datasets', datasetId, image))).toEqual(Buffer.from(redPng()));
		const served = await ann.request('GET', `/api/datasets/${datasetId}/media/${image.slice('media/'.length)}`);
		expect(served.status).toBe(200);

		// The rows outlive the conversation.
		await ann.request('DELETE', `/api/chat/conversations/${chat.id}`);
		expect(fs.existsSync(path.join(dataDir, 'datasets', datasetId, image))).toBe(true);
		expect((await ann.json<{ dataset: { rowCount: number } }>('GET', `/api/datasets/${datasetId}`)).body.dataset.rowCount).toBe(3);
	});

	it('refuses a pair without two answers, another owner’s dataset, and viewers', async () => {
		const { chat, good } = await pictureChat();
		const noPair = await ann.json<{ error: { message: string } }>('POST', `/api/chat/conversations/${chat.id}/rows`, { kind: 'dpo', chosenId: good.id, target: { newDatasetName: 'x' } });
		expect(noPair.status).toBe(400);
		expect(noPair.body.error.message).toMatch(/Edit the answer/);

		const bobs = await bob.json<{ dataset: { id: string } }>('POST', `/api/chat/conversations/${(await conversation(bob)).id}/rows`, { kind: 'sft', messageId: 'nope', target: { newDatasetName: 'b' } });
		expect(bobs.status).toBe(404);
		const bobChat = await conversation(bob);
		const q = await say(bob, bobChat.id, { role: 'user', parentId: null, content: 'Q' });
		const a = await say(bob, bobChat.id, { role: 'assistant', parentId: q.id, content: 'A', modelId: 'nano', stats });
		const bobSet = await bob.json<{ dataset: { id: string } }>('POST', `/api/chat/conversations/${bobChat.id}/rows`, { kind: 'sft', messageId: a.id, target: { newDatasetName: 'bobs' } });
		expect(bobSet.status).toBe(201);
		const intoBobs = await ann.request('POST', `/api/chat/conversations/${chat.id}/rows`, { kind: 'sft', messageId: good.id, target: { datasetId: bobSet.body.dataset.id } });
		expect(intoBobs.status).toBe(403);

		const vicChat = await conversation(vic);
		expect((await vic.request('POST', `/api/chat/conversations/${vicChat.id}/rows`, { kind: 'sft', messageId: 'x', target: { newDatasetName: 'v' } })).status).toBe(403);
	});
});
