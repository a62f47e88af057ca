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
	return { key, text: '', help: '', type: 'short_text', required: false, weight: 1, choices: [] };
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
