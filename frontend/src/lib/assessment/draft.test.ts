import { describe, expect, it } from 'vitest';
import type { TemplateSection } from '../assessments';
import { fieldProblem, fitType, newQuestion, questionLabel, sectionLabel, showIfCandidates } from './draft';
import { assessmentListParams, assessmentQuery, isFiltered, parseAssessmentList } from './list';

const sections: TemplateSection[] = [
	{
		key: 'gov',
		title: 'Governance',
		questions: [
			{ ...newQuestion('GOV-01'), type: 'yes_no_na', choices: [{ value: 'yes', label: 'Yes', score: 100 }, { value: 'no', label: 'No', score: 0 }] },
			{ ...newQuestion('GOV-02'), type: 'long_text' }
		]
	},
	{
		key: 'iam',
		title: 'Access',
		questions: [
			{ ...newQuestion('IAM-01'), type: 'multiple_choice', choices: [{ value: 'a', label: 'A', score: 1 }, { value: 'b', label: 'B', score: 2 }] },
			newQuestion('IAM-02')
		]
	}
];

describe('the draft editor helpers', () => {
	it('offers only earlier choice questions for show_if', () => {
		expect(showIfCandidates(sections, 0, 0).map((q) => q.key)).toEqual([]);
		expect(showIfCandidates(sections, 1, 0).map((q) => q.key)).toEqual(['GOV-01']);
		expect(showIfCandidates(sections, 1, 1).map((q) => q.key)).toEqual(['GOV-01', 'IAM-01']);
	});

	it('fits the scoring fields to a new type', () => {
		const yn = fitType({ ...newQuestion('Q-01'), type: 'yes_no_na' });
		expect(yn.choices?.map((c) => c.value)).toEqual(['yes', 'no', 'na']);
		expect(yn.choices?.find((c) => c.value === 'na')?.score).toBeNull();
		expect(yn.expected).toEqual(['yes']);
		const multi = fitType({ ...yn, type: 'multiple_choice' });
		expect(multi.scoring).toBe('max');
		expect(multi.choices?.map((c) => c.value)).toEqual(['yes', 'no', 'na']);
		const num = fitType({ ...multi, type: 'number' });
		expect(num.choices).toEqual([]);
		expect(num.expected).toEqual([]);
		expect('scoring' in num).toBe(false);
		expect(num.thresholds?.at(-1)?.max).toBeNull();
		const date = fitType({ ...num, type: 'date' });
		expect('thresholds' in date).toBe(false);
		expect(date.max_age_days).toBe(365);
		// A single choice with yes/no/na keeps them; going to yes_no_na from other values resets.
		const single = fitType({ ...newQuestion('Q-02'), type: 'single_choice', choices: [{ value: 'x', label: 'X', score: 1 }, { value: 'y', label: 'Y', score: 0 }] });
		expect(fitType({ ...single, type: 'yes_no_na' }).choices?.map((c) => c.value)).toEqual(['yes', 'no', 'na']);
	});

	it('finds the server problems of one field', () => {
		const problems = [
			{ section: 'gov', question: 'GOV-01', field: 'choices', message: 'choice "yes" score 150 is outside 0-100' },
			{ section: 'gov', question: 'GOV-01', field: 'choices', message: 'no label' },
			{ section: 'gov', question: 'GOV-01', field: 'weight', message: 'weight 9 is outside 1-5' },
			{ section: 'gov', field: 'title', message: 'title is empty' },
			{ section: 'iam', field: 'title', message: 'title is empty too' }
		];
		expect(fieldProblem(problems, 'gov', 'GOV-01', 'choices')).toBe('choice "yes" score 150 is outside 0-100; no label');
		expect(fieldProblem(problems, 'gov', 'GOV-01', 'help')).toBeUndefined();
		expect(fieldProblem(problems, 'gov', '', 'title')).toBe('title is empty');
		expect(fieldProblem(problems, 'iam', '', 'title')).toBe('title is empty too');
		expect(sectionLabel({ key: '', title: '', questions: [] }, 2)).toBe('#3');
		expect(questionLabel({ ...newQuestion(''), key: '' }, 'gov', 0)).toBe('gov question #1');
	});
});

describe('the assessment list state', () => {
	it('reads only valid values from the URL', () => {
		const s = parseAssessmentList(new URLSearchParams('status=sent&due=later&vendor=abc_123&template=Bad Key&reviewer=me&sort=-due_date'));
		expect(s).toMatchObject({ status: 'sent', due: '', vendor: 'abc_123', template: '', reviewer: 'me', sort: { key: 'due_date', direction: 'desc' } });
		expect(parseAssessmentList(new URLSearchParams('status=open&sort=title')).status).toBe('');
		expect(parseAssessmentList(new URLSearchParams('vendor=' + 'x'.repeat(65))).vendor).toBe('');
	});

	it('turns the state into API parameters and back', () => {
		const s = parseAssessmentList(new URLSearchParams('due=overdue&template=rampart-lite&reviewer=me'));
		expect(assessmentQuery(s, 'u1')).toEqual({ sort: '-created_at', due: 'overdue', template: 'rampart-lite', reviewer_id: 'u1' });
		expect(isFiltered(s)).toBe(true);
		expect(isFiltered(parseAssessmentList(new URLSearchParams('sort=status')))).toBe(false);
		expect(assessmentListParams({ sort: { key: 'created_at', direction: 'desc' }, due: '' })).toEqual({ sort: null, due: null });
		expect(assessmentListParams({ sort: { key: 'due_date', direction: 'asc' }, vendor: 'v1' })).toEqual({ sort: 'due_date', vendor: 'v1' });
	});
});
