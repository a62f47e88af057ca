import { describe, expect, it } from 'vitest';
import { daysUntil, segments } from './contracts';

describe('segments', () => {
	it('marks quotes by code point offsets, even after characters outside the BMP', () => {
		const text = '😀 Notice within 72 hours. Law: Delaware.';
		const segs = segments(text, [
			{ term: 'breach_notification', index: 0, start: 2, end: 25 },
			{ term: 'governing_law', index: 0, start: 31, end: 39 }
		]);
		expect(segs.map((s) => [s.text, s.term ?? null])).toEqual([
			['😀 ', null],
			['Notice within 72 hours.', 'breach_notification'],
			[' Law: ', null],
			['Delaware', 'governing_law'],
			['.', null]
		]);
	});

	it('labels page breaks, keeps the first of overlapping quotes and ignores offsets outside the text', () => {
		const text = 'page one\fpage two';
		const segs = segments(
			text,
			[
				{ term: 'a', index: 0, start: 0, end: 4 },
				{ term: 'b', index: 0, start: 2, end: 6 },
				{ term: 'c', index: 0, start: 10, end: 99 }
			],
			[0, 9]
		);
		expect(segs).toEqual([
			{ text: 'page', term: 'a', index: 0 },
			{ text: ' one\f' },
			{ text: '', page: 2 },
			{ text: 'page two' }
		]);
	});
});

describe('daysUntil', () => {
	it('counts calendar days and is null for no date', () => {
		const today = new Date(2027, 0, 30);
		expect(daysUntil('2027-02-01', today)).toBe(2);
		expect(daysUntil('2027-01-29', today)).toBe(-1);
		expect(daysUntil('', today)).toBeNull();
	});
});
