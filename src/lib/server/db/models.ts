import type { ModelArchitecture, ModelEngine, ModelFormat, Modality } from '../../shared/models';
import type { Db } from './database';

export type StoredModelKind = 'checkpoint' | 'merged' | 'imported';

/** A registry row as the server keeps it: the summary's facts plus the folder on disk. */
export interface StoredModel {
	id: string;
	name: string;
	kind: StoredModelKind;
	architecture: ModelArchitecture;
	format: ModelFormat;
	engine: ModelEngine;
	modalities: Modality[];
	parameters: number;
	trainableParameters: number;
	sizeBytes: number;
	path: string;
	runId: string | null;
	step: number | null;
	baseModel: string | null;
	tunerType: string | null;
	ownerId: string | null;
	createdAt: number;
}

interface ModelRow {
	id: string;
	name: string;
	kind: StoredModelKind;
	architecture: ModelArchitecture;
	format: ModelFormat;
	engine: ModelEngine;
	modalities: string;
	parameters: number;
	trainable_parameters: number;
	size_bytes: number;
	path: string;
	run_id: string | null;
	step: number | null;
	base_model: string | null;
	tuner_type: string | null;
	owner_id: string | null;
	created_at: number;
}

function toModel(row: ModelRow): StoredModel {
	return {
		id: row.id,
		name: row.name,
		kind: row.kind,
		architecture: row.architecture,
		format: row.format,
		engine: row.engine,
		modalities: JSON.parse(row.modalities) as Modality[],
		parameters: row.parameters,
		trainableParameters: row.trainable_parameters,
		sizeBytes: row.size_bytes,
		path: row.path,
		runId: row.run_id,
		step: row.step,
		baseModel: row.base_model,
		tunerType: row.tuner_type,
		ownerId: row.owner_id,
		createdAt: row.created_at
	};
}

export class ModelsRepository {
	constructor(private readonly db: Db) {}

	/** Inserts a model, or refreshes the entry already registered for the same folder. */
	upsert(model: StoredModel): StoredModel {
		this.db
			.prepare(
				`INSERT INTO models (id, name, kind, architecture, format, engine, modalities, parameters, trainable_parameters, size_bytes,
				 path, run_id, step, base_model, tuner_type, owner_id, created_at)
				 VALUES (@id, @name, @kind, @architecture, @format, @engine, @modalities, @parameters, @trainable_parameters, @size_bytes,
				 @path, @run_id, @step, @base_model, @tuner_type, @owner_id, @created_at)
				 ON CONFLICT(path) DO UPDATE SET architecture = excluded.architecture, format = excluded.format,
				 modalities = excluded.modalities, parameters = excluded.parameters,
				 trainable_parameters = excluded.trainable_parameters, size_bytes = excluded.size_bytes`
			)
			.run({
				id: model.id,
				name: model.name,
				kind: model.kind,
				architecture: model.architecture,
				format: model.format,
				engine: model.engine,
				modalities: JSON.stringify(model.modalities),
				parameters: model.parameters,
				trainable_parameters: model.trainableParameters,
				size_bytes: model.sizeBytes,
				path: model.path,
				run_id: model.runId,
				step: model.step,
				base_model: model.baseModel,
				tuner_type: model.tunerType,
				owner_id: model.ownerId,
				created_at: model.createdAt
			});
		return this.findByPath(model.path) ?? model;
	}

	get(id: string): StoredModel | null {
		const row = this.db.prepare('SELECT * FROM models WHERE id = ?').get(id) as ModelRow | undefined;
		return row ? toModel(row) : null;
	}

	findByPath(path: string): StoredModel | null {
		const row = this.db.prepare('SELECT * FROM models WHERE path = ?').get(path) as ModelRow | undefined;
		return row ? toModel(row) : null;
	}

	list(): StoredModel[] {
		return (this.db.prepare('SELECT * FROM models ORDER BY created_at DESC, name').all() as ModelRow[]).map(toModel);
	}

	listForRun(runId: string): StoredModel[] {
		return (this.db.prepare('SELECT * FROM models WHERE run_id = ? ORDER BY step').all(runId) as ModelRow[]).map(toModel);
	}

	delete(id: string): void {
		this.db.prepare('DELETE FROM models WHERE id = ?').run(id);
	}
}
