// How audit events read to people.
import type { Tone } from './components/badge';
import type { Outcome } from './identity';

/** Known actions, in the order the Activity filter offers them. */
export const AUDIT_ACTIONS: readonly { value: string; label: string }[] = [
	{ value: 'auth.sign_in', label: 'Signed in' },
	{ value: 'auth.sign_in_failed', label: 'Sign-in failed' },
	{ value: 'auth.sign_out', label: 'Signed out' },
	{ value: 'auth.sign_out_everywhere', label: 'Signed out everywhere' },
	{ value: 'auth.password_change', label: 'Changed password' },
	{ value: 'user.create', label: 'Created user' },
	{ value: 'user.update', label: 'Updated user' },
	{ value: 'user.role_change', label: 'Changed role' },
	{ value: 'api_token.create', label: 'Created API token' },
	{ value: 'api_token.revoke', label: 'Revoked API token' },
	{ value: 'vendor.create', label: 'Added vendor' },
	{ value: 'vendor.update', label: 'Updated vendor' },
	{ value: 'vendor.status_change', label: 'Changed vendor status' },
	{ value: 'vendor.archive', label: 'Archived vendor' },
	{ value: 'vendor.restore', label: 'Restored vendor' },
	{ value: 'vendor.import', label: 'Imported vendors' },
	{ value: 'request.create', label: 'Filed request' },
	{ value: 'request.update', label: 'Edited request' },
	{ value: 'request.status_change', label: 'Moved request' },
	{ value: 'request.decide', label: 'Decided request' },
	{ value: 'request.assign', label: 'Assigned request' },
	{ value: 'request.link_vendor', label: 'Linked request to vendor' },
	{ value: 'request.comment', label: 'Commented on request' },
	{ value: 'access.denied', label: 'Access denied' },
	{ value: 'access.unauthenticated', label: 'Refused: not signed in' },
	{ value: 'access.csrf_failed', label: 'Refused: CSRF check failed' },
	{ value: 'access.cross_origin_refused', label: 'Refused: cross-site request' },
	{ value: 'access.self_approval_refused', label: 'Refused: own request' }
];

const ACTION_LABELS = new Map(AUDIT_ACTIONS.map((a) => [a.value, a.label]));

/** "user.role_change" -> "Changed role"; an action this app does not know yet reads as-is. */
export function actionLabel(action: string): string {
	return ACTION_LABELS.get(action) ?? action;
}

export const OBJECT_TYPES: readonly { value: string; label: string }[] = [
	{ value: 'user', label: 'User' },
	{ value: 'api_token', label: 'API token' },
	{ value: 'vendor', label: 'Vendor' },
	{ value: 'request', label: 'Request' }
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
