// A vendor's evidence library: documents in every version, their review,
// and the required kinds of the vendor's tier.
import { get, patch, post, put, upload, type ListPage, type RequestOptions, type UploadOptions } from './api';
import type { OwnerRef } from './vendors';

const base = (vendorId: string) => `/vendors/${encodeURIComponent(vendorId)}/evidence`;

export type EvidenceStatus = 'received' | 'in_review' | 'accepted' | 'rejected';

export interface Quote {
	quote: string;
	start: number;
	end: number;
	page?: number;
}

export interface ReadField {
	found: boolean;
	value: string;
	evidence: Quote[];
}

/** What was read from a SOC report, with the quotes behind each answer. */
export interface EvidenceRead {
	kind: string;
	unreadable?: string;
	auditor: ReadField;
	report_type: ReadField;
	period: ReadField;
	opinion: ReadField;
	prefilled: string[];
}

export type ChecklistItemKind = 'period' | 'opinion' | 'exception' | 'cuec' | 'subservice';
export type ChecklistDecision =
	| ''
	| 'pass'
	| 'bridge_letter'
	| 'accepted'
	| 'finding'
	| 'mapped'
	| 'not_applicable'
	| 'linked'
	| 'flagged'
	| 'info';

/** One item of a SOC report's review checklist, with the report's words behind it. */
export interface ChecklistItem {
	id: string;
	position: number;
	kind: ChecklistItemKind;
	label: string;
	control: string;
	method: '' | 'carve-out' | 'inclusive';
	quote: string;
	page: number;
	proposed: '' | 'pass' | 'info';
	decision: ChecklistDecision;
	decisions: ChecklistDecision[];
	reason: string;
	owner: OwnerRef | null;
	control_ref: string;
	finding: { id: string; title: string; severity: string; status: string } | null;
	linked_vendor: { id: string; name: string } | null;
	bridge_document: { id: string; title: string; period_to: string } | null;
	decided_by: OwnerRef | null;
	decided_at: string | null;
	version: number;
}

export interface ChecklistSummary {
	framework: string;
	status: string;
	total: number;
	decided: number;
	findings: number;
}

/** The review checklist of one SOC report version. */
export interface ReviewChecklist {
	id: string;
	vendor_id: string;
	document_id: string;
	number: number;
	report_status: EvidenceStatus;
	framework: string;
	status: 'open' | 'completed';
	outcome: '' | 'passed' | 'accepted' | 'findings';
	explanation: string;
	summary: ChecklistSummary;
	period_end: string;
	covered_until: string;
	period_covered: boolean;
	completed_by: OwnerRef | null;
	completed_at: string | null;
	items: ChecklistItem[];
	version: number;
}

export interface ChecklistDecisionInput {
	version: number;
	decision: ChecklistDecision;
	reason?: string;
	severity?: string;
	owner_id?: string;
	control_ref?: string;
	linked_vendor_id?: string;
	bridge_document_id?: string;
}

const checklistPath = (vendorId: string, docId: string, n: number) =>
	`${base(vendorId)}/${encodeURIComponent(docId)}/versions/${n}/review-checklist`;

export function reviewChecklist(vendorId: string, docId: string, n: number, options?: RequestOptions): Promise<ReviewChecklist> {
	return get(checklistPath(vendorId, docId, n), options);
}

export function decideChecklistItem(vendorId: string, docId: string, n: number, itemId: string, input: ChecklistDecisionInput): Promise<ReviewChecklist> {
	return put(`${checklistPath(vendorId, docId, n)}/items/${encodeURIComponent(itemId)}`, input);
}

export function completeChecklist(vendorId: string, docId: string, n: number, version: number): Promise<ReviewChecklist> {
	return post(`${checklistPath(vendorId, docId, n)}/complete`, { version });
}

/** Kinds whose versions app/soc2 reads into a review checklist. */
export const SOC_KINDS = ['soc2_type2', 'soc2_type1', 'soc1'];

export interface EvidenceVersion {
	number: number;
	filename: string;
	content_type: string;
	size: number;
	issuer: string;
	period_from: string;
	period_to: string;
	expires_on: string;
	scope: string;
	status: EvidenceStatus;
	reject_reason: string;
	reviewer_name: string;
	reviewed_at: string | null;
	uploaded_by_name: string;
	created_at: string;
	read: EvidenceRead | null;
	url: string;
}

export interface EvidenceDocument {
	id: string;
	vendor_id: string;
	kind: string;
	kind_label: string;
	title: string;
	expiry: '' | 'expiring' | 'expired';
	current: EvidenceVersion;
	versions?: EvidenceVersion[];
	version: number;
}

export interface EvidenceKind {
	key: string;
	label: string;
}

export interface EvidenceLibrary {
	items: EvidenceDocument[];
	required: { required: string[]; missing: string[]; expired: string[] };
	tier: number;
	kinds: EvidenceKind[];
	/** Documents asked of the vendor and not yet uploaded, oldest first. */
	open_requests: EvidenceRequest[];
}

export interface EvidenceFields {
	kind?: string;
	title?: string;
	issuer?: string;
	period_from?: string;
	period_to?: string;
	expires_on?: string;
	scope?: string;
}


export function vendorEvidence(vendorId: string, options?: RequestOptions): Promise<EvidenceLibrary> {
	return get(base(vendorId), options);
}

export function evidenceDocument(vendorId: string, id: string, options?: RequestOptions): Promise<EvidenceDocument> {
	return get(`${base(vendorId)}/${encodeURIComponent(id)}`, options);
}

function form(file: File, fields: EvidenceFields, version?: number): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries(fields)) {
		if (v !== undefined && v !== '') f.append(k, v);
	}
	if (version !== undefined) f.append('version', String(version));
	f.append('file', file);
	return f;
}

export function uploadEvidence(vendorId: string, file: File, fields: EvidenceFields, options: UploadOptions = {}): Promise<EvidenceDocument> {
	return upload(base(vendorId), form(file, fields), options);
}

export function uploadEvidenceVersion(
	vendorId: string,
	id: string,
	version: number,
	file: File,
	fields: EvidenceFields,
	options: UploadOptions = {}
): Promise<EvidenceDocument> {
	return upload(`${base(vendorId)}/${encodeURIComponent(id)}/versions`, form(file, fields, version), options);
}

export interface EvidenceChange extends Omit<EvidenceFields, 'kind'> {
	version: number;
	status?: EvidenceStatus;
	reject_reason?: string;
}

export function updateEvidence(vendorId: string, id: string, change: EvidenceChange): Promise<EvidenceDocument> {
	return patch(`${base(vendorId)}/${encodeURIComponent(id)}`, change);
}

export const EVIDENCE_STATUS_LABELS: Record<EvidenceStatus, string> = {
	received: 'Received',
	in_review: 'In review',
	accepted: 'Accepted',
	rejected: 'Rejected'
};

export const EVIDENCE_STATUS_TONES = {
	received: 'neutral',
	in_review: 'info',
	accepted: 'success',
	rejected: 'danger'
} as const;

/** A document requested from the vendor through its own link. */
export interface EvidenceRequest {
	id: string;
	kind: string;
	kind_label: string;
	contact_email: string;
	message: string;
	due_date: string;
	status: 'requested' | 'overdue' | 'uploaded' | 'cancelled';
	document_id: string | null;
	version_number: number | null;
	uploaded_at: string | null;
	cancelled_at: string | null;
	expires_at: string;
	created_at: string;
	/** Shown once, when the request is made. */
	url?: string;
}

const requestsPath = (vendorId: string) => `/vendors/${encodeURIComponent(vendorId)}/evidence-requests`;

export function listEvidenceRequests(vendorId: string, cursor?: string | null, options?: RequestOptions): Promise<ListPage<EvidenceRequest>> {
	return get<ListPage<EvidenceRequest>>(requestsPath(vendorId), { ...options, query: { limit: 20, cursor: cursor ?? undefined } });
}

export function requestEvidence(
	vendorId: string,
	body: { kind: string; contact_email: string; due_date: string; message: string }
): Promise<EvidenceRequest> {
	return post<EvidenceRequest>(requestsPath(vendorId), body);
}

export function cancelEvidenceRequest(vendorId: string, id: string): Promise<EvidenceRequest> {
	return post<EvidenceRequest>(`${requestsPath(vendorId)}/${encodeURIComponent(id)}/cancel`);
}

/** What the portal's document request page is given. */
export interface PortalEvidenceRequest {
	org_name: string;
	vendor_name: string;
	kind: string;
	kind_label: string;
	message: string;
	due_date: string;
	status: 'requested' | 'uploaded';
	filename: string;
	uploaded_at: string | null;
}

export function portalEvidenceRequest(token: string, options?: RequestOptions): Promise<PortalEvidenceRequest> {
	return get<PortalEvidenceRequest>(`/portal/${encodeURIComponent(token)}/evidence-request`, options);
}

export function portalUploadEvidence(token: string, file: File, options?: UploadOptions): Promise<PortalEvidenceRequest> {
	const form = new FormData();
	form.append('file', file);
	return upload<PortalEvidenceRequest>(`/portal/${encodeURIComponent(token)}/evidence-request/file`, form, options);
}
