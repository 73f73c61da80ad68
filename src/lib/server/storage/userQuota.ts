import { formatBytes } from '../../shared/formatBytes';
import { HttpError } from '../http/httpError';

/**
 * The disk one user may fill with datasets and kept uploads. Usage is measured on demand from what is
 * on disk, so nothing has to be kept in step when files come and go.
 */
export class UserQuota {
	constructor(
		readonly limitBytes: number,
		private readonly usage: (userId: string) => Promise<number>
	) {}

	async remaining(userId: string): Promise<number> {
		return Math.max(0, this.limitBytes - (await this.usage(userId)));
	}

	/** Refuses (413, with the numbers) when `incomingBytes` more would pass the user's quota. */
	async require(userId: string, incomingBytes: number): Promise<void> {
		const used = await this.usage(userId);
		if (used + incomingBytes > this.limitBytes) {
			throw new HttpError(
				'payload_too_large',
				`This upload (${formatBytes(incomingBytes)}) would pass your disk quota: you use ${formatBytes(used)} of ${formatBytes(this.limitBytes)}. Delete datasets or uploads first.`
			);
		}
	}
}
