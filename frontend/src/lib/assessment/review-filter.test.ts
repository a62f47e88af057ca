import { describe, expect, it } from 'vitest';
import type { AnswerView, TemplateQuestion } from '../assessments';
import { acceptable, matches } from './review-filter';

const q = (key: string, type = 'single_choice'): TemplateQuestion => ({ key, text: key, type, required: false, weight: 1 });
const ans = (over: Partial<AnswerView>): AnswerView => ({
	value: 'yes',
	comment: '',
	files: [],
	score: 100,
	visible: true,
	confirmed: true,
	changed: false,
	previous: null,
	reopened: false,
	review_status: '',
	review_comment: '',
	before_follow_up: null,
	...over
});

describe('review filters', () => {
	it('weak answers are answered and score below 60', () => {
		expect(matches('weak', q('A'), ans({ score: 50 }))).toBe(true);
		expect(matches('weak', q('A'), ans({ score: 60 }))).toBe(false);
		expect(matches('weak', q('A'), ans({ score: null }))).toBe(false);
		expect(matches('weak', q('A'), ans({ value: null, score: 0 }))).toBe(false);
	});
	it('changed covers reassessment changes and follow-up replies', () => {
		expect(matches('changed', q('A'), ans({ changed: true }))).toBe(true);
		expect(matches('changed', q('A'), ans({ before_follow_up: 'no' }))).toBe(true);
		expect(matches('changed', q('A'), ans({}))).toBe(false);
	});
	it('unanswered counts files for file questions', () => {
		expect(matches('unanswered', q('F', 'file'), ans({ value: null }))).toBe(true);
		expect(matches('unanswered', q('F', 'file'), ans({ value: null, files: [{ id: '1', filename: 'a.pdf', size: 1, content_type: 'application/pdf', created_at: '' }] }))).toBe(false);
		expect(matches('unanswered', q('A'), undefined)).toBe(true);
		expect(matches('unanswered', q('A'), ans({ value: '  ' }))).toBe(true);
	});
	it('a conversation on the question counts as comments', () => {
		expect(matches('comments', q('A'), ans({ thread: { total: 2, unread: 1 } }))).toBe(true);
		expect(matches('comments', q('A'), ans({ thread: { total: 0, unread: 0 } }))).toBe(false);
		expect(matches('comments', q('A'), ans({ thread: null }))).toBe(false);
	});
	it('comments and unmarked', () => {
		expect(matches('comments', q('A'), ans({ comment: 'see policy' }))).toBe(true);
		expect(matches('comments', q('A'), ans({}))).toBe(false);
		expect(matches('unmarked', q('A'), ans({ review_status: 'accepted' }))).toBe(false);
		expect(matches('unmarked', q('A'), ans({}))).toBe(true);
	});
	it('hidden questions never show', () => {
		for (const f of ['all', 'weak', 'changed', 'unanswered', 'comments', 'unmarked'] as const) {
			expect(matches(f, q('A'), ans({ visible: false, score: 0, changed: true }))).toBe(false);
		}
	});
	it('bulk accept takes only answered, unmarked questions', () => {
		const answers = { A: ans({}), B: ans({ review_status: 'finding' }), C: ans({ value: null }) };
		expect(acceptable([q('A'), q('B'), q('C'), q('D')], answers)).toEqual(['A']);
	});
});
