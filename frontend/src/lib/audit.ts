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
	{ value: 'access.denied', label: 'Access denied' }
];

const ACTION_LABELS = new Map(AUDIT_ACTIONS.map((a) => [a.value, a.label]));

/** "user.role_change" -> "Changed role"; an action this app does not know yet reads as-is. */
export function actionLabel(action: string): string {
	return ACTION_LABELS.get(action) ?? action;
}

export const OBJECT_TYPES: readonly { value: string; label: string }[] = [
	{ value: 'user', label: 'User' },
	{ value: 'api_token', label: 'API token' }
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
