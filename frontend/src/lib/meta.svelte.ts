// What the server says about itself (GET /api/v1/meta), loaded once and shared by the shell
// and the settings page.
import { getMeta, type Meta } from './api';

class MetaState {
	current = $state<Meta | null>(null);
	error = $state<unknown>(null);
	loading = $state(false);
	#pending: Promise<void> | null = null;

	/** Loads the meta document unless it is already loaded or loading. */
	load(force = false): Promise<void> {
		if (this.#pending && !force) return this.#pending;
		if (this.current && !force) return Promise.resolve();
		this.loading = true;
		this.error = null;
		this.#pending = getMeta()
			.then((meta) => {
				this.current = meta;
			})
			.catch((err: unknown) => {
				this.error = err;
			})
			.finally(() => {
				this.loading = false;
				this.#pending = null;
			});
		return this.#pending;
	}
}

export const meta = new MetaState();
