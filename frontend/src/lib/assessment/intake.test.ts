import { describe, expect, it } from 'vitest';
import type { IntakePair, IntakeProposal } from '../assessments';
import { confirmMatches, duplicates, percent, rowsFrom } from './intake';

const pair = (over: Partial<IntakePair>): IntakePair => ({
	source_id: '',
	source_question: 'Is MFA enforced?',
	source_answer: 'Yes, for everyone',
	source_comment: '',
	source_ref: 'line 3',
	source_quote: '“Is MFA enforced?” — Yes, for everyone',
	match: { question_key: 'IAM-01', question_text: 'Is MFA required?', similarity: 0.71, by: 'text', shared_words: ['mfa'] },
	parsed: { value: 'yes', comment: 'For everyone', problem: '' },
	note: '',
	alternatives: [],
	...over
});

const proposal: IntakeProposal = {
	origin: 'document',
	source: "From the vendor's document",
	from_assessment_id: '',
	pairs: [pair({}), pair({ source_question: 'Favourite colour?', source_answer: 'Blue', match: null, parsed: null, note: 'no question is similar enough' })],
	unmatched_template_questions: []
};

describe('answer intake rows', () => {
	it('ticks matched pairs only and sends the parsed answer for a kept match', () => {
		const rows = rowsFrom(proposal);
		expect(rows.map((r) => [r.key, r.take])).toEqual([
			['IAM-01', true],
			['', false]
		]);
		expect(confirmMatches(rows)).toEqual([
			{ question_key: 'IAM-01', value: 'yes', comment: 'For everyone', source_quote: '“Is MFA enforced?” — Yes, for everyone' }
		]);
	});

	it('sends the vendor’s words for a pair moved to another question, and skips unticked rows', () => {
		const rows = rowsFrom(proposal);
		rows[0]!.key = 'IAM-02';
		rows[1]!.take = true;
		expect(confirmMatches(rows)).toEqual([
			{ question_key: 'IAM-02', answer_text: 'Yes, for everyone', comment: '', source_quote: '“Is MFA enforced?” — Yes, for everyone' }
		]);
		rows[1]!.key = 'IAM-02';
		expect([...duplicates(rows)]).toEqual(['IAM-02']);
		expect(percent(0.714)).toBe('71%');
	});
});
