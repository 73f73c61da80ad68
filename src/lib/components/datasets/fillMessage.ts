/** Puts values into a catalog message's `{name}` slots (the catalogs hold whole sentences, so word order can differ by language). */
export function fill(message: string, values: Record<string, string | number>): string {
	return message.replace(/\{(\w+)\}/g, (slot, name: string) => (name in values ? String(values[name]) : slot));
}
