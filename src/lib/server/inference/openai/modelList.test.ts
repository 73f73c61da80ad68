import { describe, expect, it } from 'vitest';
import { modelList } from './modelList';

describe('modelList', () => {
	it("is OpenAI's list of the models that can answer", () => {
		const list = modelList(
			[
				{ id: 'ckpt-1', name: 'demo-vlm step 40', modalities: ['text', 'image'], kind: 'checkpoint', servable: true, reason: null },
				{ id: 'nano', name: 'nano', modalities: ['text'], kind: 'preset', servable: false, reason: 'no trained weights' }
			],
			1700000000
		);
		expect(list).toEqual({
			object: 'list',
			data: [{ id: 'ckpt-1', object: 'model', created: 1700000000, owned_by: 'swiftboard', name: 'demo-vlm step 40', kind: 'checkpoint', modalities: ['text', 'image'] }]
		});
	});
});
