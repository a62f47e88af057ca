// `GET /dashboard` and the shaping its page needs (the 5x5 matrix as rows).
import { get, type RequestOptions } from '../api';

export interface Count {
	key: string;
	n: number;
}

export interface Dashboard {
	vendors: number;
	/** Average of the vendors' current residual scores, over `scored_vendors`. */
	residual_average: number;
	scored_vendors: number;
	by_tier: Count[] | null;
	by_status: Count[] | null;
	matrix: { likelihood: number; impact: number; n: number }[] | null;
	findings_by_severity: Count[] | null;
	findings_by_age: Count[] | null;
	/** Incidents still open or contained, by severity. */
	open_incidents_by_severity?: Count[] | null;
	overdue_reviews: number;
	due_soon_reviews: number;
	/** Vendors missing required evidence of their tier, or holding it only expired. */
	evidence_gaps?: number;
	/** Per month, the average of each vendor's last score that month, over the `n` vendors scored in it. */
	residual_trend: { month: string; average: number; n: number }[] | null;
	my_requests: number;
	my_reviews: number;
	my_findings: number;
	overdue_findings: number;
	open_requests: number;
	completed_assessments_30d: number;
}

export function getDashboard(options?: RequestOptions): Promise<Dashboard> {
	return get<Dashboard>('/dashboard', options);
}

/** Rows of the heat map from likelihood 5 (top) to 1, each with impact 1..5; missing cells are 0. */
export function matrixRows(matrix: Dashboard['matrix']): { likelihood: number; cells: { impact: number; n: number }[] }[] {
	const at = new Map((matrix ?? []).map((c) => [`${c.likelihood}:${c.impact}`, c.n]));
	return [5, 4, 3, 2, 1].map((l) => ({
		likelihood: l,
		cells: [1, 2, 3, 4, 5].map((i) => ({ impact: i, n: at.get(`${l}:${i}`) ?? 0 }))
	}));
}

/** Severity band of a cell (0 low … 4 severe) from likelihood × impact. */
export function band(likelihood: number, impact: number): number {
	return Math.min(4, Math.floor((likelihood * impact - 1) / 5));
}

export function countOf(list: Count[] | null, key: string): number {
	return list?.find((c) => c.key === key)?.n ?? 0;
}

/** The vendor list filtered to one heat map cell. */
export function cellHref(likelihood: number, impact: number): string {
	return `/vendors?impact=${impact}&likelihood=${likelihood}&sort=-residual_score`;
}

/** A contract deadline from the calendar (`GET /calendar`). */
export interface Renewal {
	date: string;
	kind: 'cancel_by' | 'term_end';
	title: string;
	object_id: string;
	vendor_id: string;
	vendor_name: string;
}

/** The next contract cancel-by and term-end dates, soonest first. */
export async function upcomingRenewals(limit = 6, days = 180, options?: RequestOptions): Promise<Renewal[]> {
	const from = new Date();
	const to = new Date(from.getTime() + days * 86_400_000);
	const day = (d: Date) => d.toISOString().slice(0, 10);
	const res = await get<{ items: (Omit<Renewal, 'kind'> & { kind: string; object_type: string })[] }>('/calendar', {
		...options,
		query: { from: day(from), to: day(to) }
	});
	return res.items
		.filter((e): e is typeof e & { kind: Renewal['kind'] } => e.object_type === 'contract' && (e.kind === 'cancel_by' || e.kind === 'term_end'))
		.slice(0, limit)
		.map(({ date, kind, title, object_id, vendor_id, vendor_name }) => ({
			date,
			kind,
			title: contractTitle(title),
			object_id,
			vendor_id,
			vendor_name: vendor_name ?? ''
		}));
}

/** The calendar's "Cancel-by: Master services agreement" without its prefix. */
export function contractTitle(eventTitle: string): string {
	return eventTitle.replace(/^(Cancel-by|Term ends): /, '');
}
