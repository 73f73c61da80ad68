/**
 * Numbered schema migrations. Each runs once, in order, inside a transaction; `PRAGMA user_version`
 * records how far a database has come. Never edit a released migration: append a new one.
 */
export const migrations: readonly string[] = [
	// 1: users and sessions
	`
	CREATE TABLE users (
		id TEXT PRIMARY KEY,
		username TEXT NOT NULL UNIQUE COLLATE NOCASE,
		password_hash TEXT NOT NULL,
		role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
		created_at INTEGER NOT NULL
	);
	CREATE TABLE sessions (
		id TEXT PRIMARY KEY,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		expires_at INTEGER NOT NULL
	);
	CREATE INDEX sessions_user ON sessions(user_id);
	`,
	// 2: the job queue that device slots take work from
	`
	CREATE TABLE jobs (
		id TEXT PRIMARY KEY,
		kind TEXT NOT NULL,
		status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
		device TEXT NOT NULL DEFAULT 'auto',
		assigned_device TEXT,
		payload TEXT NOT NULL,
		result TEXT,
		error TEXT,
		progress REAL NOT NULL DEFAULT 0,
		queue_position REAL NOT NULL,
		user_id TEXT NOT NULL REFERENCES users(id),
		created_at INTEGER NOT NULL,
		started_at INTEGER,
		finished_at INTEGER
	);
	CREATE INDEX jobs_queue ON jobs(status, queue_position);
	`,
	// 3: datasets and evals (filled by their features)
	`
	CREATE TABLE datasets (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		-- NULL for datasets that ship with SwiftBoard (the demo set).
		owner_id TEXT REFERENCES users(id),
		format TEXT NOT NULL,
		row_count INTEGER NOT NULL DEFAULT 0,
		error_count INTEGER NOT NULL DEFAULT 0,
		stats TEXT,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE evals (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		owner_id TEXT NOT NULL REFERENCES users(id),
		job_id TEXT REFERENCES jobs(id),
		config TEXT NOT NULL,
		status TEXT NOT NULL,
		report TEXT,
		created_at INTEGER NOT NULL
	);
	`,
	// 4: training runs and everything they report. Metrics, logs and status changes share one
	// sequence per run, so a viewer can resume the whole stream from one number.
	`
	CREATE TABLE runs (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		owner_id TEXT NOT NULL REFERENCES users(id),
		config TEXT NOT NULL,
		status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'stopped', 'interrupted', 'cancelled')),
		job_id TEXT REFERENCES jobs(id),
		device TEXT,
		step INTEGER NOT NULL DEFAULT 0,
		max_steps INTEGER,
		progress REAL NOT NULL DEFAULT 0,
		remaining_ms INTEGER,
		last_checkpoint TEXT,
		error TEXT,
		created_at INTEGER NOT NULL,
		started_at INTEGER,
		finished_at INTEGER
	);
	CREATE INDEX runs_created ON runs(created_at);
	CREATE INDEX runs_job ON runs(job_id);
	CREATE TABLE run_events (
		run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
		seq INTEGER NOT NULL,
		type TEXT NOT NULL,
		at INTEGER NOT NULL,
		data TEXT NOT NULL,
		PRIMARY KEY (run_id, seq)
	) WITHOUT ROWID;
	`,
	// 5: the model registry: a run's checkpoints, merged adapters and imported folders. Presets are not
	// stored (they are definitions, not files). run_id is provenance only: a merged model outlives its run.
	`
	CREATE TABLE models (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		kind TEXT NOT NULL CHECK (kind IN ('checkpoint', 'merged', 'imported')),
		architecture TEXT NOT NULL,
		format TEXT NOT NULL CHECK (format IN ('full', 'adapter')),
		modalities TEXT NOT NULL,
		parameters INTEGER NOT NULL,
		trainable_parameters INTEGER NOT NULL,
		size_bytes INTEGER NOT NULL,
		path TEXT NOT NULL UNIQUE,
		run_id TEXT,
		step INTEGER,
		base_model TEXT,
		tuner_type TEXT,
		owner_id TEXT REFERENCES users(id),
		created_at INTEGER NOT NULL
	);
	CREATE INDEX models_run ON models(run_id);
	`,
	// 6: eval reports: SwiftBoard's own eval jobs and imported EvalScope / ms-swift reports. The report and the
	// predictions live in evals/<id>/; the row keeps what the list, the curves and the filters need. It replaces
	// the placeholder table of migration 3, which nothing ever wrote.
	`
	DROP TABLE evals;
	CREATE TABLE evals (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		model_id TEXT,
		model_name TEXT NOT NULL,
		dataset_id TEXT,
		dataset_name TEXT NOT NULL,
		run_id TEXT,
		step INTEGER,
		status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'imported')),
		source TEXT NOT NULL,
		config TEXT,
		job_id TEXT,
		done INTEGER NOT NULL DEFAULT 0,
		total INTEGER NOT NULL DEFAULT 0,
		headline TEXT,
		tag_scores TEXT NOT NULL DEFAULT '{}',
		samples_per_s REAL,
		error TEXT,
		owner_id TEXT REFERENCES users(id) ON DELETE SET NULL,
		created_at INTEGER NOT NULL,
		finished_at INTEGER
	);
	CREATE INDEX evals_created ON evals(created_at);
	CREATE INDEX evals_run ON evals(run_id);
	CREATE INDEX evals_job ON evals(job_id);
	`,
	// 7: chat conversations, their message tree (each message names its parent; siblings are branches)
	// and the media they carry, claimed from uploads so the upload sweep leaves them alone.
	`
	CREATE TABLE conversations (
		id TEXT PRIMARY KEY,
		owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		title TEXT NOT NULL,
		system_prompt TEXT NOT NULL DEFAULT '',
		model_id TEXT,
		current_leaf_id TEXT,
		share_token TEXT UNIQUE,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL
	);
	CREATE INDEX conversations_owner ON conversations(owner_id, updated_at);
	CREATE TABLE chat_messages (
		id TEXT PRIMARY KEY,
		conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
		parent_id TEXT REFERENCES chat_messages(id) ON DELETE CASCADE,
		role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
		content TEXT NOT NULL,
		edited_content TEXT,
		model_id TEXT,
		attachments TEXT NOT NULL DEFAULT '[]',
		stats TEXT,
		rating INTEGER NOT NULL DEFAULT 0 CHECK (rating IN (-1, 0, 1)),
		created_at INTEGER NOT NULL
	);
	CREATE INDEX chat_messages_conversation ON chat_messages(conversation_id, created_at);
	CREATE TABLE chat_media (
		id TEXT PRIMARY KEY,
		conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
		kind TEXT NOT NULL CHECK (kind IN ('image', 'audio', 'video')),
		name TEXT NOT NULL,
		file TEXT NOT NULL,
		size INTEGER NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE INDEX chat_media_conversation ON chat_media(conversation_id);
	`,
	// 8: API keys for /api/v1. Only a hash of the secret is kept (the key is shown once, at creation);
	// the prefix lets the owner tell keys apart. Revoked keys stay listed until deleted with the user.
	`
	CREATE TABLE api_keys (
		id TEXT PRIMARY KEY,
		user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
		name TEXT NOT NULL,
		prefix TEXT NOT NULL,
		secret_hash TEXT NOT NULL UNIQUE,
		created_at INTEGER NOT NULL,
		last_used_at INTEGER,
		revoked_at INTEGER
	);
	CREATE INDEX api_keys_user ON api_keys(user_id);
	`,
	// 9: OpenAI-compatible inference endpoints an admin registers (vLLM, SGLang, LMDeploy, swift deploy).
	// The API key is stored as given, because it is sent to the server on every request; it never
	// leaves this database except in the Authorization header of those requests.
	`
	CREATE TABLE endpoints (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		base_url TEXT NOT NULL,
		api_key TEXT,
		model TEXT NOT NULL,
		modalities TEXT NOT NULL DEFAULT '["text"]',
		media_style TEXT NOT NULL DEFAULT 'vllm' CHECK (media_style IN ('vllm', 'openai')),
		created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL
	);
	`,
	// 10: which engine can load a registered model. ms-swift's checkpoints
	// (Hugging Face / PEFT folders) are listed beside the built-in engine's, but only ms-swift loads them.
	`
	ALTER TABLE models ADD COLUMN engine TEXT NOT NULL DEFAULT 'builtin' CHECK (engine IN ('builtin', 'swift'));
	`,
	// 11: how many device slots a job holds: a run on several GPUs of one node holds its slot and the
	// GPUs after it, so nothing else is placed on them while it runs.
	`
	ALTER TABLE jobs ADD COLUMN slot_count INTEGER NOT NULL DEFAULT 1 CHECK (slot_count >= 1);
	`,
	// 12: the swift deploy job that serves an endpoint, so a restarted server (which runs no deploy) can
	// remove the endpoints its earlier deploys registered.
	`
	ALTER TABLE endpoints ADD COLUMN deploy_job_id TEXT;
	`
];
