// Typed calls and types for intake requests ("Request a tool"), plus how their statuses,
// moves and timeline read to people.
import { get, patch, post, type ListPage, type QueryValue, type RequestOptions } from './api';
import type { SortState } from './components/DataTable.svelte';
import { statusLabel } from './components/badge';
import { formatSort, parseSort } from './query';

export const REQUEST_STATUSES = [
	'submitted',
	'triage',
	'security_review',
	'legal_review',
	'approved',
	'approved_with_conditions',
	'rejected',
	'withdrawn'
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const OPEN_STATUSES: readonly RequestStatus[] = ['submitted', 'triage', 'security_review', 'legal_review'];
export const DECIDED_STATUSES: readonly RequestStatus[] = ['approved', 'approved_with_conditions', 'rejected'];

export interface UserRef {
	id: string;
	name: string;
	email: string;
}

export interface VendorLink {
	id: string;
	name: string;
	status: string;
}

export interface ToolRequest {
	id: string;
	title: string;
	vendor_name: string;
	vendor_website: string;
	purpose: string;
	departments: string[];
	user_count: number;
	data_types: string[];
	integration_methods: string[];
	annual_cost: number;
	currency: string;
	/** "YYYY-MM-DD" or "". */
	needed_by: string;
	alternatives: string;
	status: string;
	requester: UserRef | null;
	assignee: UserRef | null;
	vendor: VendorLink | null;
	conditions: string;
	decided_by: UserRef | null;
	decided_at: string | null;
	version: number;
	created_at: string;
	updated_at: string;
}

export type TimelineKind = 'created' | 'status' | 'comment' | 'assigned' | 'vendor_linked' | 'edited';

export interface TimelineEntry {
	id: string;
	kind: TimelineKind;
	actor: UserRef | null;
	from_status: string;
	to_status: string;
	body: string;
	created_at: string;
}

export interface Attachment {
	id: string;
	filename: string;
	content_type: string;
	size: number;
	created_at: string;
	url?: string;
}

export interface ToolRequestDetail extends ToolRequest {
	timeline: TimelineEntry[];
	/** Files attached to the request. */
	attachments?: Attachment[] | null;
	/** The moves the caller may make now. */
	next_statuses: string[];
}

export interface RequestFields {
	title: string;
	vendor_name: string;
	vendor_website: string;
	purpose: string;
	departments: string[];
	user_count: number;
	data_types: string[];
	integration_methods: string[];
	annual_cost: number;
	currency: string;
	needed_by: string;
	alternatives: string;
}

export interface RequestCounts {
	by_status: Record<string, number>;
	total: number;
}

export function listRequests(
	query: Record<string, QueryValue>,
	options?: RequestOptions
): Promise<ListPage<ToolRequest>> {
	return get<ListPage<ToolRequest>>('/requests', { ...options, query });
}

export function requestCounts(options?: RequestOptions): Promise<RequestCounts> {
	return get<RequestCounts>('/requests/counts', options);
}

export function getRequest(id: string, options?: RequestOptions): Promise<ToolRequestDetail> {
	return get<ToolRequestDetail>(`/requests/${encodeURIComponent(id)}`, options);
}

export function createRequest(body: RequestFields): Promise<ToolRequestDetail> {
	return post<ToolRequestDetail>('/requests', body);
}

export function transitionRequest(
	id: string,
	body: { version: number; to: string; conditions?: string; comment?: string }
): Promise<ToolRequestDetail> {
	return post<ToolRequestDetail>(`/requests/${encodeURIComponent(id)}/transition`, body);
}

export function assignRequest(id: string, body: { version: number; assignee_id: string }): Promise<ToolRequestDetail> {
	return post<ToolRequestDetail>(`/requests/${encodeURIComponent(id)}/assign`, body);
}

/** Links `vendor_id`, or without one creates a proposed vendor from the request. */
export function linkRequestVendor(id: string, body: { version: number; vendor_id?: string }): Promise<ToolRequestDetail> {
	return post<ToolRequestDetail>(`/requests/${encodeURIComponent(id)}/vendor`, body);
}

export function commentOnRequest(id: string, body: string): Promise<TimelineEntry> {
	return post<TimelineEntry>(`/requests/${encodeURIComponent(id)}/comments`, { body });
}

// --- how they read ---

export function isOpen(status: string): boolean {
	return (OPEN_STATUSES as readonly string[]).includes(status);
}

export function isDecided(status: string): boolean {
	return (DECIDED_STATUSES as readonly string[]).includes(status);
}

export function requestStatusLabel(status: string): string {
	return statusLabel(status);
}

const MOVES: Record<string, { label: string; variant: 'primary' | 'secondary' | 'danger' }> = {
	triage: { label: 'Start triage', variant: 'secondary' },
	security_review: { label: 'Send to security review', variant: 'secondary' },
	legal_review: { label: 'Send to legal review', variant: 'secondary' },
	approved: { label: 'Approve', variant: 'primary' },
	approved_with_conditions: { label: 'Approve with conditions', variant: 'secondary' },
	rejected: { label: 'Reject', variant: 'danger' },
	withdrawn: { label: 'Withdraw request', variant: 'danger' },
	submitted: { label: 'Back to submitted', variant: 'secondary' }
};

/** The button for moving a request to `to`. */
export function moveAction(to: string): { label: string; variant: 'primary' | 'secondary' | 'danger' } {
	return MOVES[to] ?? { label: `Move to ${statusLabel(to).toLowerCase()}`, variant: 'secondary' };
}

/** Moves that end the request: they ask for confirmation. */
export function isFinalMove(to: string): boolean {
	return isDecided(to) || to === 'withdrawn';
}

/** The sentence for a timeline entry, without its actor ("moved it from Triage to Approved"). */
export function describeEntry(entry: TimelineEntry): string {
	switch (entry.kind) {
		case 'created':
			return 'submitted the request';
		case 'status':
			if (entry.to_status === 'withdrawn') return 'withdrew the request';
			if (entry.to_status === 'approved') return 'approved the request';
			if (entry.to_status === 'approved_with_conditions') return 'approved the request with conditions';
			if (entry.to_status === 'rejected') return 'rejected the request';
			return entry.from_status
				? `moved it from ${statusLabel(entry.from_status)} to ${statusLabel(entry.to_status)}`
				: `moved it to ${statusLabel(entry.to_status)}`;
		case 'comment':
			return 'commented';
		case 'assigned':
			return entry.body ? `assigned it to ${entry.body}` : 'removed the assignee';
		case 'vendor_linked':
			return entry.body ? `linked it to the vendor ${entry.body}` : 'linked a vendor';
		case 'edited':
			return 'edited the request';
		default:
			return String(entry.kind).replace(/_/g, ' ');
	}
}

/** Whether the entry's body is shown as text under the sentence (the sentence already holds it otherwise). */
export function entryHasText(entry: TimelineEntry): boolean {
	return (entry.kind === 'comment' || entry.kind === 'status' || entry.kind === 'edited') && entry.body.trim() !== '';
}

// --- the queue's URL state ---

export const REQUEST_SORTS = ['created_at', 'updated_at', 'needed_by', 'status', 'title'] as const;
export const DEFAULT_REQUEST_SORT: SortState = { key: 'created_at', direction: 'desc' };

/** Tabs of the reviewers' queue; `statuses` empty means every status. */
export const QUEUE_TABS: readonly { value: string; label: string; statuses: readonly string[] }[] = [
	{ value: 'open', label: 'Open', statuses: OPEN_STATUSES },
	{ value: 'submitted', label: 'Submitted', statuses: ['submitted'] },
	{ value: 'triage', label: 'Triage', statuses: ['triage'] },
	{ value: 'security_review', label: 'Security review', statuses: ['security_review'] },
	{ value: 'legal_review', label: 'Legal review', statuses: ['legal_review'] },
	{ value: 'decided', label: 'Decided', statuses: DECIDED_STATUSES },
	{ value: 'withdrawn', label: 'Withdrawn', statuses: ['withdrawn'] },
	{ value: 'all', label: 'All', statuses: [] }
];

export interface QueueState {
	tab: string;
	/** "" anyone, "me", "none" (unassigned) or a user id. */
	assignee: string;
	q: string;
	sort: SortState;
}

export function parseQueue(params: URLSearchParams): QueueState {
	const tab = params.get('tab') ?? 'open';
	return {
		tab: QUEUE_TABS.some((t) => t.value === tab) ? tab : 'open',
		assignee: (params.get('assignee') ?? '').trim(),
		q: (params.get('q') ?? '').trim(),
		sort: parseSort(params.get('sort'), REQUEST_SORTS, DEFAULT_REQUEST_SORT)
	};
}

/** URL parameters for a queue state, defaults left out. */
export function queueParams(state: Partial<QueueState>): Record<string, string | null> {
	const out: Record<string, string | null> = {};
	if ('tab' in state) out.tab = state.tab && state.tab !== 'open' ? state.tab : null;
	if ('assignee' in state) out.assignee = state.assignee || null;
	if ('q' in state) out.q = state.q || null;
	if ('sort' in state && state.sort) {
		const s = formatSort(state.sort);
		out.sort = s === formatSort(DEFAULT_REQUEST_SORT) ? null : s;
	}
	return out;
}

/** The API query for a queue state; `me` is the signed-in user's id. */
export function queueQuery(state: QueueState, me: string): Record<string, QueryValue> {
	const tab = QUEUE_TABS.find((t) => t.value === state.tab) ?? QUEUE_TABS[0]!;
	return {
		status: tab.statuses.join(',') || undefined,
		assignee_id: state.assignee === 'me' ? me : state.assignee || undefined,
		q: state.q || undefined,
		sort: formatSort(state.sort)
	};
}

/** A tab's count from the per-status counts. */
export function tabCount(counts: RequestCounts, tab: string): number {
	const t = QUEUE_TABS.find((x) => x.value === tab);
	if (!t) return 0;
	if (t.statuses.length === 0) return counts.total;
	return t.statuses.reduce((sum, s) => sum + (counts.by_status[s] ?? 0), 0);
}

/** A needed-by date ("2027-01-31") for people, without time-zone shifts. */
export function formatNeededBy(date: string): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!m) return date || '—';
	const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
	return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(d);
}
