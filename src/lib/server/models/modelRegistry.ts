import fs from 'node:fs';
import path from 'node:path';
import type { SessionUser } from '../../shared/auth';
import type { ModelEngine, ModelSummary, SavedModelDescription } from '../../shared/models';
import type { CommandPaths } from '../../shared/run/swiftCommand';
import type { RunRecord } from '../../shared/run/runRecord';
import type { ModelsRepository, StoredModel } from '../db/models';
import { newId } from '../db/ids';
import { HttpError } from '../http/httpError';
import { folderBytes } from './modelFolder';
import { isPresetModel, presetModels } from './presetModels';

export interface RegistryDeps {
	models: ModelsRepository;
	dataDir: string;
	describe: (dir: string) => Promise<SavedModelDescription>;
	/** Describes a checkpoint ms-swift wrote (the built-in engine cannot read those). */
	describeSwift: (dir: string) => SavedModelDescription;
	listRuns: () => RunRecord[];
	userName: (id: string) => string | null;
	/** Why a job that is not a run (a server serving the model) holds it now, or null. */
	heldByJob: (modelId: string) => string | null;
}

/** What a run's `model` names: a built-in preset, or a saved model's folder. */
export type ResolvedModel = { kind: 'preset'; id: string } | { kind: 'saved'; model: StoredModel };

const activeStatuses: readonly string[] = ['queued', 'running'];

/**
 * The model registry: presets, a run's checkpoints (registered as the run saves them and forgotten
 * once rotation or run deletion removes their folder), merged adapters and imported folders.
 */
export class ModelRegistry {
	constructor(private readonly deps: RegistryDeps) {}

	/** Where imported and merged models live: `models/<id>/` under the data directory. */
	folderFor(id: string): string {
		return path.join(this.deps.dataDir, 'models', id);
	}

	/** Validates a folder with the engine (in the inspector thread); the error names the file and tensor or field. */
	describe(dir: string): Promise<SavedModelDescription> {
		return this.deps.describe(dir);
	}

	list(): ModelSummary[] {
		const runs = this.deps.listRuns();
		return [...presetModels().map((p) => ({ ...p, inUseBy: null })), ...this.stored().map((m) => this.summarise(m, runs))];
	}

	get(id: string): ModelSummary {
		if (isPresetModel(id)) return presetModels().find((p) => p.id === id) as ModelSummary;
		return this.summarise(this.require(id), this.deps.listRuns());
	}

	/** The stored entry with this id, with its folder still on disk. */
	require(id: string): StoredModel {
		const model = this.deps.models.get(id);
		if (!model || !this.present(model)) throw new HttpError('not_found', `No model "${id}".`);
		return model;
	}

	resolve(id: string): ResolvedModel | null {
		if (isPresetModel(id)) return { kind: 'preset', id };
		const model = this.deps.models.get(id);
		return model && this.present(model) ? { kind: 'saved', model } : null;
	}

	/**
	 * The folder a run trains from when its `model` names a saved model; null for a preset, or for a hub
	 * model id on the swift engine. A model the run's engine cannot load is the run configuration's
	 * error, named on its `model` field.
	 */
	runModelDir(id: string, engine: ModelEngine = 'builtin'): string | null {
		const resolved = this.resolve(id);
		if (engine === 'swift') {
			if (resolved?.kind === 'preset') throw new HttpError('invalid_request', `"${id}" is a built-in preset, which only the built-in engine builds: ms-swift trains a hub model (org/name) or a saved model.`, { model: 'Not an ms-swift model' });
			if (resolved) return resolved.model.path;
			// A hub id ms-swift downloads itself (`Qwen/Qwen2.5-0.5B-Instruct`); never a path the client chose.
			if (/^[A-Za-z0-9][\w.-]*\/[\w.-]+$/.test(id) && !id.includes('..')) return null;
			throw new HttpError('invalid_request', `No model "${id}": give a hub model id (org/name) or choose a saved model.`, { model: 'Unknown model' });
		}
		if (!resolved) throw new HttpError('invalid_request', `No model "${id}": choose a preset or a saved model.`, { model: 'Unknown model' });
		if (resolved.kind === 'saved') this.requireBuiltin(resolved.model, 'train from');
		return resolved.kind === 'preset' ? null : resolved.model.path;
	}

	/** Refuses a model only ms-swift can load, for a use of the built-in engine (`chat with`, `export`, ...). */
	requireBuiltin(model: StoredModel, use: string): StoredModel {
		if (model.engine === 'builtin') return model;
		throw new HttpError('conflict', `"${model.name}" was trained by ms-swift and is stored in its Hugging Face layout; the built-in engine cannot ${use} it. Use ms-swift (swift infer, swift export) or train a swift run from it.`);
	}

	/** A saved model as ms-swift's `--model` / `--adapters` name it (absolute folders); null for a hub id or preset. */
	commandModel(id: string): CommandPaths['savedModel'] {
		const resolved = this.resolve(id);
		if (resolved?.kind !== 'saved') return null;
		const { model } = resolved;
		const base = model.baseModel ? this.resolve(model.baseModel) : null;
		return { path: model.path, format: model.format, basePath: base?.kind === 'saved' ? base.model.path : model.baseModel };
	}

	/** A run saved a checkpoint: describe it and register it; forget the run's checkpoints rotation removed. */
	async registerCheckpoint(run: Pick<RunRecord, 'id' | 'name' | 'ownerId' | 'config'>, step: number, dir: string): Promise<StoredModel | null> {
		this.pruneRun(run.id);
		const engine: ModelEngine = run.config.engine === 'swift' ? 'swift' : 'builtin';
		let info: SavedModelDescription;
		try {
			info = engine === 'swift' ? this.deps.describeSwift(dir) : await this.deps.describe(dir);
		} catch (error) {
			// Rotation may remove an old checkpoint before its description is back; anything else is a real fault.
			if (!fs.existsSync(dir)) return null;
			console.error(`[models] checkpoint ${dir} could not be registered:`, error instanceof Error ? error.message : error);
			return null;
		}
		if (!fs.existsSync(dir)) return null;
		return this.deps.models.upsert({
			...this.fromDescription(info, dir),
			engine,
			id: newId(),
			name: `${run.name} · checkpoint-${step}`,
			kind: 'checkpoint',
			runId: run.id,
			step,
			baseModel: engine === 'swift' ? (info.baseModel ?? run.config.model) : run.config.model,
			ownerId: run.ownerId,
			createdAt: Date.now()
		});
	}

	/**
	 * At start: registers the checkpoints on disk that the registry does not know (runs trained before
	 * the registry existed, or a description that failed), one after another in the inspector thread.
	 */
	async registerMissing(runs: { run: RunRecord; checkpoints: { step: number; path: string }[] }[]): Promise<void> {
		for (const { run, checkpoints } of runs) {
			for (const checkpoint of checkpoints) {
				if (!this.deps.models.findByPath(checkpoint.path)) await this.registerCheckpoint(run, checkpoint.step, checkpoint.path);
			}
		}
	}

	/** Adds an imported or merged folder that already sits at `folderFor(id)`; `engine` is the one that can load it. */
	add(entry: Omit<StoredModel, 'path' | 'sizeBytes' | 'architecture' | 'format' | 'engine' | 'modalities' | 'parameters' | 'trainableParameters' | 'tunerType'>, info: SavedModelDescription, engine: ModelEngine = 'builtin'): StoredModel {
		const dir = this.folderFor(entry.id);
		return this.deps.models.upsert({ ...this.fromDescription(info, dir), ...entry, engine, tunerType: info.tunerType });
	}

	/** The id of the saved model in this folder (an adapter's base), or null when the registry has none. */
	idOfFolder(dir: string): string | null {
		return this.deps.models.findByPath(path.resolve(dir))?.id ?? null;
	}

	/** Why a model cannot be deleted now, or null. */
	refusal(model: StoredModel, runs = this.deps.listRuns()): string | null {
		const user = runs.find((r) => activeStatuses.includes(r.status) && r.config.model === model.id);
		if (user) return `Run "${user.name}" (${user.status}) trains from this model.`;
		const writer = model.kind === 'checkpoint' ? runs.find((r) => r.id === model.runId && activeStatuses.includes(r.status)) : undefined;
		if (writer) return `Run "${writer.name}" is ${writer.status} and owns this checkpoint; stop it first.`;
		return this.deps.heldByJob(model.id);
	}

	/** Deletes the entry and its folder (a checkpoint's folder inside its run directory too). */
	delete(id: string, user: SessionUser): void {
		if (isPresetModel(id)) throw new HttpError('conflict', `"${id}" is a built-in preset; presets cannot be deleted.`);
		const model = this.require(id);
		if (user.role !== 'admin' && model.ownerId !== user.id) {
			throw new HttpError('forbidden', 'Only the owner of a model or an administrator may delete it.');
		}
		const refused = this.refusal(model);
		if (refused) throw new HttpError('conflict', refused);
		this.deps.models.delete(id);
		fs.rmSync(model.path, { recursive: true, force: true });
	}

	private fromDescription(info: SavedModelDescription, dir: string) {
		return {
			architecture: info.architecture,
			format: info.format,
			engine: 'builtin' as ModelEngine,
			modalities: info.modalities,
			parameters: info.parameters,
			trainableParameters: info.trainableParameters,
			tunerType: info.tunerType,
			sizeBytes: folderBytes(dir),
			path: dir
		};
	}

	private summarise(model: StoredModel, runs: RunRecord[]): ModelSummary {
		const { path: _path, baseModel, ...rest } = model;
		return { ...rest, baseModelId: baseModel, ownerName: model.ownerId ? this.deps.userName(model.ownerId) : null, inUseBy: this.refusal(model, runs) };
	}

	/** Stored entries whose folder still exists; entries of vanished checkpoints are dropped. */
	private stored(): StoredModel[] {
		return this.deps.models.list().filter((model) => this.present(model));
	}

	private pruneRun(runId: string): void {
		for (const model of this.deps.models.listForRun(runId)) this.present(model);
	}

	/** A checkpoint's folder belongs to its run: once rotation or run deletion removed it, the entry goes too. */
	private present(model: StoredModel): boolean {
		if (fs.existsSync(model.path)) return true;
		if (model.kind === 'checkpoint') this.deps.models.delete(model.id);
		return false;
	}
}
