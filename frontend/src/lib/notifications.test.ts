import { describe, expect, it } from 'vitest';
import { noticeHref } from './notifications';

describe('noticeHref', () => {
	it.each([
		['/findings/abc', '/findings/abc'],
		['/assessments/x?tab=review', '/assessments/x?tab=review'],
		['', '/notifications'],
		['//evil.example/x', '/notifications'],
		['/\\evil.example', '/notifications'],
		['https://evil.example/', '/notifications'],
		['javascript:alert(1)', '/notifications']
	])('%s -> %s', (link, want) => {
		expect(noticeHref(link)).toBe(want);
	});
});
