import { modelList } from '$lib/server/inference/openai/modelList';
import { v1Route } from '$lib/server/inference/openai/v1Route';

export const GET = v1Route(({ app }) => Response.json(modelList(app.inference.models(), Math.floor(app.startedAt / 1000))));
