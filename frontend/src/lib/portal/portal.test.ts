import { describe, expect, it } from 'vitest';
import { band, countOf, matrixRows } from '../dashboard/dashboard';
import { formatDay } from '../format';
import { linePoints, pathOf } from '../risk';
import {
	beforeSubmit,
	debounceFor,
	formatAnswer,
	hasValue,
	initialSave,
	isAnswered,
	isVisible,
	nextSave,
	parseNumber,
	progress,
	saveLabel,
	type PortalQuestion,
	type PortalView,
	type SaveState
} from './portal';

function q(key: string, extra: Partial<PortalQuestion> = {}): PortalQuestion {
	return {
		key,
		text: key,
		help: '',
		type: 'yes_no_na',
		required: true,
		choices: [
			{ value: 'yes', label: 'Yes' },
			{ value: 'no', label: 'No' }
		],
		show_if: null,
		answer: null,
		comment: '',
		files: [],
		editable: true,
		prefilled: false,
		...extra
	};
}

describe('show_if visibility', () => {
	const certs = q('GOV-04', { type: 'multiple_choice' });
	const soc2 = q('GOV-05', { type: 'file', show_if: { question: 'GOV-04', equals: ['soc2_type2', 'soc2_type1'] } });
	const bridge = q('GOV-05b', { show_if: { question: 'GOV-05', equals: ['x'] } });
	const byKey = { 'GOV-04': certs, 'GOV-05': soc2, 'GOV-05b': bridge };

	it('shows a question without a condition', () => {
		expect(isVisible(certs, {}, byKey)).toBe(true);
	});

	it('shows a conditional question when any selected value matches', () => {
		expect(isVisible(soc2, { 'GOV-04': ['iso27001', 'soc2_type1'] }, byKey)).toBe(true);
		expect(isVisible(soc2, { 'GOV-04': ['iso27001'] }, byKey)).toBe(false);
		expect(isVisible(soc2, { 'GOV-04': [] }, byKey)).toBe(false);
		expect(isVisible(soc2, {}, byKey)).toBe(false);
	});

	it('matches single values and hides a question whose parent is hidden', () => {
		const yes = q('A');
		const child = q('B', { show_if: { question: 'A', equals: ['yes'] } });
		const grandchild = q('C', { show_if: { question: 'B', equals: ['no'] } });
		const keys = { A: yes, B: child, C: grandchild };
		expect(isVisible(child, { A: 'yes' }, keys)).toBe(true);
		expect(isVisible(grandchild, { A: 'yes', B: 'no' }, keys)).toBe(true);
		expect(isVisible(grandchild, { A: 'no', B: 'no' }, keys)).toBe(false);
	});

	it('never loops on a cycle', () => {
		const a = q('A', { show_if: { question: 'B', equals: ['yes'] } });
		const b = q('B', { show_if: { question: 'A', equals: ['yes'] } });
		expect(isVisible(a, { A: 'yes', B: 'yes' }, { A: a, B: b })).toBe(false);
	});

	it('counts progress over the visible questions only, files by upload', () => {
		const view: PortalView = {
			title: 't',
			vendor_name: 'v',
			asked_by: '',
			contact: null,
			status: 'sent',
			due_date: '',
			submitted: false,
			progress: { answered: 0, visible: 0, missing_required: 0 },
			sections: [{ key: 's', title: 's', description: '', questions: [certs, { ...soc2, files: [{ id: 'f', filename: 'a.pdf', size: 1 }] }, bridge] }]
		};
		expect(progress(view, {})).toEqual({ answered: 0, visible: 1 });
		expect(progress(view, { 'GOV-04': ['soc2_type2'] })).toEqual({ answered: 2, visible: 2 });
	});
});

describe('before submitting', () => {
	it('counts required and prefilled questions as blocking and names the optional ones left empty', () => {
		const view = (questions: PortalQuestion[]): PortalView => ({
			title: 't',
			vendor_name: 'v',
			asked_by: '',
			contact: null,
			status: 'sent',
			due_date: '',
			submitted: false,
			progress: { answered: 0, visible: 0, missing_required: 0 },
			sections: [{ key: 's', title: 's', description: '', questions }]
		});
		const required = q('R', { required: true });
		const optional = q('O', { required: false });
		const hidden = q('H', { required: false, show_if: { question: 'R', equals: ['no'] } });
		const prefilled = q('P', { required: false, prefilled: true, editable: true });
		expect(beforeSubmit(view([required, optional, hidden]), {})).toEqual({ blocking: 1, optional: [optional] });
		expect(beforeSubmit(view([required, optional, hidden]), { R: 'yes', O: 'no' })).toEqual({ blocking: 0, optional: [] });
		expect(beforeSubmit(view([required, optional, hidden]), { R: 'no' }).optional.map((x) => x.key)).toEqual(['O', 'H']);
		expect(beforeSubmit(view([prefilled]), { P: 'yes' }).blocking).toBe(1);
	});
});

describe('answers', () => {
	it('knows what counts as an answer', () => {
		expect(hasValue(null)).toBe(false);
		expect(hasValue('  ')).toBe(false);
		expect(hasValue([])).toBe(false);
		expect(hasValue(0)).toBe(true);
		expect(hasValue(['a'])).toBe(true);
		expect(isAnswered(q('F', { type: 'file', files: [] }), 'x')).toBe(false);
	});

	it('formats answers with labels, not values', () => {
		const choice = q('A', { type: 'multiple_choice', choices: [{ value: 'soc2', label: 'SOC 2' }, { value: 'iso', label: 'ISO 27001' }] });
		expect(formatAnswer(choice, ['soc2', 'iso'])).toBe('SOC 2, ISO 27001');
		expect(formatAnswer(q('B'), 'yes')).toBe('Yes');
		expect(formatAnswer(q('B'), 'unknown')).toBe('unknown');
		expect(formatAnswer({ type: 'number' }, 1200)).toBe('1,200');
		expect(formatAnswer({ type: 'date' }, '2026-03-31')).toBe('2026-03-31');
		expect(formatAnswer({ type: 'short_text' }, null)).toBe('—');
	});

	it('parses numbers as people type them', () => {
		expect(parseNumber('1,200')).toBe(1200);
		expect(parseNumber(' 4.5 ')).toBe(4.5);
		expect(parseNumber('')).toBeNull();
		expect(parseNumber('12 days')).toBe('invalid');
	});

	it('waits for a pause only in typed fields', () => {
		expect(debounceFor('long_text')).toBeGreaterThan(0);
		expect(debounceFor('number')).toBeGreaterThan(0);
		expect(debounceFor('yes_no_na')).toBe(0);
	});
});

describe('autosave state', () => {
	const run = (events: Parameters<typeof nextSave>[1][]): SaveState => events.reduce(nextSave, initialSave);

	it('goes pending, saving, saved', () => {
		expect(run([{ type: 'edit' }]).status).toBe('pending');
		expect(run([{ type: 'edit' }, { type: 'start' }]).status).toBe('saving');
		const done = run([{ type: 'edit' }, { type: 'start' }, { type: 'success' }]);
		expect(done.status).toBe('saved');
		expect(saveLabel(done)).toBe('Saved');
		expect(saveLabel(run([{ type: 'edit' }]))).toBe('Saving…');
	});

	it('saves again when an edit arrives during a save, so the newest value wins', () => {
		const s = run([{ type: 'edit' }, { type: 'start' }, { type: 'edit' }, { type: 'success' }]);
		expect(s.status).toBe('pending');
		const f = run([{ type: 'edit' }, { type: 'start' }, { type: 'edit' }, { type: 'failure', message: 'x' }]);
		expect(f.status).toBe('pending');
	});

	it('reports a failure with the reason, and clears it on the next edit', () => {
		const s = run([{ type: 'edit' }, { type: 'start' }, { type: 'failure', message: 'must be one of the choices' }]);
		expect(s.status).toBe('error');
		expect(saveLabel(s)).toBe('Not saved: must be one of the choices');
		expect(nextSave(s, { type: 'edit' })).toEqual({ status: 'pending', dirty: false, error: null });
	});
});

describe('dashboard and charts', () => {
	it('lays the 5x5 matrix out with likelihood 5 on top and zeros for empty cells', () => {
		const rows = matrixRows([{ likelihood: 5, impact: 3, n: 14 }, { likelihood: 1, impact: 1, n: 2 }]);
		expect(rows.map((r) => r.likelihood)).toEqual([5, 4, 3, 2, 1]);
		expect(rows[0]!.cells[2]).toEqual({ impact: 3, n: 14 });
		expect(rows[4]!.cells[0]).toEqual({ impact: 1, n: 2 });
		expect(rows[2]!.cells.every((c) => c.n === 0)).toBe(true);
		expect(band(1, 1)).toBe(0);
		expect(band(5, 5)).toBe(4);
		expect(countOf([{ key: '1', n: 3 }], '2')).toBe(0);
	});

	it('plots scores from 0 at the bottom to 100 at the top', () => {
		const pts = linePoints([0, 100], 100, 50, 0);
		expect(pts).toEqual([{ x: 0, y: 50 }, { x: 100, y: 0 }]);
		expect(linePoints([50], 100, 50, 0)).toEqual([{ x: 50, y: 25 }]);
		expect(pathOf(pts)).toBe('M0.0,50.0 L100.0,0.0');
	});
});

describe('calendar dates', () => {
	it('formats a due date as that calendar day in any time zone', () => {
		const expected = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }).format(new Date(2026, 10, 29));
		expect(formatDay('2026-11-29')).toBe(expected);
		expect(formatDay(null)).toBe('—');
	});
});

import { choicesToText, move, nextKey, textToChoices } from '../assessment/draft';

describe('draft editor helpers', () => {
	it('moves a question within bounds', () => {
		expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
		expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
		expect(move(['a', 'b', 'c'], 2, -2)).toEqual(['c', 'a', 'b']);
	});

	it('finds the next free key', () => {
		const sections = [{ key: 'gov', title: 'G', questions: [{ key: 'GOV-01' }, { key: 'GOV-02' }] }] as never;
		expect(nextKey(sections, 'GOV')).toBe('GOV-03');
	});

	it('round-trips choices with and without scores', () => {
		const choices = textToChoices('yes | Yes | 100\nno | No | 0\nna | Not applicable\n\n');
		expect(choices).toEqual([
			{ value: 'yes', label: 'Yes', score: 100 },
			{ value: 'no', label: 'No', score: 0 },
			{ value: 'na', label: 'Not applicable', score: null }
		]);
		expect(choicesToText({ key: 'k', text: '', type: 'single_choice', required: true, weight: 1, choices })).toBe(
			'yes | Yes | 100\nno | No | 0\nna | Not applicable'
		);
	});
});
