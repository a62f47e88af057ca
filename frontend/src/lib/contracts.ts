// Typed calls and types for contracts, their documents, key terms, legal review and the clause
// playbook, plus the helpers the contract pages share.
import type { CustomValues } from './custom-fields';
import { apiUrl, del, get, patch, post, put, upload, type ListPage, type QueryValue, type RequestOptions, type UploadOptions } from './api';

export const CONTRACT_TYPES = ['msa', 'dpa', 'sla', 'order_form', 'nda', 'baa', 'other'] as const;
export const CONTRACT_STATUSES = ['draft', 'legal_review', 'approved', 'signed', 'expired', 'terminated'] as const;
export const REVIEW_STATUSES = ['none', 'pending', 'signed_off'] as const;

const TYPE_LABELS: Record<string, string> = {
	msa: 'MSA',
	dpa: 'DPA',
	sla: 'SLA',
	order_form: 'Order form / SOW',
	nda: 'NDA',
	baa: 'BAA',
	other: 'Other'
};

const REVIEW_LABELS: Record<string, string> = {
	none: 'No document',
	pending: 'Review pending',
	signed_off: 'Signed off'
};

export function contractTypeLabel(t: string): string {
	return TYPE_LABELS[t] ?? t;
}

export function reviewLabel(r: string): string {
	return REVIEW_LABELS[r] ?? r;
}

export interface PlaybookSummary {
	meets: number;
	deviates: number;
	missing: number;
	worst: string;
}

export interface Contract {
	/** Its business units (on the object's own page only). */
	business_unit_ids?: string[];
	id: string;
	/** Custom field values by key (see Settings → Custom fields). */
	custom_fields?: CustomValues;
	vendor_id: string;
	vendor_name?: string;
	parent_id: string | null;
	title: string;
	type: string;
	status: string;
	effective_date: string;
	initial_term_months: number;
	end_date: string;
	auto_renewal: boolean;
	/** False while nobody has said whether it renews: `auto_renewal` false then means unknown. */
	renewal_recorded: boolean;
	renewal_term_months: number;
	notice_period: number;
	notice_unit: 'days' | 'months';
	current_term_end: string;
	cancel_by: string;
	value: number;
	currency: string;
	owner_id: string | null;
	review_status: string;
	signed_off_by: string | null;
	signed_off_at: string | null;
	version: number;
	created_at: string;
	updated_at: string;
	playbook?: PlaybookSummary;
	/** The contract as an ICT arrangement of the DORA register (PATCH /contracts/{id}/dora). */
	dora?: Record<string, string | number | boolean>;
}

export interface ContractDocument {
	id: string;
	number: number;
	filename: string;
	content_type: string;
	format: string;
	size: number;
	sha256: string;
	pages: number;
	needs_ocr: boolean;
	uploaded_by: string;
	created_at: string;
	url: string;
}

export interface ContractDocumentText extends ContractDocument {
	/** Why this document's terms were not read (too little text, not English); empty when they were. */
	unreadable: string;
	text: string;
	page_starts: number[];
}

export interface Evidence {
	quote: string;
	start: number;
	end: number;
	page?: number;
}

export interface Candidate {
	value: string;
	normalized?: Record<string, unknown>;
	confidence: number;
	evidence: Evidence;
}

export interface Check {
	term: string;
	status: 'meets' | 'deviates' | 'missing' | 'not_applicable';
	severity: string;
	expected: string;
	actual: string;
	rule: string;
}

export interface ContractTerm {
	key: string;
	label: string;
	found: boolean;
	value: string;
	normalized: Record<string, unknown> | null;
	confidence: number;
	evidence: Evidence[];
	conflicts: Candidate[];
	extracted_found: boolean;
	extracted_value: string;
	review_state: 'proposed' | 'confirmed' | 'corrected';
	reviewed_by: string | null;
	reviewed_at: string | null;
	note: string;
	finding_id: string | null;
	document_id: string | null;
	check: Check | null;
	version: number;
}

export interface ContractTerms {
	items: ContractTerm[];
	playbook_version: number;
	vendor_tier: number;
	summary: PlaybookSummary;
	/** Whether sign-off would succeed now and, if not, why (the server's own words). */
	sign_off: { ready: boolean; reason: string; open_terms: { key: string; label: string }[] };
}

export interface ContractComment {
	id: string;
	author_id: string;
	body: string;
	created_at: string;
}

export interface UploadResult {
	document: ContractDocument;
	extracted: boolean;
	unreadable: string;
	changed: string[];
}

export function listContracts(query: Record<string, QueryValue>, options?: RequestOptions): Promise<ListPage<Contract>> {
	return get('/contracts', { ...options, query });
}

/** The contract list with its filters and sort as a CSV or XLSX download: every matching contract. */
export function contractExportUrl(format: 'csv' | 'xlsx', query: Record<string, QueryValue>): string {
	const { limit: _limit, cursor: _cursor, ...rest } = query;
	return apiUrl(`/contracts/export.${format}`, rest);
}

export function getContract(id: string, options?: RequestOptions): Promise<Contract> {
	return get(`/contracts/${encodeURIComponent(id)}`, options);
}

export function createContract(body: Record<string, unknown>): Promise<Contract> {
	return post('/contracts', body);
}

export function updateContract(id: string, body: Record<string, unknown>): Promise<Contract> {
	return patch(`/contracts/${encodeURIComponent(id)}`, body);
}

export function contractDocuments(id: string, options?: RequestOptions): Promise<{ items: ContractDocument[] }> {
	return get(`/contracts/${encodeURIComponent(id)}/documents`, options);
}

export function contractDocument(id: string, docId: string, options?: RequestOptions): Promise<ContractDocumentText> {
	return get(`/contracts/${encodeURIComponent(id)}/documents/${encodeURIComponent(docId)}`, options);
}

export function uploadContractDocument(id: string, file: File, options: UploadOptions = {}): Promise<UploadResult> {
	const form = new FormData();
	form.append('file', file);
	return upload(`/contracts/${encodeURIComponent(id)}/documents`, form, options);
}

export function contractTerms(id: string, options?: RequestOptions): Promise<ContractTerms> {
	return get(`/contracts/${encodeURIComponent(id)}/terms`, options);
}

export interface TermReview {
	version: number;
	action: 'confirm' | 'correct';
	found?: boolean;
	value?: string;
	normalized?: Record<string, unknown> | null;
	note?: string;
}

export function reviewTerm(id: string, key: string, body: TermReview): Promise<ContractTerm> {
	return patch(`/contracts/${encodeURIComponent(id)}/terms/${encodeURIComponent(key)}`, body);
}

/** The proposed terms whose playbook verdict is "meets", as the reviewer sees them now. */
export function meetingTerms(ts: ContractTerm[]): ContractTerm[] {
	return ts.filter((t) => t.review_state === 'proposed' && t.check?.status === 'meets');
}

/**
 * Confirms in one call the listed terms (each with the version shown); the
 * server refuses the whole list with 409 when any of them changed since.
 */
export function confirmMeetingTerms(id: string, ts: ContractTerm[]): Promise<{ confirmed: string[]; terms: ContractTerms }> {
	return post(`/contracts/${encodeURIComponent(id)}/terms/confirm-meeting`, {
		terms: ts.map((t) => ({ key: t.key, version: t.version }))
	});
}

export function raiseTermFinding(id: string, key: string, body: { severity?: string; description?: string }): Promise<{ id: string }> {
	return post(`/contracts/${encodeURIComponent(id)}/terms/${encodeURIComponent(key)}/finding`, body);
}

/** Signs off the review; `reason` is needed only while the record disagrees with the confirmed terms. */
export function signOff(id: string, version: number, reason?: string): Promise<Contract> {
	return post(`/contracts/${encodeURIComponent(id)}/review/sign-off`, reason ? { version, reason } : { version });
}

export type RecordFieldName = 'effective_date' | 'initial_term' | 'auto_renewal' | 'renewal_term' | 'notice' | 'value';

/** One field of the contract record beside what the latest document says about it. */
export interface RecordField {
	field: RecordFieldName;
	label: string;
	record: string;
	document: { field: string; value: string; set: Record<string, unknown>; evidence: { quote: string; start: number; end: number; page?: number } } | null;
	differs: boolean;
}

export interface RecordCheck {
	document_number: number;
	fields: RecordField[];
	disagreements: { field: string; label: string; record: string; confirmed: string }[];
}

export function contractRecord(id: string, options?: RequestOptions): Promise<RecordCheck> {
	return get(`/contracts/${encodeURIComponent(id)}/record`, options);
}

/** Takes the chosen fields from the latest document into the record (the server reads the values). */
export function acceptRecord(id: string, version: number, fields: RecordFieldName[]): Promise<Contract> {
	return post(`/contracts/${encodeURIComponent(id)}/record/accept`, { version, fields });
}

export function reopen(id: string, version: number, reason: string): Promise<Contract> {
	return post(`/contracts/${encodeURIComponent(id)}/review/reopen`, { version, reason });
}

export function contractComments(id: string, options?: RequestOptions): Promise<{ items: ContractComment[] }> {
	return get(`/contracts/${encodeURIComponent(id)}/comments`, options);
}

export function commentContract(id: string, body: string): Promise<ContractComment> {
	return post(`/contracts/${encodeURIComponent(id)}/comments`, { body });
}

export interface PlaybookDoc {
	version: number;
	playbook: unknown;
}

export function getPlaybook(options?: RequestOptions): Promise<PlaybookDoc> {
	return get('/playbook', options);
}

export function savePlaybook(version: number, playbook: unknown, note: string): Promise<PlaybookDoc> {
	return put('/playbook', { version, playbook, note });
}

/** A piece of the document text: plain, the quote of a term (highlighted), or a page break. */
export interface Segment {
	text: string;
	/** Set on quotes: the term key, and the evidence's index within the term. */
	term?: string;
	index?: number;
	/** Set on page breaks: the number of the page that starts here. */
	page?: number;
}

export interface Quote {
	term: string;
	index: number;
	start: number;
	end: number;
}

/**
 * Splits `text` at the quotes' code point offsets so each quote can be marked, and at the page
 * starts so pages can be labelled. Overlapping quotes keep the first; offsets outside the text
 * are ignored; a page start inside a quote is shown after it.
 */
export function segments(text: string, quotes: readonly Quote[], pageStarts: readonly number[] = []): Segment[] {
	const chars = Array.from(text);
	const sorted = quotes
		.filter((q) => q.start >= 0 && q.end <= chars.length && q.start < q.end)
		.sort((a, b) => a.start - b.start || b.end - a.end);
	const pages = pageStarts
		.map((start, i) => ({ start, page: pageStarts[0] === 0 ? i + 1 : i + 2 }))
		.filter((p) => p.start > 0 && p.start < chars.length);
	const out: Segment[] = [];
	let at = 0;
	let pi = 0;
	const breaks = () => {
		while (pi < pages.length && pages[pi]!.start <= at) out.push({ text: '', page: pages[pi++]!.page });
	};
	const plainUpTo = (end: number) => {
		breaks();
		while (at < end) {
			const next = pi < pages.length ? Math.min(pages[pi]!.start, end) : end;
			out.push({ text: chars.slice(at, next).join('') });
			at = next;
			breaks();
		}
	};
	for (const q of sorted) {
		if (q.start < at) continue;
		plainUpTo(q.start);
		out.push({ text: chars.slice(q.start, q.end).join(''), term: q.term, index: q.index });
		at = q.end;
	}
	plainUpTo(chars.length);
	return out.filter((s) => s.text !== '' || s.page !== undefined);
}

/** Days from `today` to a YYYY-MM-DD date (negative when past). */
export function daysUntil(ymd: string, today: Date = new Date()): number | null {
	if (!ymd) return null;
	const [y, m, d] = ymd.split('-').map(Number);
	if (!y || !m || !d) return null;
	const target = Date.UTC(y, m - 1, d);
	const now = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
	return Math.round((target - now) / 86_400_000);
}

export const CHECK_TONES: Record<string, 'success' | 'warning' | 'danger' | 'neutral'> = {
	meets: 'success',
	deviates: 'danger',
	missing: 'warning',
	not_applicable: 'neutral'
};

export const CHECK_LABELS: Record<string, string> = {
	meets: 'Meets playbook',
	deviates: 'Deviates',
	missing: 'Missing',
	not_applicable: 'Not applicable'
};

export const CALENDAR_KINDS = ['cancel_by', 'term_end', 'review_due', 'finding_due'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

/** One deadline from `GET /calendar`. */
export interface CalendarEvent {
	date: string;
	kind: CalendarKind;
	title: string;
	object_type: 'contract' | 'vendor' | 'finding' | string;
	object_id: string;
	vendor_id: string;
}

/** Deadlines between `from` and `to` (YYYY-MM-DD, both included; at most a year apart). */
export function getCalendar(from: string, to: string, options?: RequestOptions): Promise<{ items: CalendarEvent[] }> {
	return get('/calendar', { ...options, query: { from, to } });
}

/** Makes the caller's secret iCalendar URL, ending any earlier one. The URL is shown once. */
export function createCalendarFeed(): Promise<{ url: string }> {
	return post('/calendar/feed');
}

export function calendarFeedStatus(): Promise<{ active: boolean; created_at: string | null }> {
	return get('/calendar/feed');
}

export function revokeCalendarFeed(): Promise<void> {
	return del('/calendar/feed');
}
