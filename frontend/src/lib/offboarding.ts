// A vendor's offboarding checklist: built when offboarding starts from the
// vendor's integration methods and contracts, worked step by step, signed
// off to terminate the vendor.
import { get, patch, post, type RequestOptions } from './api';

export type OffboardingItemKind =
	| 'revoke_access'
	| 'data_return'
	| 'destruction_certificate'
	| 'contract_exit'
	| 'close_findings'
	| 'sign_off';

export type OffboardingItemStatus = 'open' | 'done' | 'waived';

export interface PersonRef {
	id: string;
	name: string;
	email: string;
}

export interface OffboardingItem {
	id: string;
	position: number;
	kind: OffboardingItemKind;
	title: string;
	detail: string;
	/** YYYY-MM-DD; '' when the step has no date. */
	due_on: string;
	due_rule: string;
	overdue: boolean;
	/** 'no_confirmed_term' on a data return no confirmed contract term dates. */
	flag: string;
	term_quote: string;
	contract_id: string | null;
	contract_status: string;
	evidence_id: string | null;
	/** What counts: done also when the step completed itself (`auto`). */
	status: OffboardingItemStatus;
	stored_status: OffboardingItemStatus;
	auto: boolean;
	open_findings: number;
	open_exceptions: number;
	waived_reason: string;
	note: string;
	done_by: PersonRef | null;
	done_at: string | null;
	version: number;
}

export interface Offboarding {
	id: string;
	vendor_id: string;
	status: 'open' | 'completed' | 'cancelled';
	previous_status: string;
	started_by: PersonRef | null;
	started_at: string;
	signed_off_by: PersonRef | null;
	signed_off_at: string | null;
	cancelled_at: string | null;
	done: number;
	total: number;
	ready: boolean;
	blocking: string[];
	items: OffboardingItem[];
	version: number;
}

export interface ItemChange {
	version: number;
	status?: OffboardingItemStatus;
	reason?: string;
	note?: string;
	evidence_id?: string;
}

const base = (vendorId: string) => `/vendors/${encodeURIComponent(vendorId)}/offboarding`;

export function getOffboarding(vendorId: string, options?: RequestOptions): Promise<Offboarding> {
	return get(base(vendorId), options);
}

export function startOffboarding(vendorId: string): Promise<Offboarding> {
	return post(base(vendorId), {});
}

export function updateOffboardingItem(vendorId: string, itemId: string, change: ItemChange): Promise<Offboarding> {
	return patch(`${base(vendorId)}/items/${encodeURIComponent(itemId)}`, change);
}

export function signOffOffboarding(vendorId: string, version: number): Promise<Offboarding> {
	return post(`${base(vendorId)}/sign-off`, { version });
}

export function cancelOffboarding(vendorId: string, version: number): Promise<Offboarding> {
	return post(`${base(vendorId)}/cancel`, { version });
}

/** "4 of 7 done" */
export function progressText(o: Pick<Offboarding, 'done' | 'total'>): string {
	return `${o.done} of ${o.total} done`;
}

/** Why sign-off is not possible yet, or '' when it is. */
export function signOffBlocker(o: Offboarding): string {
	if (o.status !== 'open') return `This offboarding is ${o.status}.`;
	if (o.ready) return '';
	const n = o.blocking.length;
	return `${n} ${n === 1 ? 'step is' : 'steps are'} still open: ${o.blocking.join('; ')}.`;
}
