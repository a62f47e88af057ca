// The unread count the bell shows, shared so that a page marking notices read updates the
// bell at once instead of at its next poll.
import { unreadCount } from './notifications';

class BellState {
	unread = $state<number | null>(null);

	async refresh(): Promise<void> {
		try {
			this.unread = (await unreadCount()).unread;
		} catch {
			// The count is a hint; the next poll tries again.
		}
	}
}

export const bell = new BellState();
