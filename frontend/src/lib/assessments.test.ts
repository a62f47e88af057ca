import { describe, expect, it } from 'vitest';
import { isOverdue } from './assessments';

describe('isOverdue', () => {
	const today = '2026-12-04';
	it('flags a passed due date only while the vendor still has to answer', () => {
		for (const status of ['draft', 'sent', 'in_progress']) {
			expect(isOverdue({ status, due_date: '2026-12-03' }, today)).toBe(true);
		}
		// The vendor has done its part: the review taking longer is not the vendor being late.
		for (const status of ['submitted', 'in_review', 'completed', 'cancelled', 'expired']) {
			expect(isOverdue({ status, due_date: '2026-12-03' }, today)).toBe(false);
		}
	});

	it('is never overdue on the due date itself or without one', () => {
		expect(isOverdue({ status: 'sent', due_date: today }, today)).toBe(false);
		expect(isOverdue({ status: 'sent', due_date: '' }, today)).toBe(false);
	});
});
