// List pages keep their filters and sort in the URL so a view can be shared, bookmarked and
// restored with Back. These helpers read and write that state.
import type { SortState } from './components/DataTable.svelte';

/** "-created_at" -> { key: "created_at", direction: "desc" }; unknown keys give the fallback. */
export function parseSort(raw: string | null, allowed: readonly string[], fallback: SortState): SortState {
	if (!raw) return fallback;
	const desc = raw.startsWith('-');
	const key = desc ? raw.slice(1) : raw;
	if (!allowed.includes(key)) return fallback;
	return { key, direction: desc ? 'desc' : 'asc' };
}

export function formatSort(sort: SortState): string {
	return sort.direction === 'desc' ? `-${sort.key}` : sort.key;
}

/**
 * `url` with `changes` applied to its query: empty, null and undefined values remove the
 * parameter. Returns path + query (+ hash), ready for `goto`.
 */
export function withQuery(url: URL, changes: Record<string, string | null | undefined>): string {
	const params = new URLSearchParams(url.search);
	for (const [key, value] of Object.entries(changes)) {
		if (value === null || value === undefined || value === '') params.delete(key);
		else params.set(key, value);
	}
	params.sort();
	const qs = params.toString();
	return url.pathname + (qs ? `?${qs}` : '') + url.hash;
}

/** One of `allowed`, or '' (meaning "any"). */
export function pick(raw: string | null, allowed: readonly string[]): string {
	return raw !== null && allowed.includes(raw) ? raw : '';
}
