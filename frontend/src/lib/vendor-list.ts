// The vendor list's state lives in the URL (shareable, restored by Back and reload). These
// functions read it from the query string, write changes back, and turn it into API parameters.
import type { SortState } from './components/DataTable.svelte';
import { formatSort, parseSort, pick } from './query';
import { customFilterParams, parseCustomFilters, sortsWithCustom } from './custom-fields';
import { CATEGORIES, CRITICALITIES, DATA_TYPES, VENDOR_STATUSES, type VendorQuery } from './vendors';

export const VENDOR_SORTS = [
	'name',
	'status',
	'category',
	'department',
	'criticality',
	'annual_spend',
	'internal_users',
	'created_at',
	'updated_at',
	'tier',
	'residual_score',
	'next_review_on'
] as const;

export const TIERS = ['1', '2', '3', '4'] as const;
/** Reassessment due: past the next review date, or within 30 days of it. */
export const REVIEW_FILTERS = ['overdue', 'due_soon'] as const;
/** A residual risk matrix row or column (the dashboard heat map's cells link here). */
export const MATRIX_STEPS = ['1', '2', '3', '4', '5'] as const;
/** gaps: vendors missing required evidence of their tier, or holding it only expired. */
export const EVIDENCE_FILTERS = ['gaps'] as const;

export const DEFAULT_VENDOR_SORT: SortState = { key: 'name', direction: 'asc' };

export interface VendorListState {
	q: string;
	status: string[];
	category: string[];
	department: string;
	owner_id: string;
	tag: string;
	/** A business unit's id: only its vendors. */
	unit: string;
	data_type: string;
	criticality: string;
	tier: string;
	review: string;
	evidence: string;
	likelihood: string;
	impact: string;
	archived: boolean;
	/** Custom field filters by key (cf.<key> in the URL and the API). */
	cf: Record<string, string>;
	sort: SortState;
}

/** "a,b,,zzz" -> the allowed values in canonical order, without repeats. */
export function parseList(raw: string | null, allowed: readonly string[]): string[] {
	if (!raw) return [];
	const given = new Set(raw.split(',').map((s) => s.trim()));
	return allowed.filter((v) => given.has(v));
}

function text(raw: string | null): string {
	return (raw ?? '').trim();
}

export function parseVendorList(params: URLSearchParams): VendorListState {
	return {
		q: text(params.get('q')),
		status: parseList(params.get('status'), VENDOR_STATUSES),
		category: parseList(params.get('category'), CATEGORIES),
		department: text(params.get('department')),
		owner_id: text(params.get('owner_id')),
		tag: text(params.get('tag')).toLowerCase(),
		unit: text(params.get('unit')),
		data_type: pick(params.get('data_type'), DATA_TYPES),
		criticality: pick(params.get('criticality'), CRITICALITIES),
		tier: pick(params.get('tier'), TIERS),
		review: pick(params.get('review'), REVIEW_FILTERS),
		evidence: pick(params.get('evidence'), EVIDENCE_FILTERS),
		likelihood: pick(params.get('likelihood'), MATRIX_STEPS),
		impact: pick(params.get('impact'), MATRIX_STEPS),
		archived: params.get('archived') === 'true',
		cf: parseCustomFilters(params),
		sort: parseSort(
			params.get('sort'),
			sortsWithCustom(params.get('sort'), VENDOR_SORTS),
			DEFAULT_VENDOR_SORT
		)
	};
}

/**
 * The URL parameters for `state` (null removes one): pass to `withQuery`. Defaults are left
 * out so the plain list has a plain URL.
 */
export function vendorListParams(state: Partial<VendorListState>): Record<string, string | null> {
	const out: Record<string, string | null> = {};
	for (const [key, value] of Object.entries(state) as [keyof VendorListState, unknown][]) {
		if (key === 'sort') {
			const s = value as SortState;
			out.sort = formatSort(s) === formatSort(DEFAULT_VENDOR_SORT) ? null : formatSort(s);
		} else if (key === 'archived') {
			out.archived = value ? 'true' : null;
		} else if (key === 'cf') {
			Object.assign(out, customFilterParams(value as Record<string, string>));
		} else if (Array.isArray(value)) {
			out[key] = value.length > 0 ? value.join(',') : null;
		} else {
			out[key] = (value as string) || null;
		}
	}
	return out;
}

/** What the list asks the API for (and what export links carry). */
export function vendorApiQuery(state: VendorListState): VendorQuery {
	return {
		q: state.q || undefined,
		status: state.status.join(',') || undefined,
		category: state.category.join(',') || undefined,
		department: state.department || undefined,
		owner_id: state.owner_id || undefined,
		tag: state.tag || undefined,
		unit: state.unit || undefined,
		data_type: state.data_type || undefined,
		criticality: state.criticality || undefined,
		tier: state.tier || undefined,
		review: state.review || undefined,
		evidence: state.evidence || undefined,
		likelihood: state.likelihood || undefined,
		impact: state.impact || undefined,
		archived: state.archived ? 'true' : undefined,
		...Object.fromEntries(Object.entries(state.cf).map(([k, v]) => [`cf.${k}`, v])),
		sort: formatSort(state.sort)
	};
}

/** True when anything narrows the list (search, a filter or the archive). */
export function isFiltered(state: VendorListState): boolean {
	return (
		state.q !== '' ||
		state.status.length > 0 ||
		state.category.length > 0 ||
		state.department !== '' ||
		state.owner_id !== '' ||
		state.tag !== '' ||
		state.unit !== '' ||
		state.data_type !== '' ||
		state.criticality !== '' ||
		state.tier !== '' ||
		state.review !== '' ||
		state.evidence !== '' ||
		state.likelihood !== '' ||
		state.impact !== '' ||
		state.archived ||
		Object.values(state.cf).some((v) => v !== '')
	);
}

/** Parameters that clear every filter and the search, keeping the sort. */
export const CLEAR_VENDOR_FILTERS: Record<string, null> = {
	q: null,
	status: null,
	category: null,
	department: null,
	owner_id: null,
	tag: null,
	unit: null,
	data_type: null,
	criticality: null,
	tier: null,
	review: null,
	evidence: null,
	likelihood: null,
	impact: null,
	archived: null
};
