import { describe, expect, it } from 'vitest';
import { expiringSoon, findingApiQuery, findingListParams, parseFindingList } from './findings';

describe('findings list state', () => {
	it('reads filters from the URL and turns "me" into the user id', () => {
		const s = parseFindingList(new URLSearchParams('status=open,in_progress,bogus&severity=high&owner=me&overdue=true&sort=-due_date'));
		expect(s).toMatchObject({ status: 'open,in_progress', severity: 'high', owner: 'me', overdue: true, sort: { key: 'due_date', direction: 'desc' } });
		expect(findingApiQuery(s, 'u1')).toMatchObject({ owner_id: 'u1', status: 'open,in_progress', overdue: 'true', sort: '-due_date' });
		expect(findingListParams({ overdue: false, sort: { key: 'created_at', direction: 'desc' }, owner: '' })).toEqual({ overdue: null, sort: null, owner: null });
	});

	it('ignores unknown severities and sorts', () => {
		const s = parseFindingList(new URLSearchParams('severity=urgent&sort=password'));
		expect(s.severity).toBe('');
		expect(s.sort).toEqual({ key: 'created_at', direction: 'desc' });
	});
});

describe('exception decisions', () => {
	it('highlights approved exceptions ending within 30 days', () => {
		expect(expiringSoon({ status: 'approved', expires_on: '2026-12-01' }, '2026-11-24')).toBe(true);
		expect(expiringSoon({ status: 'approved', expires_on: '2027-01-01' }, '2026-11-24')).toBe(false);
		expect(expiringSoon({ status: 'approved', expires_on: '2026-11-01' }, '2026-11-24')).toBe(false);
		expect(expiringSoon({ status: 'requested', expires_on: '2026-12-01' }, '2026-11-24')).toBe(false);
	});
});
