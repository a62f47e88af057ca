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
