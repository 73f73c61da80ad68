/** The keys whose values differ between any of the given configurations, in first-seen order. */
export function differingKeys(configs: Record<string, unknown>[]): string[] {
	const keys = [...new Set(configs.flatMap((c) => Object.keys(c)))];
	return keys.filter((key) => new Set(configs.map((c) => JSON.stringify(c[key] ?? null))).size > 1);
}
