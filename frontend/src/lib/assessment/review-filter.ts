// Which answers the review screen shows, so a reviewer can look at the weak, changed, unanswered
// and commented ones first and accept the rest in one step.
import type { AnswerView, TemplateQuestion } from '../assessments';
import { hasValue } from '../portal/portal';

export type ReviewFilter = 'all' | 'weak' | 'changed' | 'unanswered' | 'comments' | 'unmarked';

/** An answer scoring below this is weak (scores run 0-100). */
export const WEAK_BELOW = 60;

export const REVIEW_FILTERS: { value: ReviewFilter; label: string; hint: string }[] = [
	{ value: 'all', label: 'All', hint: 'every question shown to the vendor' },
	{ value: 'weak', label: 'Weak', hint: `answers scoring below ${WEAK_BELOW}` },
	{ value: 'changed', label: 'Changed', hint: 'different from the last assessment, or changed in reply to a follow-up' },
	{ value: 'unanswered', label: 'Unanswered', hint: 'questions the vendor left blank' },
	{ value: 'comments', label: 'With comments', hint: 'answers with a comment, a file or a conversation' },
	{ value: 'unmarked', label: 'Not yet marked', hint: 'answers nobody has accepted, sent back or raised as a finding' }
];

/** Whether the vendor answered: a file question needs a file. */
export function answered(q: TemplateQuestion, a: AnswerView | undefined): boolean {
	if (!a) return false;
	if (q.type === 'file') return (a.files?.length ?? 0) > 0;
	return hasValue(a.value);
}

/** Whether the question passes the filter (hidden questions never do). */
export function matches(filter: ReviewFilter, q: TemplateQuestion, a: AnswerView | undefined): boolean {
	if (a?.visible === false) return false;
	switch (filter) {
		case 'weak':
			return answered(q, a) && a!.score !== null && a!.score < WEAK_BELOW;
		case 'changed':
			return !!a && (a.changed || (a.before_follow_up !== undefined && a.before_follow_up !== null));
		case 'unanswered':
			return !answered(q, a);
		case 'comments':
			return !!a && (a.comment.trim() !== '' || (a.files?.length ?? 0) > 0 || (a.thread?.total ?? 0) > 0);
		case 'unmarked':
			return answered(q, a) && a!.review_status === '';
		default:
			return true;
	}
}

/** The questions among shown that one bulk accept would accept: answered and not yet marked. */
export function acceptable(shown: TemplateQuestion[], answers: Record<string, AnswerView> | null): string[] {
	return shown.filter((q) => matches('unmarked', q, answers?.[q.key])).map((q) => q.key);
}
