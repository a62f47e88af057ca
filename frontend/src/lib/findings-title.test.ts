import { describe, expect, it } from 'vitest';
import { answerFindingTitle } from './findings';

// The same cases as the server's TestAnswerTitle: both sides propose one title.
describe('finding title from an answer', () => {
	it('names the problem, not the question verbatim', () => {
		expect(answerFindingTitle('IAM-01', 'No', 'Is multi-factor\n authentication enforced?')).toBe(
			'IAM-01: answered No — Is multi-factor authentication enforced?'
		);
		expect(answerFindingTitle('BC-2', '', 'Do you test backups?')).toBe('BC-2: not answered — Do you test backups?');
		expect(answerFindingTitle('X', 'Yes', '')).toBe('X: answered Yes');
	});

	it('keeps a long question short, cut at a word', () => {
		expect(answerFindingTitle('Q', 'No', 'word '.repeat(40))).toBe('Q: answered No — ' + 'word '.repeat(15).trim() + '…');
		expect([...answerFindingTitle('Q', 'x'.repeat(300), 'y'.repeat(300))].length).toBeLessThanOrEqual(200);
	});
});
