// Typed calls for remediation with the vendor: the staff side of a shared
// finding and the portal page behind a remediation link.
import { del, get, post, upload, type RequestOptions } from './api';

export const REMEDIATION_STATUSES = [
	'requested',
	'plan_proposed',
	'changes_requested',
	'plan_accepted',
	'vendor_marked_done',
	'accepted_closed'
] as const;
export type RemediationStatus = (typeof REMEDIATION_STATUSES)[number];

export interface RemediationFile {
	id: string;
	filename: string;
	content_type: string;
	size: number;
	created_at: string;
	url: string;
}

export interface RemediationEvent {
	id: string;
	at: string;
	author: string;
	by_vendor: boolean;
	kind: string;
	text: string;
	target_date: string;
	files: RemediationFile[];
}

export interface Remediation {
	id: string;
	status: RemediationStatus;
	contact_email: string;
	message: string;
	plan: string;
	target_date: string;
	version: number;
}

export interface RemediationLink {
	id: string;
	contact_email: string;
	expires_at: string;
	revoked_at: string | null;
	last_used_at: string | null;
	created_at: string;
	url?: string;
}

export interface FindingRemediation {
	remediation: Remediation | null;
	timeline: RemediationEvent[];
	links: RemediationLink[];
	suggested_contact: string;
}

const base = (findingId: string) => `/findings/${encodeURIComponent(findingId)}/remediation`;

export function getRemediation(findingId: string, options?: RequestOptions): Promise<FindingRemediation> {
	return get<FindingRemediation>(base(findingId), options);
}

export function shareFinding(findingId: string, body: { contact_email: string; message: string }): Promise<FindingRemediation> {
	return post<FindingRemediation>(`${base(findingId)}/share`, body);
}

export type Decision = 'accept_plan' | 'request_changes' | 'accept_complete';

export function decideRemediation(findingId: string, version: number, decision: Decision, comment: string): Promise<FindingRemediation> {
	return post<FindingRemediation>(`${base(findingId)}/decision`, { version, decision, comment });
}

export function revokeRemediationLink(findingId: string, linkId: string): Promise<void> {
	return del(`${base(findingId)}/links/${encodeURIComponent(linkId)}`);
}

/** Words for a remediation's status, as both sides read them. */
export function remediationStatusLabel(s: string): string {
	return (
		{
			requested: 'Waiting for the vendor’s plan',
			plan_proposed: 'Plan proposed',
			changes_requested: 'Changes requested',
			plan_accepted: 'Plan accepted',
			vendor_marked_done: 'Marked done by the vendor',
			accepted_closed: 'Accepted as complete'
		}[s] ?? s
	);
}

/** A timeline entry's heading. */
export function remediationEventLabel(kind: string): string {
	return (
		{
			shared: 'Shared with the vendor',
			plan_proposed: 'Plan proposed',
			changes_requested: 'Changes requested',
			plan_accepted: 'Plan accepted',
			progress: 'Progress update',
			marked_done: 'Marked done',
			reopened: 'Not complete yet',
			accepted_closed: 'Accepted as complete'
		}[kind] ?? kind
	);
}

/** The decisions the owner can take in a status (the server's rule). */
export function decisionsFor(status: RemediationStatus): Decision[] {
	switch (status) {
		case 'plan_proposed':
			return ['accept_plan', 'request_changes'];
		case 'vendor_marked_done':
			return ['accept_complete', 'request_changes'];
		case 'accepted_closed':
			return [];
		default:
			return ['accept_complete'];
	}
}

/** What the portal's remediation page is given. */
export interface PortalRemediation {
	org_name: string;
	vendor_name: string;
	title: string;
	description: string;
	severity: string;
	due_date: string;
	message: string;
	status: RemediationStatus;
	plan: string;
	target_date: string;
	can_propose: boolean;
	can_progress: boolean;
	can_mark_done: boolean;
	timeline: RemediationEvent[];
	expires_at: string;
}

const portalBase = (token: string) => `/portal/${encodeURIComponent(token)}/remediation`;

export function portalRemediation(token: string, options?: RequestOptions): Promise<PortalRemediation> {
	return get<PortalRemediation>(portalBase(token), options);
}

export function portalProposePlan(token: string, plan: string, targetDate: string): Promise<PortalRemediation> {
	return post<PortalRemediation>(`${portalBase(token)}/plan`, { plan, target_date: targetDate });
}

/** Posts a progress update; the flag and text go before the file, as the server reads them in order. */
export function portalPostProgress(token: string, body: string, done: boolean, file: File | null): Promise<PortalRemediation> {
	const form = new FormData();
	form.append('done', done ? 'true' : 'false');
	form.append('body', body);
	if (file) form.append('file', file);
	return upload<PortalRemediation>(`${portalBase(token)}/updates`, form);
}
