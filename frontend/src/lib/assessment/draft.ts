// Editing a draft questionnaire's questions locally before one PATCH: pure helpers (Vitest).
import type { TemplateQuestion, TemplateSection } from '../assessments';

export const QUESTION_TYPES = [
	'yes_no_na',
	'single_choice',
	'multiple_choice',
	'short_text',
	'long_text',
	'number',
	'date',
	'file'
] as const;

/** Moves question `index` of a section by `delta` places (clamped); returns a new list. */
export function move<T>(list: T[], index: number, delta: number): T[] {
	const to = Math.max(0, Math.min(list.length - 1, index + delta));
	if (to === index) return list;
	const next = [...list];
	const [item] = next.splice(index, 1);
	next.splice(to, 0, item!);
	return next;
}

/** A key not used yet in the questionnaire: "<PREFIX>-NN". */
export function nextKey(sections: TemplateSection[], prefix: string): string {
	const used = new Set(sections.flatMap((s) => (s.questions ?? []).map((q) => q.key)));
	for (let n = 1; ; n++) {
		const key = `${prefix}-${String(n).padStart(2, '0')}`;
		if (!used.has(key)) return key;
	}
}

export function newQuestion(key: string): TemplateQuestion {
	return { key, text: '', help: '', type: 'short_text', required: false, weight: 1, choices: [], expected: [], frameworks: [], show_if: null };
}

/** Choices as lines "value | label | score" (score optional: blank leaves it unscored). */
export function choicesToText(q: TemplateQuestion): string {
	return (q.choices ?? [])
		.map((c) => [c.value, c.label, c.score === null || c.score === undefined ? '' : String(c.score)].join(' | ').replace(/ \| $/, ''))
		.join('\n');
}

export function textToChoices(text: string): NonNullable<TemplateQuestion['choices']> {
	return text
		.split('\n')
		.map((line) => line.split('|').map((p) => p.trim()))
		.filter((parts) => parts[0])
		.map(([value, label, score]) => {
			const n = score === undefined || score === '' ? null : Number(score);
			return { value: value!, label: label || value!, score: n !== null && Number.isFinite(n) ? n : null };
		});
}

export const CHOICE_TYPES = ['yes_no_na', 'single_choice', 'multiple_choice'];

export function hasChoices(type: string): boolean {
	return CHOICE_TYPES.includes(type);
}

/** Choices a question starts with when it becomes a choice question. */
export function starterChoices(type: string): NonNullable<TemplateQuestion['choices']> {
	if (type === 'yes_no_na') {
		return [
			{ value: 'yes', label: 'Yes', score: 100 },
			{ value: 'no', label: 'No', score: 0 },
			{ value: 'na', label: 'Not applicable', score: null }
		];
	}
	return [
		{ value: 'option_1', label: 'Option 1', score: 100 },
		{ value: 'option_2', label: 'Option 2', score: 0 }
	];
}

/**
 * Makes a question's scoring fields fit its (new) type, as the server requires: choices and
 * expected only for choice types, scoring for multiple choice, thresholds for numbers, a maximum
 * age for dates.
 */
export function fitType(q: TemplateQuestion): TemplateQuestion {
	const out: TemplateQuestion = { ...q };
	if (hasChoices(q.type)) {
		const yesNo = q.type === 'yes_no_na';
		const current = q.choices ?? [];
		const fits = current.length >= 2 && (!yesNo || current.every((c) => ['yes', 'no', 'na'].includes(c.value)));
		if (!fits) {
			out.choices = starterChoices(q.type);
			out.expected = [out.choices[0]!.value];
		}
	} else {
		out.choices = [];
		out.expected = [];
	}
	if (q.type === 'multiple_choice') out.scoring = q.scoring || 'max';
	else delete out.scoring;
	if (q.type === 'number') out.thresholds = q.thresholds?.length ? q.thresholds : [{ max: 0, score: 100 }, { max: null, score: 0 }];
	else delete out.thresholds;
	if (q.type === 'date') out.max_age_days = q.max_age_days || 365;
	else delete out.max_age_days;
	return out;
}

/** The questions a question's `show_if` may depend on: earlier questions with choices. */
export function showIfCandidates(sections: TemplateSection[], si: number, qi: number): TemplateQuestion[] {
	const out: TemplateQuestion[] = [];
	for (let i = 0; i <= si; i++) {
		const qs = sections[i]?.questions ?? [];
		const end = i === si ? qi : qs.length;
		for (let j = 0; j < end; j++) if (hasChoices(qs[j]!.type)) out.push(qs[j]!);
	}
	return out;
}

export interface Problem {
	section?: string;
	question?: string;
	field?: string;
	message: string;
}

/** The label the server uses for a section in problems: its key, or "#n". */
export function sectionLabel(s: TemplateSection, si: number): string {
	return s.key || `#${si + 1}`;
}

/** The label the server uses for a question in problems: its key, or "<section> question #n". */
export function questionLabel(q: TemplateQuestion, section: string, qi: number): string {
	return q.key || `${section} question #${qi + 1}`;
}

/** The messages about one field of one question (or section, with question ''), joined. */
export function fieldProblem(problems: Problem[], section: string, question: string, field: string): string | undefined {
	const msgs = problems
		.filter((p) => (p.question ?? '') === question && (question !== '' || (p.section ?? '') === section) && (p.field ?? '') === field)
		.map((p) => p.message);
	return msgs.length > 0 ? msgs.join('; ') : undefined;
}

/** A section key not used yet: "section_N". */
export function nextSectionKey(sections: TemplateSection[]): string {
	const used = new Set(sections.map((s) => s.key));
	for (let n = sections.length + 1; ; n++) {
		const key = `section_${n}`;
		if (!used.has(key)) return key;
	}
}

export const TYPE_LABELS: Record<string, string> = {
	yes_no_na: 'Yes / No / Not applicable',
	single_choice: 'Single choice',
	multiple_choice: 'Multiple choice',
	short_text: 'Short text',
	long_text: 'Long text',
	number: 'Number',
	date: 'Date',
	file: 'File upload (evidence)'
};

export function typeLabel(type: string): string {
	return TYPE_LABELS[type] ?? type;
}
