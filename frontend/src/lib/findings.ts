// Typed calls for findings and exceptions.
import { customFilterParams, parseCustomFilters, sortsWithCustom, type CustomValues } from './custom-fields';
import { apiUrl, get, patch, post, upload, type ListPage, type RequestOptions, type UploadOptions } from './api';
import type { SortState } from './components/DataTable.svelte';
import { formatSort, parseSort, pick } from './query';

export const FINDING_STATUSES = ['open', 'in_progress', 'resolved', 'risk_accepted'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
	/** Its business units (on the object's own page only). */
	business_unit_ids?: string[];
	id: string;
	/** Custom field values by key (see Settings → Custom fields). */
	custom_fields?: CustomValues;
	vendor_id: string;
	assessment_id: string | null;
	question_key: string;
	title: string;
	description: string;
	severity: Severity;
	source: 'assessment' | 'contract' | 'manual' | 'incident' | 'soc2_review';
	status: (typeof FINDING_STATUSES)[number];
	owner_id: string | null;
	due_date: string;
	overdue: boolean;
	remediation_plan: string;
	vendor_contact: string;
	resolved_at: string | null;
	created_at: string;
	updated_at: string;
	version: number;
	/** In lists only. */
	vendor_name?: string;
	owner_name?: string;
}

export interface FindingQuery {
	vendor_id?: string;
	status?: string;
	severity?: string;
	overdue?: string;
	owner_id?: string;
	sort?: string;
	limit?: number;
	cursor?: string | null;
	/** cf.<key> custom field filters. */
	[cf: `cf.${string}`]: string | undefined;
}

export function listFindings(query: FindingQuery, options?: RequestOptions): Promise<ListPage<Finding>> {
	return get<ListPage<Finding>>('/findings', { ...options, query: { ...query } });
}

export function createFinding(
	body: Omit<Partial<Finding>, 'custom_fields'> & { vendor_id: string; title: string; severity: Severity; custom_fields?: Record<string, unknown> }
): Promise<Finding> {
	return post<Finding>('/findings', body);
}

/** The due date a finding raised now gets per severity when none is given (the risk model's deadlines). */
export function findingDueDates(options?: RequestOptions): Promise<{ severities: Record<Severity, { days: number; date: string }> }> {
	return get('/findings/due-dates', options);
}

function oneLine(s: string): string {
	return s.split(/\s+/).filter(Boolean).join(' ');
}

/** `s` cut to at most `n` characters, at a word boundary when one is near, with an ellipsis. */
function clip(s: string, n: number): string {
	const chars = [...s];
	if (chars.length <= n) return s;
	let cut = chars.slice(0, n - 1).join('');
	const i = cut.lastIndexOf(' ');
	if (i > cut.length / 2) cut = cut.slice(0, i);
	return cut.replace(/[ ,;:.—-]+$/, '') + '…';
}

/**
 * The title proposed for a finding raised from an answer: it names the problem
 * ("IAM-01: answered No — Is MFA enforced?") instead of repeating the question. The server
 * gives the same title when none is sent (findings.AnswerTitle).
 */
export function answerFindingTitle(key: string, answer: string, question: string): string {
	const a = oneLine(answer);
	let title = `${key}: ${a ? `answered ${clip(a, 40)}` : 'not answered'}`;
	const q = oneLine(question);
	if (q) title += ` — ${clip(q, 80)}`;
	return clip(title, 200);
}

export function updateFinding(
	id: string,
	body: Omit<Partial<Finding>, 'custom_fields'> & { version: number; custom_fields?: Record<string, unknown> }
): Promise<Finding> {
	return patch<Finding>(`/findings/${encodeURIComponent(id)}`, body);
}

export const SEVERITY_TONES = { critical: 'danger', high: 'warning', medium: 'info', low: 'neutral' } as const;

export function getFinding(id: string, options?: RequestOptions): Promise<Finding> {
	return get<Finding>(`/findings/${encodeURIComponent(id)}`, options);
}

export const EXCEPTION_STATUSES = ['requested', 'approved', 'rejected', 'expired'] as const;
export type ExceptionStatus = (typeof EXCEPTION_STATUSES)[number];

/** "requested" is what people call pending. */
export const EXCEPTION_STATUS_LABELS: Record<ExceptionStatus, string> = {
	requested: 'Pending',
	approved: 'Approved',
	rejected: 'Rejected',
	expired: 'Expired'
};

export interface RiskException {
	id: string;
	finding_id: string | null;
	vendor_id: string;
	justification: string;
	compensating_controls: string;
	expires_on: string;
	status: ExceptionStatus;
	requested_by: string;
	approver_id: string | null;
	decided_at: string | null;
	version: number;
	created_at: string;
	/**
	 * Whether the signed-in user may approve or reject it now, decided by the server with the
	 * rule the decide endpoint enforces (another risk manager or admin, while it waits).
	 */
	can_decide: boolean;
	/** In lists only. */
	vendor_name?: string;
	finding_title?: string;
	requested_by_name?: string;
	approver_name?: string;
}

export function listExceptions(
	query: { status?: string; vendor_id?: string; finding_id?: string; sort?: string; limit?: number; cursor?: string },
	options?: RequestOptions
): Promise<ListPage<RiskException>> {
	return get<ListPage<RiskException>>('/exceptions', { ...options, query: { ...query } });
}

/** Days from `today` (YYYY-MM-DD) to `day`; negative when past. */
export function daysUntil(day: string, today: string): number {
	return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** An approved exception ending within `within` days: the queue highlights it. */
export function expiringSoon(e: Pick<RiskException, 'status' | 'expires_on'>, today: string, within = 30): boolean {
	if (e.status !== 'approved') return false;
	const d = daysUntil(e.expires_on, today);
	return d >= 0 && d <= within;
}

// The findings list keeps its filters in the URL.

export const FINDING_SORTS = ['created_at', 'updated_at', 'due_date', 'severity', 'status'] as const;
export const DEFAULT_FINDING_SORT: SortState = { key: 'created_at', direction: 'desc' };

export interface FindingListState {
	status: string;
	severity: string;
	vendor: string;
	/** 'me', a user id, or '' for anyone. */
	owner: string;
	overdue: boolean;
	/** Custom field filters by key (cf.<key> in the URL and the API). */
	cf: Record<string, string>;
	sort: SortState;
}

export function parseFindingList(params: URLSearchParams): FindingListState {
	const status = (params.get('status') ?? '').split(',').filter((s) => (FINDING_STATUSES as readonly string[]).includes(s));
	return {
		status: status.join(','),
		severity: pick(params.get('severity'), SEVERITIES),
		vendor: (params.get('vendor') ?? '').trim(),
		owner: (params.get('owner') ?? '').trim(),
		overdue: params.get('overdue') === 'true',
		cf: parseCustomFilters(params),
		sort: parseSort(params.get('sort'), sortsWithCustom(params.get('sort'), FINDING_SORTS), DEFAULT_FINDING_SORT)
	};
}

/** URL parameters for `changes` (null removes one), for `withQuery`. */
export function findingListParams(changes: Partial<FindingListState>): Record<string, string | null> {
	const out: Record<string, string | null> = {};
	for (const [key, value] of Object.entries(changes)) {
		if (key === 'sort') {
			const s = formatSort(value as SortState);
			out.sort = s === formatSort(DEFAULT_FINDING_SORT) ? null : s;
		} else if (key === 'overdue') out.overdue = value ? 'true' : null;
		else if (key === 'cf') Object.assign(out, customFilterParams(value as Record<string, string>));
		else out[key] = (value as string) || null;
	}
	return out;
}

/** What the list asks the API for; "me" becomes the signed-in user's id. */
export function findingApiQuery(state: FindingListState, userId: string | undefined): FindingQuery {
	return {
		status: state.status || undefined,
		severity: state.severity || undefined,
		vendor_id: state.vendor || undefined,
		owner_id: (state.owner === 'me' ? userId : state.owner) || undefined,
		overdue: state.overdue ? 'true' : undefined,
		...Object.fromEntries(Object.entries(state.cf).map(([k, v]) => [`cf.${k}`, v])),
		sort: formatSort(state.sort)
	};
}

/** The findings list with its filters and sort as a CSV or XLSX download: every matching finding. */
export function findingExportUrl(format: 'csv' | 'xlsx', query: FindingQuery): string {
	const { limit: _limit, cursor: _cursor, ...rest } = query;
	return apiUrl(`/findings/export.${format}`, rest);
}

export function requestException(body: {
	finding_id: string;
	justification: string;
	compensating_controls: string;
	expires_on: string;
}): Promise<RiskException> {
	return post<RiskException>('/exceptions', body);
}

export function decideException(id: string, version: number, decision: 'approve' | 'reject'): Promise<RiskException> {
	return post<RiskException>(`/exceptions/${encodeURIComponent(id)}/decide`, { version, decision });
}

// A finding's comment thread and evidence files.

export interface FindingComment {
	id: string;
	author_id: string;
	author_name: string;
	/** Plain text: shown as written, never as HTML. */
	body: string;
	created_at: string;
}

export interface FindingAttachment {
	id: string;
	filename: string;
	content_type: string;
	size: number;
	sha256: string;
	uploaded_by: string;
	uploaded_by_name: string;
	created_at: string;
	url: string;
}

const findingPath = (id: string) => `/findings/${encodeURIComponent(id)}`;

export async function listFindingComments(id: string, options?: RequestOptions): Promise<FindingComment[]> {
	return (await get<{ items: FindingComment[] }>(`${findingPath(id)}/comments`, options)).items;
}

export function commentFinding(id: string, body: string): Promise<FindingComment> {
	return post<FindingComment>(`${findingPath(id)}/comments`, { body });
}

export async function listFindingAttachments(id: string, options?: RequestOptions): Promise<FindingAttachment[]> {
	return (await get<{ items: FindingAttachment[] }>(`${findingPath(id)}/attachments`, options)).items;
}

export function attachToFinding(id: string, file: File, options: UploadOptions = {}): Promise<FindingAttachment> {
	const form = new FormData();
	form.append('file', file);
	return upload<FindingAttachment>(`${findingPath(id)}/attachments`, form, options);
}
