import { describe, expect, it } from 'vitest';
import { incidentApiQuery, incidentListParams, isoToLocal, localToIso, parseIncidentList, splitList } from './incidents';

describe('incident helpers', () => {
	it('turns datetime-local values into UTC RFC 3339 and back', () => {
		const local = '2026-11-01T08:30';
		const iso = localToIso(local);
		expect(iso).toMatch(/^2026-1[01]-\d\dT\d\d:30:00Z$/);
		expect(isoToLocal(iso)).toBe(local);
		expect(localToIso('')).toBe('');
		expect(isoToLocal(null)).toBe('');
	});

	it('splits services on commas and lines, dropping blanks', () => {
		expect(splitList(' Billing API, ,Checkout\nSupport ')).toEqual(['Billing API', 'Checkout', 'Support']);
	});

	it('keeps only known filters from the URL', () => {
		const s = parseIncidentList(new URLSearchParams('status=open,burning,contained&severity=urgent&sort=-occurred_at'));
		expect(s.status).toBe('open,contained');
		expect(s.severity).toBe('');
		expect(incidentApiQuery(s)).toEqual({ status: 'open,contained', severity: undefined, sort: '-occurred_at' });
		expect(incidentListParams({ sort: { key: 'created_at', direction: 'desc' }, status: '' })).toEqual({ sort: null, status: null });
	});
});
