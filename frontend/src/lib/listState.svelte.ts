// A list page's URL state and its server-paged rows, wired together: the page declares its
// filters and a fetch, and reads `filters`, `sort` and `list` back.
import { goto } from '$app/navigation';
import { page } from '$app/state';
import type { ListPage } from './api';
import type { SortState } from './components/DataTable.svelte';
import { clearFilters, readList, type ListSpec } from './listState';
import { PagedList } from './pager.svelte';
import { formatSort, withQuery } from './query';

export class ListUrl<F extends string, V extends string = never> {
	#spec: ListSpec<F, V>;
	#values = $derived.by(() => readList(page.url.searchParams, this.#spec));

	constructor(spec: ListSpec<F, V>) {
		this.#spec = spec;
	}

	get filters(): Record<F, string> {
		return this.#values.filters;
	}
	/** Each view parameter's value; '' when absent or unknown. */
	get views(): Record<V, string> {
		return this.#values.views;
	}
	get sort(): SortState | null {
		return this.#values.sort;
	}
	get filtered(): boolean {
		return this.#values.filtered;
	}

	/** Writes `changes` to the URL in place, keeping focus and scroll (filters apply as typed). */
	set(changes: Record<string, string | null>): void {
		void goto(withQuery(page.url, changes), { replaceState: true, keepFocus: true, noScroll: true });
	}

	setSort(sort: SortState): void {
		this.set({ sort: formatSort(sort) });
	}

	clear(): void {
		this.set(clearFilters(this.#spec));
	}

	/** Link to the same list with `changes` applied, for tab links. */
	href(changes: Record<string, string | null>): string {
		return withQuery(page.url, changes);
	}
}

/**
 * A paged list that follows `query()`: call during component setup. `limit` rows a page;
 * a change of query starts again at the first page.
 */
export function followList<T, Q extends object>(
	limit: number,
	query: () => Q,
	fetchPage: (q: Q & { limit: number; cursor?: string }, signal: AbortSignal) => Promise<ListPage<T>>
): PagedList<T> {
	const list = new PagedList<T>((cursor, signal) => fetchPage({ ...query(), limit, cursor: cursor ?? undefined }, signal));
	$effect(() => list.follow(query()));
	return list;
}
