// The state of a list page lives in its URL (filters, sort, tab) so a view can be shared,
// bookmarked and restored with Back. A page declares its filters once; these functions read
// them from the query string and say what to write back.
import { parseSort } from './query';
import type { SortState } from './components/DataTable.svelte';

/** A filter is either one of a fixed set of values or free text. */
export type FilterSpec = readonly string[] | 'text';

export interface ListSpec<F extends string, V extends string = never> {
	filters: Record<F, FilterSpec>;
	/** Parameters that pick a view (a tab) rather than narrow it: not cleared, not "filtered". */
	views?: Record<V, FilterSpec>;
	sorts?: readonly string[];
	defaultSort?: SortState;
}

export interface ListValues<F extends string, V extends string = never> {
	/** Each filter's value; '' means "any". */
	filters: Record<F, string>;
	views: Record<V, string>;
	sort: SortState | null;
	/** Whether any filter narrows the list (the sort does not count). */
	filtered: boolean;
}

export function readList<F extends string, V extends string = never>(
	params: URLSearchParams,
	spec: ListSpec<F, V>
): ListValues<F, V> {
	const filters = readParams(params, spec.filters);
	const views = readParams(params, spec.views ?? ({} as Record<V, FilterSpec>));
	const sort = spec.defaultSort ? parseSort(params.get('sort'), spec.sorts ?? [], spec.defaultSort) : null;
	return { filters, views, sort, filtered: Object.values<string>(filters).some((v) => v !== '') };
}

function readParams<K extends string>(params: URLSearchParams, specs: Record<K, FilterSpec>): Record<K, string> {
	const out = {} as Record<K, string>;
	for (const name of Object.keys(specs) as K[]) {
		const allowed = specs[name];
		const raw = params.get(name);
		out[name] = allowed === 'text' ? (raw ?? '') : raw !== null && allowed.includes(raw) ? raw : '';
	}
	return out;
}

/** The URL changes that remove every filter, keeping the sort and anything else. */
export function clearFilters<F extends string, V extends string>(spec: ListSpec<F, V>): Record<F, null> {
	const changes = {} as Record<F, null>;
	for (const name of Object.keys(spec.filters) as F[]) changes[name] = null;
	return changes;
}

/** Query values for the API: '' becomes undefined so "any" is left out of the request. */
export function apiFilters<F extends string>(filters: Record<F, string>): Partial<Record<F, string>> {
	const out: Partial<Record<F, string>> = {};
	for (const [k, v] of Object.entries<string>(filters)) if (v !== '') out[k as F] = v;
	return out;
}
