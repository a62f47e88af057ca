import { describe, expect, it } from 'vitest';
import { answeredByLabel, sectionList } from './portal';

describe('sharing sections', () => {
	it('names the sections as a sentence does', () => {
		expect(sectionList([])).toBe('');
		expect(sectionList(['Encryption'])).toBe('Encryption');
		expect(sectionList(['Encryption', 'Physical security'])).toBe('Encryption and Physical security');
		expect(sectionList(['A', 'B', 'C'])).toBe('A, B and C');
	});

	it('says who answered, with the address', () => {
		expect(answeredByLabel({ name: 'Jane Doe', email: 'jane@vendor.example', at: null })).toBe(
			'Answered by Jane Doe (jane@vendor.example)'
		);
		// A contact invited without a name goes by the address alone.
		expect(answeredByLabel({ name: 'jane@vendor.example', email: 'jane@vendor.example', at: null })).toBe(
			'Answered by jane@vendor.example'
		);
		expect(answeredByLabel({ name: '', email: 'jane@vendor.example', at: null })).toBe('Answered by jane@vendor.example');
	});
});
