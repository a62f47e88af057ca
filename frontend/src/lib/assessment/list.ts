// The assessment list's filters and sort live in the URL (shareable, restored by Back and
// reload). These read them from the query string and turn them into API parameters.
import type { SortState } from '../components/DataTable.svelte';
import { ASSESSMENT_STATUSES, type AssessmentQuery } from '../assessments';
import { formatSort, parseSort, pick } from '../query';

export const ASSESSMENT_SORTS = ['created_at', 'updated_at', 'due_date', 'status'] as const;
export const DUE_FILTERS = ['overdue', 'due_soon'] as const;
export const DEFAULT_ASSESSMENT_SORT: SortState = { key: 'created_at', direction: 'desc' };

export interface AssessmentListState {
	status: string;
	vendor: string;
	reviewer: string;
	template: string;
	due: string;
	sort: SortState;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function matching(raw: string | null, re: RegExp): string {
	const v = (raw ?? '').trim();
	return re.test(v) ? v : '';
}

export function parseAssessmentList(params: URLSearchParams): AssessmentListState {
	return {
		status: pick(params.get('status'), ASSESSMENT_STATUSES),
		vendor: matching(params.get('vendor'), ID),
		reviewer: params.get('reviewer') === 'me' ? 'me' : matching(params.get('reviewer'), ID),
		template: matching(params.get('template'), KEY),
		due: pick(params.get('due'), DUE_FILTERS),
		sort: parseSort(params.get('sort'), ASSESSMENT_SORTS, DEFAULT_ASSESSMENT_SORT)
	};
}

/** URL parameters for changes to the state (defaults left out, so the plain list has a plain URL). */
export function assessmentListParams(state: Partial<AssessmentListState>): Record<string, string | null> {
	const out: Record<string, string | null> = {};
	for (const [key, value] of Object.entries(state)) {
		if (key === 'sort') {
			const s = formatSort(value as SortState);
			out.sort = s === formatSort(DEFAULT_ASSESSMENT_SORT) ? null : s;
		} else {
			out[key] = (value as string) || null;
		}
	}
	return out;
}

/** The API query for a state; "me" as reviewer is the signed-in user. */
export function assessmentQuery(state: AssessmentListState, me: string): AssessmentQuery {
	const q: AssessmentQuery = { sort: formatSort(state.sort) };
	if (state.status) q.status = state.status;
	if (state.vendor) q.vendor_id = state.vendor;
	if (state.reviewer) q.reviewer_id = state.reviewer === 'me' ? me : state.reviewer;
	if (state.template) q.template = state.template;
	if (state.due) q.due = state.due as AssessmentQuery['due'];
	return q;
}

export function isFiltered(state: AssessmentListState): boolean {
	return !!(state.status || state.vendor || state.reviewer || state.template || state.due);
}
