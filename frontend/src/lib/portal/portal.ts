// The vendor portal: types of `GET /api/v1/portal/{token}`, which questions are shown, what
// counts as answered, and how one answer's autosave moves between states. Pure, for Vitest.

import type { ThreadMessage } from '../assessment/thread';

export type QuestionType =
	| 'yes_no_na'
	| 'single_choice'
	| 'multiple_choice'
	| 'short_text'
	| 'long_text'
	| 'number'
	| 'date'
	| 'file';

export interface PortalChoice {
	value: string;
	label: string;
}

export interface PortalFile {
	id: string;
	filename: string;
	size: number;
	/** The vendor attached it and its answer can still change. */
	removable?: boolean;
}

export interface ShowIf {
	question: string;
	equals: string[] | null;
}

/**
 * The element id of a question, from its key. Keys are kept as catalogues publish them
 * ("A&A-01.1", "IAM 01/2", "DSP-07#a?"), and a space, "#" or "?" would break the id, the
 * `#fragment` that links to it and CSS selectors; so every character but ASCII letters,
 * digits and "-" becomes "_" and its code point in hex, which keeps ids unique and leaves
 * "GOV-01" as "q-GOV-01".
 */
export function questionDomId(key: string): string {
	let out = 'q-';
	for (const ch of key) {
		out += /[A-Za-z0-9-]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`;
	}
	return out;
}

export type AnswerValue = string | number | string[] | null;

export interface PortalQuestion {
	key: string;
	text: string;
	help: string;
	type: QuestionType | string;
	required: boolean;
	choices: PortalChoice[] | null;
	show_if: ShowIf | null;
	answer: AnswerValue;
	comment: string;
	files: PortalFile[] | null;
	editable: boolean;
	prefilled: boolean;
	follow_up?: string;
	/** The conversation on the question with the reviewers, oldest first. */
	messages?: ThreadMessage[] | null;
	/** The contact whose link last saved the answer. */
	answered_by?: AnsweredBy | null;
}

export interface AnsweredBy {
	name: string;
	email: string;
	at: string | null;
}

/** "Answered by Jane Doe (jane@vendor.example)", or just the address when there is no name. */
export function answeredByLabel(a: AnsweredBy): string {
	return a.name && a.name !== a.email ? `Answered by ${a.name} (${a.email})` : `Answered by ${a.email}`;
}

/** On a link a colleague shared: who shared which sections. */
export interface PortalDelegated {
	by_name: string;
	by_email: string;
	name: string;
	email: string;
	message: string;
	sections: PortalChoice[];
}

/** A link the main contact shared with a colleague. */
export interface Delegation {
	id: string;
	name: string;
	email: string;
	sections: string[];
	message: string;
	answered: number;
	expires_at: string;
	revoked_at: string | null;
	last_used_at: string | null;
	version: number;
	created_at: string;
}

/** "Access control and Evidence": titles joined as a sentence says them. */
export function sectionList(titles: string[]): string {
	if (titles.length <= 1) return titles.join('');
	return `${titles.slice(0, -1).join(', ')} and ${titles[titles.length - 1]}`;
}

export interface PortalSection {
	key: string;
	title: string;
	description: string;
	questions: PortalQuestion[] | null;
}

export interface PortalView {
	title: string;
	vendor_name: string;
	/** The company asking, and the person there to turn to. */
	asked_by: string;
	contact: { name: string; email: string } | null;
	/** The asking company has a logo (Settings), at /portal/{token}/logo. */
	logo?: boolean;
	status: string;
	due_date: string;
	submitted: boolean;
	progress: { answered: number; visible: number; missing_required: number };
	sections: PortalSection[] | null;
	/** Set on a link a colleague shared: it sees only its sections and cannot submit. */
	delegated?: PortalDelegated | null;
	can_delegate?: boolean;
	can_submit?: boolean;
	/** Every section (value: key, label: title), for sharing; empty on a shared link. */
	all_sections?: PortalChoice[] | null;
}

/** True when `value` holds an answer (an empty list, blank text and null do not). */
export function hasValue(value: AnswerValue | undefined): boolean {
	if (value === null || value === undefined) return false;
	if (Array.isArray(value)) return value.length > 0;
	if (typeof value === 'string') return value.trim() !== '';
	return true;
}

/** The selected values of an answer, as strings (for `show_if`). */
export function selectedValues(value: AnswerValue | undefined): string[] {
	if (value === null || value === undefined) return [];
	if (Array.isArray(value)) return value.map(String);
	return [String(value)];
}

/** What visibility needs of a question. */
export interface Conditional {
	key: string;
	show_if?: ShowIf | null;
}

/**
 * Whether a question is shown given the current answers: a `show_if` question is shown when the
 * question it depends on is itself shown and any of its selected values is one of `equals`.
 */
export function isVisible(
	question: Conditional,
	answers: Record<string, AnswerValue | undefined>,
	byKey: Record<string, Conditional>,
	seen: Set<string> = new Set()
): boolean {
	const cond = question.show_if;
	if (!cond || !cond.question) return true;
	if (seen.has(question.key)) return false; // a cycle never shows
	seen.add(question.key);
	const parent = byKey[cond.question];
	if (parent && !isVisible(parent, answers, byKey, seen)) return false;
	const wanted = cond.equals ?? [];
	return selectedValues(answers[cond.question]).some((v) => wanted.includes(v));
}

/** Whether a question counts as answered (file questions need an uploaded file). */
export function isAnswered(question: PortalQuestion, value: AnswerValue | undefined): boolean {
	if (question.type === 'file') return (question.files?.length ?? 0) > 0;
	return hasValue(value);
}

export function allQuestions(view: PortalView): PortalQuestion[] {
	return (view.sections ?? []).flatMap((s) => s.questions ?? []);
}

/** Answered and visible counts over the questions shown now. */
export function progress(
	view: PortalView,
	answers: Record<string, AnswerValue | undefined>
): { answered: number; visible: number } {
	const questions = allQuestions(view);
	const byKey = Object.fromEntries(questions.map((q) => [q.key, q]));
	let visible = 0;
	let answered = 0;
	for (const q of questions) {
		if (!isVisible(q, answers, byKey)) continue;
		visible++;
		if (isAnswered(q, answers[q.key])) answered++;
	}
	return { answered, visible };
}

/**
 * What stands before submitting, over the questions shown now: how many still block it (a
 * required question unanswered, or a prefilled answer not yet confirmed; the server lists them),
 * and the optional questions left empty, which the confirmation names.
 */
export function beforeSubmit(
	view: PortalView,
	answers: Record<string, AnswerValue | undefined>
): { blocking: number; optional: PortalQuestion[] } {
	const questions = allQuestions(view);
	const byKey = Object.fromEntries(questions.map((q) => [q.key, q]));
	let blocking = 0;
	const optional: PortalQuestion[] = [];
	for (const q of questions) {
		if (!isVisible(q, answers, byKey)) continue;
		const answered = isAnswered(q, answers[q.key]);
		if ((q.required && !answered) || (q.prefilled && q.editable)) blocking++;
		else if (!answered) optional.push(q);
	}
	return { blocking, optional };
}

/** An answer as a person reads it: choice labels instead of values. */
export function formatAnswer(
	question: { type: string; choices?: PortalChoice[] | null },
	value: AnswerValue | undefined
): string {
	if (!hasValue(value)) return '—';
	const label = (v: string) => question.choices?.find((c) => c.value === v)?.label ?? v;
	if (Array.isArray(value)) return value.map((v) => label(String(v))).join(', ');
	if (question.type === 'yes_no_na' || question.type === 'single_choice') return label(String(value));
	if (question.type === 'number' && typeof value === 'number') return value.toLocaleString('en-US');
	return String(value);
}

/** A number input's text as the answer to send: null when blank, NaN-free. */
export function parseNumber(text: string): number | null | 'invalid' {
	const t = text.trim().replace(/,/g, '');
	if (t === '') return null;
	const n = Number(t);
	return Number.isFinite(n) ? n : 'invalid';
}

// ---- autosave state of one answer ----

export type SaveStatus = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

export interface SaveState {
	status: SaveStatus;
	/** A newer edit arrived while saving: save again when this one returns. */
	dirty: boolean;
	error: string | null;
}

export type SaveEvent =
	| { type: 'edit' }
	| { type: 'start' }
	| { type: 'success' }
	| { type: 'failure'; message: string };

export const initialSave: SaveState = { status: 'idle', dirty: false, error: null };

/** The next autosave state; an edit during a save marks it dirty so the newest value wins. */
export function nextSave(state: SaveState, event: SaveEvent): SaveState {
	switch (event.type) {
		case 'edit':
			if (state.status === 'saving') return { ...state, dirty: true };
			return { status: 'pending', dirty: false, error: null };
		case 'start':
			return { status: 'saving', dirty: false, error: null };
		case 'success':
			return state.dirty
				? { status: 'pending', dirty: false, error: null }
				: { status: 'saved', dirty: false, error: null };
		case 'failure':
			return state.dirty
				? { status: 'pending', dirty: false, error: null }
				: { status: 'error', dirty: false, error: event.message };
	}
}

export function saveLabel(state: SaveState): string {
	switch (state.status) {
		case 'pending':
		case 'saving':
			return 'Saving…';
		case 'saved':
			return 'Saved';
		case 'error':
			return state.error ? `Not saved: ${state.error}` : 'Not saved';
		default:
			return '';
	}
}

/** Text fields wait for a pause in typing; choices save at once. */
export function debounceFor(type: string): number {
	return type === 'short_text' || type === 'long_text' || type === 'number' ? 600 : 0;
}
