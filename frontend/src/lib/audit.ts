// How audit events read to people.
import type { Tone } from './components/badge';
import type { AuditEvent, Outcome } from './identity';

/** How an event's action reads: the server's label (it owns the list of actions). */
export function actionLabel(e: Pick<AuditEvent, 'action' | 'action_label'>): string {
	return e.action_label || e.action;
}

/** The event's object by name; the end of its id when it is gone or has no name. */
export function objectName(e: Pick<AuditEvent, 'object_id' | 'object_label'>): string {
	return e.object_label || `…${e.object_id.slice(-8)}`;
}

export const OBJECT_TYPES: readonly { value: string; label: string }[] = [
	{ value: 'user', label: 'User' },
	{ value: 'api_token', label: 'API token' },
	{ value: 'vendor', label: 'Vendor' },
	{ value: 'request', label: 'Request' },
	{ value: 'questionnaire', label: 'Questionnaire' },
	{ value: 'assessment', label: 'Assessment' },
	{ value: 'finding', label: 'Finding' },
	{ value: 'exception', label: 'Exception' },
	{ value: 'contract', label: 'Contract' },
	{ value: 'playbook', label: 'Clause playbook' },
	{ value: 'risk_model', label: 'Risk model' }
];

const OBJECT_LABELS = new Map(OBJECT_TYPES.map((o) => [o.value, o.label]));

export function objectTypeLabel(type: string): string {
	if (!type) return '';
	return OBJECT_LABELS.get(type) ?? type.replace(/_/g, ' ');
}

const OUTCOMES: Record<Outcome, { label: string; tone: Tone }> = {
	success: { label: 'Success', tone: 'success' },
	denied: { label: 'Denied', tone: 'warning' },
	failure: { label: 'Failed', tone: 'danger' }
};

export function outcomeBadge(outcome: string): { label: string; tone: Tone } {
	return OUTCOMES[outcome as Outcome] ?? { label: outcome, tone: 'neutral' };
}

/** Pretty JSON for the before/after panes; null shows as a dash. */
export function prettyJson(value: unknown): string {
	if (value === null || value === undefined) return '—';
	return JSON.stringify(value, null, 2);
}

export interface AuditChange {
	field: string;
	before: string;
	after: string;
}

/** A before/after value as one line: lists joined, nothing as a dash. */
export function auditValue(value: unknown): string {
	if (value === null || value === undefined || value === '') return '—';
	if (Array.isArray(value)) return value.length > 0 ? value.map(auditValue).join(', ') : '—';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

/**
 * The fields an event changed, in the order they appear, with their old and new values;
 * `label` may turn a stored value ("read_only") into words ("Read-only").
 */
export function auditChanges(
	before: Record<string, unknown> | null,
	after: Record<string, unknown> | null,
	label: (field: string, value: string) => string = (_f, v) => v
): AuditChange[] {
	const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
	const words = (field: string, value: unknown): string => {
		if (Array.isArray(value)) return auditValue(value.map((v) => (typeof v === 'string' ? label(field, v) : v)));
		return typeof value === 'string' && value !== '' ? label(field, value) : auditValue(value);
	};
	const out: AuditChange[] = [];
	for (const field of keys) {
		const b = words(field, before?.[field]);
		const a = words(field, after?.[field]);
		if (before && after && b === a) continue;
		out.push({ field, before: b, after: a });
	}
	return out;
}

const FIELD_NAMES: Record<string, string> = { owner_id: 'Owner', external_id: 'External ID', vendor_id: 'Vendor' };

/** "annual_spend" -> "Annual spend" */
export function fieldLabel(field: string): string {
	if (FIELD_NAMES[field]) return FIELD_NAMES[field];
	const words = field.replace(/_/g, ' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
}
