import { describe, expect, it } from 'vitest';
import { groupIssues, issueHref, type DoraIssue, type DoraReport } from './dora';

const issue = (over: Partial<DoraIssue>): DoraIssue => ({
	template: 'B_07.01',
	row: 1,
	column: 'c0080',
	column_name: 'Existence of an exit plan',
	kind: 'missing',
	message: 'is required',
	record: { type: 'contract', id: 'c1', name: 'MSA' },
	field: 'dora_exit_plan',
	...over
});

describe('DORA register report', () => {
	it('links each issue to the place that fixes it', () => {
		expect(issueHref(issue({}))).toBe('/contracts/c1#dora');
		expect(issueHref(issue({ field: 'currency' }))).toBe('/contracts/c1/edit');
		expect(issueHref(issue({ record: { type: 'vendor', id: 'v1', name: 'V' }, field: 'lei' }))).toBe('/vendors/v1#dora');
		expect(issueHref(issue({ record: { type: 'vendor', id: 'v1', name: 'V' }, field: 'subprocessors' }))).toBe('/vendors/v1/edit');
		expect(issueHref(issue({ record: { type: 'settings', id: 's', name: 'Bank' }, field: 'lei' }))).toBe('/settings/dora');
	});

	it('groups issues by template in the templates’ order, leaving out clean templates', () => {
		const report: DoraReport = {
			valid: false,
			date: '2026-12-07',
			templates: [
				{ code: 'B_01.01', name: 'Entity', rows: 1, issues: 1 },
				{ code: 'B_05.01', name: 'Providers', rows: 3, issues: 0 },
				{ code: 'B_07.01', name: 'Assessment', rows: 2, issues: 2 }
			],
			issues: [issue({}), issue({ template: 'B_01.01', field: 'lei' }), issue({ row: 2 })]
		};
		const groups = groupIssues(report);
		expect(groups.map((g) => g.template.code)).toEqual(['B_01.01', 'B_07.01']);
		expect(groups[1]!.issues.map((i) => i.row)).toEqual([1, 2]);
	});
});
