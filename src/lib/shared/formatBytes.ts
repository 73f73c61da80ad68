/** Human-readable size: "512 B", "3.4 KB", "120 MB", "1.5 GB" (powers of 1024). */
export function formatBytes(bytes: number): string {
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	const digits = unit === 0 || value >= 100 ? 0 : 1;
	return `${Number(value.toFixed(digits))} ${units[unit]}`;
}
