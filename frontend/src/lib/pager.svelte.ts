import type { ListPage } from './api';

// Cursor pagination with a way back: the API hands out only a next cursor, so the cursors of
// the pages already seen are kept to step back through them.

export class CursorPager {
	/** The cursor of the page shown; null for the first page. */
	cursor = $state<string | null>(null);
	#seen = $state<(string | null)[]>([]);

	/** 0-based number of the page shown. */
	get index(): number {
		return this.#seen.length;
	}

	get hasPrevious(): boolean {
		return this.#seen.length > 0;
	}

	next(nextCursor: string): void {
		this.#seen = [...this.#seen, this.cursor];
		this.cursor = nextCursor;
	}

	previous(): void {
		const seen = [...this.#seen];
		this.cursor = seen.pop() ?? null;
		this.#seen = seen;
	}

	reset(): void {
		this.cursor = null;
		this.#seen = [];
	}
}

/**
 * One page of a server-paged list, kept in step with a query: a new query starts again at the
 * first page, and a newer load aborts the one still in flight so a slow answer never replaces
 * a newer one.
 */
export class PagedList<T> {
	readonly pager = new CursorPager();
	result = $state<ListPage<T> | null>(null);
	loading = $state(true);
	error = $state<unknown>(null);
	#fetch: (cursor: string | null, signal: AbortSignal) => Promise<ListPage<T>>;
	#lastKey = '';
	#controller: AbortController | undefined;

	constructor(fetchPage: (cursor: string | null, signal: AbortSignal) => Promise<ListPage<T>>) {
		this.#fetch = fetchPage;
	}

	/** Call from an `$effect` with the query the page shows; reads the cursor so page turns reload too. */
	follow(query: unknown): void {
		const key = JSON.stringify(query);
		const cursor = this.pager.cursor;
		if (key !== this.#lastKey) {
			this.#lastKey = key;
			if (cursor !== null) {
				this.pager.reset();
				return;
			}
		}
		void this.load();
	}

	/** Loads the current page again (also the retry after an error). */
	async load(): Promise<void> {
		this.#controller?.abort();
		const ctrl = (this.#controller = new AbortController());
		this.loading = true;
		this.error = null;
		try {
			this.result = await this.#fetch(this.pager.cursor, ctrl.signal);
		} catch (err) {
			if (err instanceof DOMException && err.name === 'AbortError') return;
			this.error = err;
		} finally {
			if (this.#controller === ctrl) this.loading = false;
		}
	}
}
