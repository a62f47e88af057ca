// `GET /dashboard` and the shaping its page needs (the 5x5 matrix as rows).
import { get, type RequestOptions } from '../api';

export interface Count {
	key: string;
	n: number;
}

export interface Dashboard {
	vendors: number;
	by_tier: Count[] | null;
	by_status: Count[] | null;
	matrix: { likelihood: number; impact: number; n: number }[] | null;
	findings_by_severity: Count[] | null;
	findings_by_age: Count[] | null;
	overdue_reviews: number;
	due_soon_reviews: number;
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
