// The reviewer's choices on a proposal of answers (from the vendor's own questionnaire or an
// earlier assessment), and the confirmation they make.
import type { IntakeConfirmMatch, IntakePair, IntakeProposal } from '../assessments';

export interface IntakeRow {
	pair: IntakePair;
	/** The template question the reviewer keeps for this pair; '' for none. */
	key: string;
	/** Ticked rows are saved. */
	take: boolean;
}

/** One row per pair: matched pairs ticked with their match, the others unticked. */
export function rowsFrom(p: IntakeProposal): IntakeRow[] {
	return (p.pairs ?? []).map((pair) => ({ pair, key: pair.match?.question_key ?? '', take: pair.match !== null }));
}

/** Whether the row still has the question the proposal matched (so its parsed answer applies). */
export function keepsMatch(r: IntakeRow): boolean {
	return r.pair.match !== null && r.pair.match.question_key === r.key && r.pair.parsed !== null;
}

/** The rows that will be saved: ticked, with a question. */
export function chosen(rows: IntakeRow[]): IntakeRow[] {
	return rows.filter((r) => r.take && r.key !== '');
}

/** Questions chosen by more than one ticked row: the server takes one answer per question. */
export function duplicates(rows: IntakeRow[]): Set<string> {
	const seen = new Set<string>();
	const twice = new Set<string>();
	for (const r of chosen(rows)) {
		if (seen.has(r.key)) twice.add(r.key);
		seen.add(r.key);
	}
	return twice;
}

/**
 * The answers to confirm. A row left on its proposed question sends the answer as read for
 * it; a row moved to another question sends the vendor's words, which the server reads for
 * the new question's type.
 */
export function confirmMatches(rows: IntakeRow[]): IntakeConfirmMatch[] {
	return chosen(rows).map((r) =>
		keepsMatch(r)
			? { question_key: r.key, value: r.pair.parsed!.value, comment: r.pair.parsed!.comment, source_quote: r.pair.source_quote }
			: { question_key: r.key, answer_text: r.pair.source_answer, comment: r.pair.source_comment, source_quote: r.pair.source_quote }
	);
}

/** "83%" for a similarity of 0.83. */
export function percent(similarity: number): string {
	return `${Math.round(similarity * 100)}%`;
}
