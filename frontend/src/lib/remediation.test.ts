import { describe, expect, it } from 'vitest';
import { decisionsFor, remediationEventLabel, remediationStatusLabel, REMEDIATION_STATUSES } from './remediation';

describe('remediation decisions', () => {
	it('offers what the server accepts in each status', () => {
		expect(decisionsFor('plan_proposed')).toEqual(['accept_plan', 'request_changes']);
		expect(decisionsFor('vendor_marked_done')).toEqual(['accept_complete', 'request_changes']);
		expect(decisionsFor('requested')).toEqual(['accept_complete']);
		expect(decisionsFor('changes_requested')).toEqual(['accept_complete']);
		expect(decisionsFor('plan_accepted')).toEqual(['accept_complete']);
		expect(decisionsFor('accepted_closed')).toEqual([]);
	});
	it('never closes over a proposed plan', () => {
		expect(decisionsFor('plan_proposed')).not.toContain('accept_complete');
	});
	it('names every status and event in words', () => {
		for (const s of REMEDIATION_STATUSES) expect(remediationStatusLabel(s)).not.toBe(s);
		for (const k of ['shared', 'plan_proposed', 'changes_requested', 'plan_accepted', 'progress', 'marked_done', 'reopened', 'accepted_closed'])
			expect(remediationEventLabel(k)).not.toBe(k);
	});
});
