import { describe, expect, it } from 'vitest';
import { progressText, signOffBlocker, type Offboarding } from './offboarding';

const ob = (over: Partial<Offboarding>): Offboarding => ({
	id: 'o',
	vendor_id: 'v',
	status: 'open',
	previous_status: 'active',
	started_by: null,
	started_at: '2026-12-01T10:00:00Z',
	signed_off_by: null,
	signed_off_at: null,
	cancelled_at: null,
	done: 4,
	total: 7,
	ready: false,
	blocking: [],
	items: [],
	version: 1,
	...over
});

describe('offboarding progress and sign-off', () => {
	it('counts done and waived steps', () => {
		expect(progressText(ob({}))).toBe('4 of 7 done');
	});
	it('says which steps keep sign-off disabled', () => {
		expect(signOffBlocker(ob({ blocking: ['Revoke API keys and integrations'] }))).toBe(
			'1 step is still open: Revoke API keys and integrations.'
		);
		expect(signOffBlocker(ob({ blocking: ['A', 'B'] }))).toBe('2 steps are still open: A; B.');
		expect(signOffBlocker(ob({ ready: true }))).toBe('');
		expect(signOffBlocker(ob({ status: 'completed' }))).toBe('This offboarding is completed.');
	});
});
