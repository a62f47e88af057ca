// Typed calls for vendor incidents, their report links and the portal's incident form.
import { del, get, patch, post, type ListPage, type RequestOptions } from './api';
import type { SortState } from './components/DataTable.svelte';
import type { Tone } from './components/badge';
import { formatSort, parseSort, pick } from './query';

export const INCIDENT_KINDS = ['breach', 'outage', 'other'] as const;
export const INCIDENT_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const INCIDENT_STATUSES = ['open', 'contained', 'resolved', 'closed'] as const;
export const INCIDENT_DATA_TYPES = [
	'personal_data',
	'sensitive_personal_data',
	'health_data',
	'payment_card_data',
	'credentials_secrets',
	'customer_data',
	'confidential',
	'internal'
] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_SEVERITY_TONES: Record<IncidentSeverity, Tone> = { critical: 'danger', high: 'warning', medium: 'info', low: 'neutral' };
export const INCIDENT_STATUS_TONES: Record<IncidentStatus, Tone> = { open: 'danger', contained: 'warning', resolved: 'success', closed: 'neutral' };

export interface Incident {
	id: string;
	vendor_id: string;
	vendor_name: string;
	title: string;
	description: string;
	kind: (typeof INCIDENT_KINDS)[number];
	severity: IncidentSeverity;
	occurred_at: string;
	detected_at: string | null;
	notified_at: string | null;
	reported_by: string;
	reported_via: 'staff' | 'portal';
	affected_services: string[];
	data_types: string[];
	records_affected: number | null;
	our_actions: string;
	status: IncidentStatus;
	closed_at: string | null;
	version: number;
	created_at: string;
	updated_at: string;
}

export interface NoticeCheck {
	contract_id: string;
	contract_title: string;
	allowed_hours: number;
	allowed_text: string;
	actual_hours: number | null;
	clock_from: 'detected_at' | 'occurred_at';
	deadline: string;
	late: boolean;
	quote: string;
	message: string;
}

export interface IncidentDetail extends Incident {
	notice_check: NoticeCheck | null;
	timeline: { id: string; at: string; author: string; kind: 'note' | 'status_change'; text: string }[];
	findings: { id: string; title: string; severity: string; status: string }[];
}

export interface IncidentQuery {
	vendor_id?: string;
	status?: string;
	severity?: string;
	sort?: string;
	limit?: number;
	cursor?: string | null;
}

export function listIncidents(query: IncidentQuery, options?: RequestOptions): Promise<ListPage<Incident>> {
	return get<ListPage<Incident>>('/incidents', { ...options, query: { ...query } });
}

export function getIncident(id: string, options?: RequestOptions): Promise<IncidentDetail> {
	return get<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`, options);
}

export type IncidentInput = {
	vendor_id: string;
	title: string;
	description?: string;
	kind?: string;
	severity: string;
	occurred_at: string;
	detected_at?: string;
	notified_at?: string;
	reported_by?: string;
	affected_services?: string[];
	data_types?: string[];
	records_affected?: number | null;
	our_actions?: string;
};

export function createIncident(body: IncidentInput): Promise<IncidentDetail> {
	return post<IncidentDetail>('/incidents', body);
}

export function updateIncident(id: string, body: Record<string, unknown> & { version: number }): Promise<IncidentDetail> {
	return patch<IncidentDetail>(`/incidents/${encodeURIComponent(id)}`, body);
}

export function addIncidentNote(id: string, text: string): Promise<IncidentDetail> {
	return post<IncidentDetail>(`/incidents/${encodeURIComponent(id)}/timeline`, { text });
}

export function linkIncidentFinding(id: string, findingId: string): Promise<IncidentDetail> {
	return post<IncidentDetail>(`/incidents/${encodeURIComponent(id)}/findings`, { finding_id: findingId });
}

export function unlinkIncidentFinding(id: string, findingId: string): Promise<IncidentDetail> {
	return del<IncidentDetail>(`/incidents/${encodeURIComponent(id)}/findings/${encodeURIComponent(findingId)}`);
}

export interface IncidentLink {
	id: string;
	contact_email: string;
	expires_at: string;
	revoked_at: string | null;
	last_used_at: string | null;
	created_at: string;
	url?: string;
}

export async function listIncidentLinks(vendorId: string, options?: RequestOptions): Promise<IncidentLink[]> {
	return (await get<{ items: IncidentLink[] }>(`/vendors/${encodeURIComponent(vendorId)}/incident-links`, options)).items;
}

export function createIncidentLink(vendorId: string, contactEmail: string): Promise<IncidentLink> {
	return post<IncidentLink>(`/vendors/${encodeURIComponent(vendorId)}/incident-links`, { contact_email: contactEmail });
}

export function revokeIncidentLink(vendorId: string, linkId: string): Promise<void> {
	return del(`/vendors/${encodeURIComponent(vendorId)}/incident-links/${encodeURIComponent(linkId)}`);
}

/** What the portal's incident page is given. */
export interface PortalIncidentLink {
	vendor_name: string;
	kinds: string[];
	severities: string[];
	data_types: string[];
}

export function portalIncidentLink(token: string, options?: RequestOptions): Promise<PortalIncidentLink> {
	return get<PortalIncidentLink>(`/portal/${encodeURIComponent(token)}/incident`, options);
}

export function portalReportIncident(token: string, body: Record<string, unknown>): Promise<{ id: string; title: string; notified_at: string }> {
	return post(`/portal/${encodeURIComponent(token)}/incident`, body);
}

/** A `datetime-local` input's value (local time) as RFC 3339 in UTC; '' stays ''. */
export function localToIso(value: string): string {
	if (!value) return '';
	const d = new Date(value);
	return Number.isNaN(d.getTime()) ? value : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** An RFC 3339 time as a `datetime-local` input's value, in local time; null gives ''. */
export function isoToLocal(iso: string | null): string {
	if (!iso) return '';
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return '';
	const pad = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "Billing API, Support portal" -> ["Billing API", "Support portal"]. */
export function splitList(text: string): string[] {
	return text
		.split(/[,\n]/)
		.map((s) => s.trim())
		.filter(Boolean);
}

// The incidents list keeps its filters in the URL.
export const INCIDENT_SORTS = ['created_at', 'updated_at', 'occurred_at', 'severity', 'status'] as const;
export const DEFAULT_INCIDENT_SORT: SortState = { key: 'created_at', direction: 'desc' };

export interface IncidentListState {
	status: string;
	severity: string;
	sort: SortState;
}

export function parseIncidentList(params: URLSearchParams): IncidentListState {
	const status = (params.get('status') ?? '').split(',').filter((s) => (INCIDENT_STATUSES as readonly string[]).includes(s));
	return {
		status: status.join(','),
		severity: pick(params.get('severity'), INCIDENT_SEVERITIES),
		sort: parseSort(params.get('sort'), INCIDENT_SORTS, DEFAULT_INCIDENT_SORT)
	};
}

export function incidentListParams(changes: Partial<IncidentListState>): Record<string, string | null> {
	const out: Record<string, string | null> = {};
	for (const [key, value] of Object.entries(changes)) {
		if (key === 'sort') {
			const s = formatSort(value as SortState);
			out.sort = s === formatSort(DEFAULT_INCIDENT_SORT) ? null : s;
		} else out[key] = (value as string) || null;
	}
	return out;
}

export function incidentApiQuery(state: IncidentListState): IncidentQuery {
	return { status: state.status || undefined, severity: state.severity || undefined, sort: formatSort(state.sort) };
}
