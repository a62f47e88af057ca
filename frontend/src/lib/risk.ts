// The vendor's risk explanation (`GET /vendors/{id}/risk`) and the helpers its tab uses.
import { get, type RequestOptions } from './api';

export interface RiskFactor {
	key: string;
	label: string;
	value: string;
	points: number;
}

export interface RiskHistoryEntry {
	at: string;
	cause: string;
	model_version: number;
	inherent_score: number;
	residual_score: number;
	tier: number;
	changes: string[] | null;
}

export interface VendorRisk {
	vendor_id: string;
	model_version: number;
	inherent_score: number;
	residual_score: number;
	tier: number;
	tier_name: string;
	likelihood: number;
	impact: number;
	factors: { inherent: RiskFactor[] | null; residual: RiskFactor[] | null };
	review_months: number;
	default_questionnaire: string;
	history: RiskHistoryEntry[] | null;
}

export function getVendorRisk(id: string, options?: RequestOptions): Promise<VendorRisk> {
	return get<VendorRisk>(`/vendors/${encodeURIComponent(id)}/risk`, options);
}

/** "profile_change" -> "Profile change" */
export function causeLabel(cause: string): string {
	const w = cause.replace(/_/g, ' ');
	return w.charAt(0).toUpperCase() + w.slice(1);
}

export interface ChartPoint {
	x: number;
	y: number;
}

/**
 * Points of a line chart of `values` (0–100) in a `width` × `height` box with `pad` around it;
 * one value is drawn in the middle.
 */
export function linePoints(values: number[], width: number, height: number, pad = 8): ChartPoint[] {
	const n = values.length;
	const w = width - pad * 2;
	const h = height - pad * 2;
	return values.map((v, i) => ({
		x: pad + (n === 1 ? w / 2 : (w * i) / (n - 1)),
		y: pad + h - (Math.max(0, Math.min(100, v)) / 100) * h
	}));
}

export function pathOf(points: ChartPoint[]): string {
	return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
}
