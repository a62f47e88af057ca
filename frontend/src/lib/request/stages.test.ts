import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '$lib/requests';
import { nextStep, requestStages } from './stages';

const move = (from: string, to: string): TimelineEntry => ({
	id: from + to,
	kind: 'status',
	actor: null,
	from_status: from,
	to_status: to,
	body: '',
	created_at: '2026-01-01T00:00:00Z'
});

const states = (status: string, timeline: TimelineEntry[] = []) =>
	requestStages(status, timeline).map((s) => `${s.label}:${s.state}`);

describe('requestStages', () => {
	it('marks where an open request is and what is ahead', () => {
		expect(states('submitted')).toEqual(['Submitted:current', 'Triage:upcoming', 'Review:upcoming', 'Decision:upcoming']);
		expect(states('legal_review', [move('submitted', 'triage'), move('triage', 'legal_review')])).toEqual([
			'Submitted:done',
			'Triage:done',
			'Legal review:current',
			'Decision:upcoming'
		]);
		expect(nextStep('submitted')).toMatch(/triages/);
		expect(nextStep('approved')).toBe('');
	});

	it('names the decision and shows a skipped review', () => {
		expect(states('approved', [move('submitted', 'triage'), move('triage', 'approved')])).toEqual([
			'Submitted:done',
			'Triage:done',
			'Review:skipped',
			'Approved:done'
		]);
	});

	it('ends a withdrawn request where it stopped', () => {
		expect(states('withdrawn', [move('submitted', 'triage'), move('triage', 'withdrawn')])).toEqual([
			'Submitted:done',
			'Triage:done',
			'Review:skipped',
			'Withdrawn:current'
		]);
	});
});
