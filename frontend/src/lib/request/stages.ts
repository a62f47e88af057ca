// The request's lifecycle as a requester reads it: four stages in order, where the request is
// and what comes next. Security and legal review are one stage (either or both may happen).
import { statusLabel } from '$lib/components/badge';
import type { TimelineEntry } from '$lib/requests';

export type StageState = 'done' | 'current' | 'upcoming' | 'skipped';

export interface Stage {
	key: 'submitted' | 'triage' | 'review' | 'decision';
	label: string;
	state: StageState;
}

const ORDER = ['submitted', 'triage', 'review', 'decision'] as const;

/** The stage a status belongs to; withdrawn belongs to none. */
function stageOf(status: string): (typeof ORDER)[number] | null {
	switch (status) {
		case 'submitted':
		case 'triage':
			return status;
		case 'security_review':
		case 'legal_review':
			return 'review';
		case 'approved':
		case 'approved_with_conditions':
		case 'rejected':
			return 'decision';
		default:
			return null;
	}
}

const LABELS: Record<(typeof ORDER)[number], string> = {
	submitted: 'Submitted',
	triage: 'Triage',
	review: 'Review',
	decision: 'Decision'
};

/**
 * The stages for a request in `status`. A decided request may have skipped review (approved
 * straight from triage): that stage reads "skipped", not done. A withdrawn request keeps the
 * stages it reached, read from its timeline, and ends at "Withdrawn".
 */
export function requestStages(status: string, timeline: TimelineEntry[] = []): Stage[] {
	const reached = new Set<string>(['submitted']);
	for (const e of timeline) {
		if (e.kind !== 'status') continue;
		for (const s of [e.from_status, e.to_status]) {
			const st = stageOf(s);
			if (st) reached.add(st);
		}
	}
	const here = stageOf(status);
	if (here === null) {
		// Withdrawn: the stages it reached are done, the rest never happened.
		const out: Stage[] = ORDER.slice(0, 3).map((key) => ({
			key,
			label: LABELS[key],
			state: reached.has(key) ? 'done' : 'skipped'
		}));
		out.push({ key: 'decision', label: statusLabel(status), state: 'current' });
		return out;
	}
	const at = ORDER.indexOf(here);
	return ORDER.map((key, i) => {
		let label = LABELS[key];
		if (key === here && key === 'review') label = statusLabel(status);
		if (key === 'decision' && here === 'decision') label = statusLabel(status);
		let state: StageState = i < at ? 'done' : i === at ? 'current' : 'upcoming';
		if (state === 'done' && key === 'review' && !reached.has('review')) state = 'skipped';
		if (here === 'decision' && key === 'decision') state = 'done';
		return { key, label, state };
	});
}

/** One sentence on what happens next, for the requester; empty once the request is closed. */
export function nextStep(status: string): string {
	switch (status) {
		case 'submitted':
			return 'Next: the risk team triages your request and may ask you questions here.';
		case 'triage':
			return 'Next: a security or legal review if the tool needs one, then the decision.';
		case 'security_review':
			return 'Next: legal review if the contract needs one, then the decision.';
		case 'legal_review':
			return 'Next: the decision.';
		default:
			return '';
	}
}
