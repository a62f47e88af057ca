import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { fieldSentence, problemFieldLabel, problemMessage } from './problem-message';

const validation = (errors: { field: string; message: string }[]) =>
	new ApiError({
		type: 'urn:rampart:problem:validation',
		title: 'Unprocessable Entity',
		status: 422,
		detail: 'The request has invalid fields; see errors.',
		errors
	});

describe('problemMessage', () => {
	it('names the fields that need attention, never the status phrase', () => {
		const m = problemMessage(
			validation([
				{ field: 'name', message: 'is required' },
				{ field: 'website', message: 'must be a URL' }
			])
		);
		expect(m).toEqual({ title: '2 fields need attention: Name is required; Website must be a URL', detail: '' });
	});

	it('says a single field as a sentence, and a message of its own after a colon', () => {
		expect(problemMessage(validation([{ field: 'owner_id', message: 'cannot work on findings: choose a risk manager' }])).title).toBe(
			'Owner cannot work on findings: choose a risk manager'
		);
		expect(problemMessage(validation([{ field: 'terms', message: '2 terms still need confirming or correcting: A, B' }])).title).toBe(
			'Terms: 2 terms still need confirming or correcting: A, B'
		);
	});

	it('counts many fields and only counts them when the banner lists them', () => {
		const many = validation(['a', 'b', 'c', 'd', 'e'].map((f) => ({ field: f, message: 'is required' })));
		expect(problemMessage(many).title).toBe('5 fields need attention: A is required; B is required; C is required; and 2 more');
		expect(problemMessage(many, { listed: true }).title).toBe('5 fields need attention');
	});

	it('leads with the detail when there are no field errors', () => {
		const conflict = new ApiError({ type: 'x', title: 'Conflict', status: 409, detail: 'Someone else changed this record since you opened it.' });
		expect(problemMessage(conflict)).toEqual({ title: 'Someone else changed this record since you opened it.', detail: '' });
	});

	it('puts the status in words when the problem says nothing else', () => {
		for (const [status, phrase] of [
			[404, 'Not Found'],
			[403, 'Forbidden'],
			[422, 'Unprocessable Entity'],
			[500, 'Internal Server Error'],
			[418, "I'm a teapot"]
		] as const) {
			const m = problemMessage(new ApiError({ type: 'about:blank', title: phrase, status }));
			expect(m.title).not.toContain(phrase);
			expect(m.title.length).toBeGreaterThan(10);
		}
	});

	it('keeps other errors as they were', () => {
		expect(problemMessage(new Error('boom'))).toEqual({ title: 'Something went wrong', detail: 'boom' });
	});
});

describe('field names in words', () => {
	it('reads server field paths', () => {
		expect(problemFieldLabel('annual_spend')).toBe('Annual spend');
		expect(problemFieldLabel('vendor_id')).toBe('Vendor');
		expect(problemFieldLabel('contacts[0].email')).toBe('Contacts 1 email');
		expect(problemFieldLabel('remediation_days.high')).toBe('Remediation days high');
		expect(fieldSentence('due_date', 'must be a date such as 2027-01-31.')).toBe('Due date must be a date such as 2027-01-31');
	});
});
