// Typed calls for findings and exceptions.
import { get, patch, post, type ListPage, type RequestOptions } from './api';

export const FINDING_STATUSES = ['open', 'in_progress', 'resolved', 'risk_accepted'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
	id: string;
	vendor_id: string;
	assessment_id: string | null;
	question_key: string;
	title: string;
	description: string;
	severity: Severity;
	source: 'assessment' | 'contract' | 'manual' | 'incident';
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
}

export function listFindings(query: FindingQuery, options?: RequestOptions): Promise<ListPage<Finding>> {
	return get<ListPage<Finding>>('/findings', { ...options, query: { ...query } });
}

export function createFinding(body: Partial<Finding> & { vendor_id: string; title: string; severity: Severity }): Promise<Finding> {
	return post<Finding>('/findings', body);
}

export function updateFinding(id: string, body: Partial<Finding> & { version: number }): Promise<Finding> {
	return patch<Finding>(`/findings/${encodeURIComponent(id)}`, body);
}

export const SEVERITY_TONES = { critical: 'danger', high: 'warning', medium: 'info', low: 'neutral' } as const;

export function getFinding(id: string, options?: RequestOptions): Promise<Finding> {
	return get<Finding>(`/findings/${encodeURIComponent(id)}`, options);
}

export interface RiskException {
	id: string;
	finding_id: string | null;
	vendor_id: string;
	justification: string;
	compensating_controls: string;
	expires_on: string;
	status: 'requested' | 'approved' | 'rejected' | 'expired';
	requested_by: string;
	approver_id: string | null;
	decided_at: string | null;
	version: number;
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
