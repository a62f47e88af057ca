// The renewal calendar's decisions as plain functions: which window to ask for, how deadlines
// are grouped by month, where each one links and which ones need attention now. Dates are
// calendar days (YYYY-MM-DD), never instants, so no time zone can move them.
import type { CalendarEvent, CalendarKind } from '../contracts';
import { CALENDAR_KINDS, daysUntil } from '../contracts';

export const KIND_LABELS: Record<CalendarKind, string> = {
	cancel_by: 'Cancel by',
	term_end: 'Term ends',
	review_due: 'Reassessment due',
	finding_due: 'Finding due'
};

export const KIND_TONES: Record<CalendarKind, 'danger' | 'warning' | 'info' | 'neutral'> = {
	cancel_by: 'danger',
	term_end: 'neutral',
	review_due: 'info',
	finding_due: 'warning'
};

/** Cancel-by dates this close (in days) are highlighted. */
export const URGENT_DAYS = 30;

/** How many months the agenda shows at once. */
export const WINDOW_MONTHS = 3;

function parse(ymd: string): [number, number, number] | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
	if (!m) return null;
	const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const check = new Date(Date.UTC(y, mo - 1, d));
	if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
	return [y, mo, d];
}

function format(date: Date): string {
	return date.toISOString().slice(0, 10);
}

/** A valid YYYY-MM-DD as given, or null. */
export function validDay(ymd: string | null | undefined): string | null {
	return ymd && parse(ymd) ? ymd : null;
}

/** Today in the user's time zone as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
	return format(new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())));
}

/** `ymd` plus `n` months (negative goes back); a day the month lacks becomes its last day. */
export function addMonths(ymd: string, n: number): string {
	const p = parse(ymd);
	if (!p) return ymd;
	const [y, m, d] = p;
	const first = new Date(Date.UTC(y, m - 1 + n, 1));
	const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
	return format(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))));
}

export function addDays(ymd: string, n: number): string {
	const p = parse(ymd);
	if (!p) return ymd;
	return format(new Date(Date.UTC(p[0], p[1] - 1, p[2] + n)));
}

export interface Window {
	from: string;
	/** Included: the day before `from` plus WINDOW_MONTHS. */
	to: string;
	previous: string;
	next: string;
}

/** The agenda's window starting at `from`, and where the previous and next quarters start. */
export function windowFrom(from: string): Window {
	return {
		from,
		to: addDays(addMonths(from, WINDOW_MONTHS), -1),
		previous: addMonths(from, -WINDOW_MONTHS),
		next: addMonths(from, WINDOW_MONTHS)
	};
}

export interface MonthGroup {
	/** YYYY-MM */
	month: string;
	label: string;
	items: CalendarEvent[];
}

const monthName = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * The window's months in order, each with its deadlines sorted by date (a month with none is
 * kept, so an empty month reads as "nothing due" rather than disappearing). Events outside the
 * window are left out.
 */
export function groupByMonth(events: readonly CalendarEvent[], window: Pick<Window, 'from' | 'to'>): MonthGroup[] {
	const groups: MonthGroup[] = [];
	const start = parse(window.from);
	const end = parse(window.to);
	if (!start || !end) return groups;
	let cursor = new Date(Date.UTC(start[0], start[1] - 1, 1));
	const stop = Date.UTC(end[0], end[1] - 1, 1);
	while (cursor.getTime() <= stop) {
		const month = format(cursor).slice(0, 7);
		groups.push({ month, label: monthName.format(cursor), items: [] });
		cursor = new Date(Date.UTC(cursor.getUTCFullYear(), cursor.getUTCMonth() + 1, 1));
	}
	const byMonth = new Map(groups.map((g) => [g.month, g]));
	const sorted = [...events].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
	for (const e of sorted) {
		if (e.date < window.from || e.date > window.to) continue;
		byMonth.get(e.date.slice(0, 7))?.items.push(e);
	}
	return groups;
}

/** The page an event is about: the contract, the vendor (reassessments) or the finding. */
export function eventHref(e: CalendarEvent): string {
	const id = encodeURIComponent(e.object_id);
	switch (e.object_type) {
		case 'contract':
			return `/contracts/${id}`;
		case 'vendor':
			return `/vendors/${id}`;
		case 'finding':
			return `/findings/${id}`;
		default:
			return `/vendors/${encodeURIComponent(e.vendor_id)}`;
	}
}

/** A cancel-by date from today up to URGENT_DAYS ahead: miss it and the contract renews. */
export function isUrgent(e: CalendarEvent, today: Date = new Date()): boolean {
	if (e.kind !== 'cancel_by') return false;
	const days = daysUntil(e.date, today);
	return days !== null && days >= 0 && days <= URGENT_DAYS;
}

/** The event's title without the kind the badge already says ("Cancel-by: MSA" -> "MSA"). */
export function eventTitle(e: CalendarEvent): string {
	return e.title.replace(/^(Cancel-by|Term ends|Reassessment due|Finding due):\s*/, '');
}

/**
 * The kinds the `kinds` URL parameter asks for ("cancel_by,finding_due"), in the calendar's
 * order. Unknown names are ignored; nothing valid (or no parameter) means every kind.
 */
export function parseKinds(raw: string | null | undefined): CalendarKind[] {
	const asked = new Set((raw ?? '').split(','));
	const kinds = CALENDAR_KINDS.filter((k) => asked.has(k));
	return kinds.length ? kinds : [...CALENDAR_KINDS];
}

/** The `kinds` URL parameter for a choice: null (no parameter) when every kind is shown. */
export function kindsParam(kinds: readonly CalendarKind[]): string | null {
	const chosen = CALENDAR_KINDS.filter((k) => kinds.includes(k));
	return chosen.length === 0 || chosen.length === CALENDAR_KINDS.length ? null : chosen.join(',');
}

/** One line of a month's agenda: a deadline, or several reassessments due on one day. */
export type AgendaRow =
	| { type: 'event'; key: string; event: CalendarEvent }
	| { type: 'reviews'; key: string; date: string; events: CalendarEvent[] };

/**
 * A month's deadlines (sorted by date) as agenda rows: reassessments due on the same day
 * become one row, placed where the first of them was, so a batch of routine reviews takes
 * one line instead of burying an urgent cancel-by date. A lone reassessment stays a row of
 * its own.
 */
export function agendaRows(items: readonly CalendarEvent[]): AgendaRow[] {
	const byDay = new Map<string, CalendarEvent[]>();
	for (const e of items) {
		if (e.kind !== 'review_due') continue;
		const day = byDay.get(e.date);
		if (day) day.push(e);
		else byDay.set(e.date, [e]);
	}
	const rows: AgendaRow[] = [];
	for (const e of items) {
		const day = e.kind === 'review_due' ? byDay.get(e.date) : undefined;
		if (day && day.length > 1) {
			if (day[0] === e) rows.push({ type: 'reviews', key: `reviews-${e.date}`, date: e.date, events: day });
			continue;
		}
		rows.push({ type: 'event', key: `${e.kind}-${e.object_id}-${e.date}`, event: e });
	}
	return rows;
}
