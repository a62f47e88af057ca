// Tone and label helpers for Badge: one place decides which colour a tier or status gets.

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';
export type Tier = 1 | 2 | 3 | 4;

const TIER_LABELS: Record<Tier, string> = {
	1: 'Critical',
	2: 'High',
	3: 'Moderate',
	4: 'Low'
};

const TIER_TONES: Record<Tier, Tone> = {
	1: 'danger',
	2: 'warning',
	3: 'info',
	4: 'neutral'
};

export function isTier(value: unknown): value is Tier {
	return value === 1 || value === 2 || value === 3 || value === 4;
}

/** "Tier 1 · Critical" */
export function tierLabel(tier: Tier): string {
	return `Tier ${tier} · ${TIER_LABELS[tier]}`;
}

export function tierTone(tier: Tier): Tone {
	return TIER_TONES[tier];
}

// Statuses used across requests, vendors, assessments, contracts and findings.
const STATUS_TONES: Record<string, Tone> = {
	// positive / finished
	active: 'success',
	approved: 'success',
	completed: 'success',
	done: 'success',
	resolved: 'success',
	closed: 'success',
	signed: 'success',
	// waiting on someone
	submitted: 'info',
	in_review: 'info',
	in_progress: 'info',
	sent: 'info',
	triage: 'info',
	pending: 'info',
	proposed: 'info',
	security_review: 'info',
	legal_review: 'info',
	// needs attention
	open: 'warning',
	approved_with_conditions: 'warning',
	due_soon: 'warning',
	expiring: 'warning',
	on_hold: 'warning',
	offboarding: 'warning',
	// negative
	rejected: 'danger',
	overdue: 'danger',
	expired: 'danger',
	terminated: 'danger',
	// quiet
	draft: 'neutral',
	archived: 'neutral',
	offboarded: 'neutral',
	cancelled: 'neutral',
	waived: 'neutral',
	withdrawn: 'neutral'
};

export function statusTone(status: string): Tone {
	return STATUS_TONES[status.toLowerCase()] ?? 'neutral';
}

/** "approved_with_conditions" -> "Approved with conditions" */
export function statusLabel(status: string): string {
	const words = status.replace(/[_-]+/g, ' ').trim().toLowerCase();
	return words.charAt(0).toUpperCase() + words.slice(1);
}
