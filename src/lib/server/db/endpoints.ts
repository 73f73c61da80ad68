import type { EndpointMediaStyle } from '../../shared/endpoints';
import type { Modality } from '../../shared/models';
import type { Db } from './database';

interface EndpointRow {
	id: string;
	name: string;
	base_url: string;
	api_key: string | null;
	model: string;
	modalities: string;
	media_style: EndpointMediaStyle;
	created_by: string | null;
	created_at: number;
	updated_at: number;
}

/** An endpoint as the server holds it, key included: never hand this to a client as it is. */
export interface StoredEndpoint {
	id: string;
	name: string;
	baseUrl: string;
	apiKey: string | null;
	model: string;
	modalities: Modality[];
	mediaStyle: EndpointMediaStyle;
	createdBy: string | null;
	createdAt: number;
	updatedAt: number;
}

function toEndpoint(row: EndpointRow): StoredEndpoint {
	return {
		id: row.id,
		name: row.name,
		baseUrl: row.base_url,
		apiKey: row.api_key,
		model: row.model,
		modalities: JSON.parse(row.modalities) as Modality[],
		mediaStyle: row.media_style,
		createdBy: row.created_by,
		createdAt: row.created_at,
		updatedAt: row.updated_at
	};
}

export class EndpointsRepository {
	constructor(private readonly db: Db) {}

	list(): StoredEndpoint[] {
		return (this.db.prepare('SELECT * FROM endpoints ORDER BY name COLLATE NOCASE, created_at').all() as EndpointRow[]).map(toEndpoint);
	}

	get(id: string): StoredEndpoint | null {
		const row = this.db.prepare('SELECT * FROM endpoints WHERE id = ?').get(id) as EndpointRow | undefined;
		return row ? toEndpoint(row) : null;
	}

	/** Inserts or replaces the whole record. */
	save(endpoint: StoredEndpoint): void {
		this.db
			.prepare(
				`INSERT INTO endpoints (id, name, base_url, api_key, model, modalities, media_style, created_by, created_at, updated_at)
				 VALUES (@id, @name, @baseUrl, @apiKey, @model, @modalities, @mediaStyle, @createdBy, @createdAt, @updatedAt)
				 ON CONFLICT(id) DO UPDATE SET name = excluded.name, base_url = excluded.base_url, api_key = excluded.api_key,
				   model = excluded.model, modalities = excluded.modalities, media_style = excluded.media_style, updated_at = excluded.updated_at`
			)
			.run({ ...endpoint, modalities: JSON.stringify(endpoint.modalities) });
	}

	/** Marks an endpoint as served by a swift deploy job (null: a server an admin registered). */
	setDeployJob(id: string, jobId: string | null): void {
		this.db.prepare('UPDATE endpoints SET deploy_job_id = ? WHERE id = ?').run(jobId, id);
	}

	/** Endpoints that swift deploy jobs registered. */
	deployed(): { id: string; jobId: string }[] {
		return this.db.prepare('SELECT id, deploy_job_id AS jobId FROM endpoints WHERE deploy_job_id IS NOT NULL').all() as { id: string; jobId: string }[];
	}

	delete(id: string): boolean {
		return this.db.prepare('DELETE FROM endpoints WHERE id = ?').run(id).changes > 0;
	}
}
