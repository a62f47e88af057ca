import { describe, expect, it } from 'vitest';
import { isOrganization, MAX_ORG_NAME, orgNameProblem } from './organization';

describe('company name', () => {
	it('takes one line of 1-200 characters once trimmed, counting characters as the server does', () => {
		expect(orgNameProblem('  Acme Holdings  ')).toBeNull();
		expect(orgNameProblem('   ')).toMatch(/Enter/);
		expect(orgNameProblem('Acme\nCorp')).toMatch(/one line/);
		expect(orgNameProblem('😀'.repeat(MAX_ORG_NAME))).toBeNull(); // 400 UTF-16 units, 200 characters
		expect(orgNameProblem('é'.repeat(MAX_ORG_NAME + 1))).toMatch(/at most 200/);
	});
	it('recognises the stored name in a 409', () => {
		expect(isOrganization({ name: 'Acme', set: true, default_name: 'Corp', version: 2, updated_at: null })).toBe(true);
		expect(isOrganization({ version: 2 })).toBe(false);
		expect(isOrganization(null)).toBe(false);
	});
});
