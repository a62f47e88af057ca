// Dates as people read them, in the browser's locale and time zone.

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const precise = new Intl.DateTimeFormat(undefined, {
	dateStyle: 'medium',
	timeStyle: 'medium'
});

function parse(iso: string | null | undefined): Date | null {
	if (!iso) return null;
	const d = new Date(iso);
	return Number.isNaN(d.getTime()) ? null : d;
}

/** "24 Nov 2026, 14:03"; `fallback` for null or unparsable input. */
export function formatDateTime(iso: string | null | undefined, fallback = '—'): string {
	const d = parse(iso);
	return d ? dateTime.format(d) : fallback;
}

/** With seconds, for the audit trail. */
export function formatPrecise(iso: string | null | undefined, fallback = '—'): string {
	const d = parse(iso);
	return d ? precise.format(d) : fallback;
}

export function formatDate(iso: string | null | undefined, fallback = '—'): string {
	const d = parse(iso);
	return d ? dateOnly.format(d) : fallback;
}

/** "2026-11-24" (a date input's value) -> the start of that day in local time, as RFC 3339. */
export function startOfLocalDay(date: string): string | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!m) return undefined;
	const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
	return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The start of the local day after `date`: the exclusive end of a range that includes `date`. */
export function endOfLocalDay(date: string): string | undefined {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
	if (!m) return undefined;
	const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
	return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Today as a date input's value ("2026-11-24"), in local time. */
export function todayInput(now: Date = new Date()): string {
	const y = now.getFullYear();
	const m = String(now.getMonth() + 1).padStart(2, '0');
	const d = String(now.getDate()).padStart(2, '0');
	return `${y}-${m}-${d}`;
}

/** A calendar date ("2026-11-29", no time zone) as people read it, never shifted a day by the zone. */
export function formatDay(ymd: string | null | undefined, fallback = '—'): string {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd ?? '');
	if (!m) return formatDate(ymd, fallback);
	return dateOnly.format(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}
