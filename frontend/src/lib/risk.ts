// The vendor's risk explanation (`GET /vendors/{id}/risk`) and the helpers its tab uses.
import { del, get, post, put, type RequestOptions } from './api';
import type { Vendor } from './vendors';

export interface RiskFactor {
	key: string;
	label: string;
	/** The codes scored ("read_only"); `text` says the same in words ("read-only"). */
	value: string;
	text?: string;
	points: number;
}

/** A factor's value as people read it (entries scored before labels existed have codes only). */
export function factorText(f: RiskFactor): string {
	return f.text || f.value.replace(/_/g, ' ');
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

/** A manual tier: who set it, why, and its last day. */
export interface TierOverride {
	tier: number;
	until: string;
	reason: string;
	set_by: { id: string; name: string; email: string } | null;
	set_at: string;
	/** False once `until` has passed: the computed tier applies again. */
	in_force: boolean;
}

export interface VendorRisk {
	vendor_id: string;
	model_version: number;
	inherent_score: number;
	residual_score: number;
	/** The effective tier: the override while in force. */
	tier: number;
	computed_tier: number;
	tier_override: TierOverride | null;
	/** "Tier set to 2 by Riley Chen until 2027-03-31: … (computed: 3)"; empty without an override. */
	tier_explanation: string;
	tier_name: string;
	likelihood: number;
	impact: number;
	likelihood_label: string;
	impact_label: string;
	factors: { inherent: RiskFactor[] | null; residual: RiskFactor[] | null };
	review_months: number;
	default_questionnaire: string;
	history: RiskHistoryEntry[] | null;
}

export function getVendorRisk(id: string, options?: RequestOptions): Promise<VendorRisk> {
	return get<VendorRisk>(`/vendors/${encodeURIComponent(id)}/risk`, options);
}

export function setTierOverride(id: string, body: { version: number; tier: number; until: string; reason: string }): Promise<Vendor> {
	return put<Vendor>(`/vendors/${encodeURIComponent(id)}/tier-override`, body);
}

export function clearTierOverride(id: string, version: number): Promise<Vendor> {
	return del<Vendor>(`/vendors/${encodeURIComponent(id)}/tier-override`, undefined, { version });
}

export const CAUSE_LABELS: Record<string, string> = {
	created: 'First scored',
	profile_edit: 'Profile edited',
	assessment_completed: 'Assessment completed',
	finding_opened: 'Finding opened',
	finding_closed: 'Finding closed',
	exception_granted: 'Exception granted',
	exception_expired: 'Exception expired',
	model_change: 'Risk model changed',
	tier_override_set: 'Tier overridden',
	tier_override_cleared: 'Tier override cleared',
	tier_override_expired: 'Tier override expired'
};

/** Why a score changed, in words: "profile_edit" -> "Profile edited". */
export function causeLabel(cause: string): string {
	const known = CAUSE_LABELS[cause];
	if (known) return known;
	const w = cause.replace(/_/g, ' ');
	return w.charAt(0).toUpperCase() + w.slice(1);
}

/** The matrix's steps when the model names none (the default model's words). */
export const DEFAULT_LIKELIHOOD = ['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain'];
export const DEFAULT_IMPACT = ['Negligible', 'Minor', 'Moderate', 'Major', 'Severe'];

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

// The risk model (`/settings/risk-model`): read by anyone with settings.read, previewed and
// published by admins.

export interface RiskBand {
	max: number | null;
	points: number;
}

export interface RiskTier {
	tier: number;
	name: string;
	min_score: number;
	review_months: number;
	default_questionnaire: string;
	/** As a review comes due: remind the vendor's owner (absent too), or start and send the reassessment. */
	reassessment?: 'remind' | 'start';
	/** Days before the next-review date to remind or start; absent or 0 is 30. */
	lead_days?: number;
}

export interface RiskModelLabels {
	data_types?: Record<string, string>;
	access_levels?: Record<string, string>;
	integration_methods?: Record<string, string>;
	criticalities?: Record<string, string>;
	likelihood?: string[];
	impact?: string[];
}

export interface RiskModel {
	version: number;
	data_types: Record<string, number>;
	extra_data_type_points: number;
	max_data_type_points: number;
	access_levels: Record<string, number>;
	integration_methods: Record<string, number>;
	max_integration_points: number;
	criticalities: Record<string, number>;
	annual_spend: RiskBand[];
	internal_users: RiskBand[];
	safe_regions: string[];
	other_region_points: number;
	tiers: RiskTier[];
	control_weight: number;
	finding_points: Record<string, number>;
	max_finding_points: number;
	remediation_days: Record<string, number>;
	labels?: RiskModelLabels;
}

/** A vendor the draft model would move: tier and inherent score, now and after. */
export interface TierChange {
	vendor_id: string;
	name: string;
	from: number;
	to: number;
	from_score: number;
	to_score: number;
}

export interface ModelPreview {
	vendors: number;
	/** Vendors whose tier changes. */
	changes: number;
	/** Vendors whose tier or inherent score changes (the sample lists the first 200 of them). */
	affected: number;
	sample: TierChange[];
}

/** One published version of the model, with the note its publisher gave. */
export interface ModelVersion {
	version: number;
	status: 'published' | 'retired';
	published_at: string | null;
	published_by: string;
	note: string;
}

export const MAX_CHANGE_NOTE = 2000;

export function getRiskModel(options?: RequestOptions): Promise<{ version: number; model: RiskModel }> {
	return get<{ version: number; model: RiskModel }>('/settings/risk-model', options);
}

export function previewRiskModel(model: RiskModel): Promise<ModelPreview> {
	return post<ModelPreview>('/settings/risk-model/preview', model);
}

export function publishRiskModel(model: RiskModel, changeNote: string): Promise<{ version: number; rescored: number }> {
	return post<{ version: number; rescored: number }>('/settings/risk-model', { ...model, change_note: changeNote });
}

export async function listModelVersions(options?: RequestOptions): Promise<ModelVersion[]> {
	return (await get<{ items: ModelVersion[] }>('/settings/risk-model/versions', options)).items;
}

/** The factor tables an admin edits, in the order the page shows them, with their labels key. */
export const FACTOR_TABLES = [
	{ key: 'data_types', title: 'Data handled', note: 'The most sensitive kind counts fully; each other sensitive kind adds the extra points.' },
	{ key: 'access_levels', title: 'Access to our systems', note: '' },
	{ key: 'integration_methods', title: 'Integration', note: 'Methods add up, to the maximum below.' },
	{ key: 'criticalities', title: 'Business criticality', note: '' }
] as const;

export type FactorTable = (typeof FACTOR_TABLES)[number]['key'];

/** The label of `code` in one of the model's tables, or the code made readable. */
export function modelLabel(model: RiskModel, table: FactorTable, code: string): string {
	return model.labels?.[table]?.[code] || code.replace(/_/g, ' ');
}
