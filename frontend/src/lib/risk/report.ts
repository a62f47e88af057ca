// The printable vendor risk report (`GET /vendors/{id}/report`): everything it shows in one call.
import { get, type RequestOptions } from '../api';
import type { RiskException, Finding } from '../findings';
import type { VendorRisk } from '../risk';
import type { Vendor } from '../vendors';

export interface ReportSection {
	key: string;
	title: string;
	score: number | null;
	counted: number;
	answered: number;
	visible: number;
}

/** A key term of a contract, when the contract carries its extracted terms. */
export interface ReportTerm {
	key?: string;
	label: string;
	value: string;
	found?: boolean;
}

export interface ReportContract {
	id: string;
	parent_id: string | null;
	title: string;
	type: string;
	status: string;
	effective_date: string;
	end_date: string;
	current_term_end: string;
	cancel_by: string;
	auto_renewal: boolean;
	value: number;
	currency: string;
	terms?: ReportTerm[] | null;
}

export interface VendorReport {
	vendor: Vendor;
	risk: VendorRisk;
	latest_assessment: {
		id: string;
		title: string;
		completed_at: string | null;
		effectiveness: number | null;
	} | null;
	assessment_sections: ReportSection[] | null;
	open_findings: Finding[];
	exceptions: RiskException[];
	contracts: ReportContract[];
	/** The review checklist of the vendor's newest SOC report, when it has one. */
	soc_review: {
		document_id: string;
		title: string;
		number: number;
		status: 'open' | 'completed';
		outcome: '' | 'passed' | 'accepted' | 'findings';
		explanation: string;
		completed_at: string | null;
	} | null;
	generated_at: string;
}

export function getVendorReport(id: string, options?: RequestOptions): Promise<VendorReport> {
	return get<VendorReport>(`/vendors/${encodeURIComponent(id)}/report`, options);
}

/** The factors that add points, largest first: the tier's reasons. */
export function reasons<T extends { points: number }>(factors: T[] | null): T[] {
	return [...(factors ?? [])].filter((f) => f.points > 0).sort((a, b) => b.points - a.points);
}

/** Terms worth printing: found ones with a value. */
export function printableTerms(c: ReportContract): ReportTerm[] {
	return (c.terms ?? []).filter((t) => t.found !== false && t.value);
}
