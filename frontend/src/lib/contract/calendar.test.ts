import { describe, expect, it } from 'vitest';
import type { CalendarEvent, CalendarKind } from '../contracts';
import { agendaRows, kindsParam, parseKinds } from './calendar';

const ev = (date: string, kind: CalendarKind, id: string): CalendarEvent => ({
	date,
	kind,
	title: id,
	object_type: kind === 'review_due' ? 'vendor' : 'contract',
	object_id: id,
	vendor_id: 'v-' + id
});

describe('calendar kind filter', () => {
	it('reads the URL parameter in the calendar order, ignoring unknown names', () => {
		expect(parseKinds('finding_due,cancel_by,nonsense')).toEqual(['cancel_by', 'finding_due']);
		expect(parseKinds(null)).toEqual(['cancel_by', 'term_end', 'review_due', 'finding_due']);
		expect(parseKinds('nonsense')).toEqual(['cancel_by', 'term_end', 'review_due', 'finding_due']);
	});

	it('leaves the parameter out when every kind is shown', () => {
		expect(kindsParam(['finding_due', 'cancel_by'])).toBe('cancel_by,finding_due');
		expect(kindsParam(['cancel_by', 'term_end', 'review_due', 'finding_due'])).toBeNull();
		expect(kindsParam([])).toBeNull();
	});
});

describe('agenda rows', () => {
	it('groups reassessments due on the same day into one row where the first one was', () => {
		const items = [
			ev('2026-12-05', 'review_due', 'a'),
			ev('2026-12-05', 'cancel_by', 'msa'),
			ev('2026-12-05', 'review_due', 'b'),
			ev('2026-12-05', 'review_due', 'c'),
			ev('2026-12-06', 'review_due', 'd'),
			ev('2026-12-07', 'review_due', 'e'),
			ev('2026-12-07', 'review_due', 'f')
		];
		const rows = agendaRows(items);
		expect(rows.map((r) => (r.type === 'reviews' ? `${r.date}: ${r.events.map((e) => e.object_id).join('')}` : r.event.object_id))).toEqual([
			'2026-12-05: abc',
			'msa',
			'd',
			'2026-12-07: ef'
		]);
		// Every deadline is still there, once.
		expect(rows.flatMap((r) => (r.type === 'reviews' ? r.events : [r.event]))).toHaveLength(items.length);
		expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
	});

	it('never groups other kinds, even on one day', () => {
		const rows = agendaRows([ev('2026-12-05', 'finding_due', 'x'), ev('2026-12-05', 'finding_due', 'y'), ev('2026-12-05', 'cancel_by', 'z')]);
		expect(rows.every((r) => r.type === 'event')).toBe(true);
	});
});
