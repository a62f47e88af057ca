// Typed calls and types for the vendor register: list, detail, edit, archive, duplicates,
// activity, export and import. Pages call these, never raw paths.
import type { CustomValues } from './custom-fields';
import {
	apiUrl,
	get,
	patch,
	post,
	upload,
	type ListPage,
	type QueryValue,
	type RequestOptions
} from './api';
import type { AuditEvent } from './identity';

export const VENDOR_STATUSES = [
	'proposed',
	'in_review',
	'approved',
	'active',
	'offboarding',
	'terminated',
	'rejected'
] as const;
export const CATEGORIES = [
	'saas',
	'cloud_infrastructure',
	'professional_services',
	'hardware',
	'data_processor',
	'payment',
	'other'
] as const;
export const DATA_TYPES = [
	'none',
	'internal',
	'confidential',
	'personal_data',
	'sensitive_personal_data',
	'health_data',
	'payment_card_data',
	'credentials_secrets',
	'customer_data'
] as const;
export const ACCESS_LEVELS = ['none', 'read_only', 'read_write', 'administrative', 'network'] as const;
export const INTEGRATION_METHODS = ['sso', 'api', 'file_transfer', 'agent', 'none'] as const;
export const CRITICALITIES = ['low', 'medium', 'high', 'critical'] as const;

export interface OwnerRef {
	id: string;
	name: string;
	email: string;
}

export interface VendorSummary {
	/** Custom field values by key (see Settings → Custom fields). */
	custom_fields: CustomValues;
	id: string;
	name: string;
	legal_name: string;
	website: string;
	domain: string;
	category: string;
	status: string;
	owner: OwnerRef | null;
	department: string;
	data_types: string[];
	access_level: string;
	integration_methods: string[];
	hosting_regions: string[];
	annual_spend: number;
	currency: string;
	internal_users: number;
	criticality: string;
	tags: string[];
	/** The business units the vendor belongs to. */
	business_unit_ids: string[];
	external_id: string | null;
	archived_at: string | null;
	/** Risk tier 1–4 and scores (from the scoring engine); the next review from the tier's cadence. */
	tier?: number | null;
	/** The tier the risk model gives; `tier` is the manual override while one is in force. */
	computed_tier?: number | null;
	/** Last day of the manual tier in force ("" when none). */
	tier_override_until?: string;
	inherent_score?: number | null;
	residual_score?: number | null;
	next_review_on?: string | null;
	/** Required evidence kinds of the tier missing or expired (0: none). */
	evidence_gaps?: number;
	version: number;
	created_at: string;
	updated_at: string;
}

export interface Contact {
	id?: string;
	name: string;
	email: string;
	role: string;
	phone: string;
}

/** A fourth party: another vendor in the register (`vendor_id`) or just a name. */
export interface Subprocessor {
	id?: string;
	vendor_id: string | null;
	name: string;
	purpose: string;
	/** The data it handles for this vendor (the data-type vocabulary). */
	data_types: string[];
	/** Where it handles it (free text: countries, regions, cities). */
	locations: string[];
}

export interface Vendor extends VendorSummary {
	description: string;
	/** The statuses this vendor may move to next. */
	next_statuses: string[];
	contacts: Contact[];
	subprocessors: Subprocessor[];
	/** The latest offboarding in brief (only on the vendor's own page; null when never offboarded). */
	offboarding?: { id: string; status: 'open' | 'completed' | 'cancelled'; done: number; total: number; ready: boolean } | null;
	/** The DORA register's fields (PATCH /vendors/{id}/dora). */
	lei: string;
	dora_country: string;
	dora_person_type: string;
	dora_parent_lei: string;
	dora_intra_group: boolean;
}

/** What create and update accept; update takes any subset plus `version`. */
export interface VendorInput {
	custom_fields?: Record<string, unknown>;
	name?: string;
	legal_name?: string;
	website?: string;
	description?: string;
	category?: string;
	status?: string;
	owner_id?: string;
	department?: string;
	unit?: string;
	data_types?: string[];
	access_level?: string;
	integration_methods?: string[];
	hosting_regions?: string[];
	annual_spend?: number;
	currency?: string;
	internal_users?: number;
	criticality?: string;
	tags?: string[];
	business_unit_ids?: string[];
	external_id?: string;
	contacts?: Omit<Contact, 'id'>[];
	subprocessors?: Omit<Subprocessor, 'id'>[];
}

export interface VendorOptions {
	categories: string[];
	statuses: string[];
	transitions: Record<string, string[]>;
	data_types: string[];
	access_levels: string[];
	integration_methods: string[];
	criticalities: string[];
}

export interface VendorRef {
	id: string;
	name: string;
	website: string;
}

/** The API's list parameters (comma-separated lists, `archived` as "true"). */
export type VendorQuery = Record<string, QueryValue>;

export function listVendors(query: VendorQuery, options?: RequestOptions): Promise<ListPage<VendorSummary>> {
	return get<ListPage<VendorSummary>>('/vendors', { ...options, query });
}

export function getVendor(id: string, options?: RequestOptions): Promise<Vendor> {
	return get<Vendor>(`/vendors/${encodeURIComponent(id)}`, options);
}

export function createVendor(body: VendorInput & { confirm_duplicate?: boolean }): Promise<Vendor> {
	return post<Vendor>('/vendors', body);
}

export function updateVendor(id: string, body: VendorInput & { version: number }): Promise<Vendor> {
	return patch<Vendor>(`/vendors/${encodeURIComponent(id)}`, body);
}

export function archiveVendor(id: string, version: number): Promise<Vendor> {
	return post<Vendor>(`/vendors/${encodeURIComponent(id)}/archive`, { version });
}

export function restoreVendor(id: string, version: number): Promise<Vendor> {
	return post<Vendor>(`/vendors/${encodeURIComponent(id)}/restore`, { version });
}

export function vendorActivity(
	id: string,
	query: { limit?: number; cursor?: string },
	options?: RequestOptions
): Promise<ListPage<AuditEvent>> {
	return get<ListPage<AuditEvent>>(`/vendors/${encodeURIComponent(id)}/activity`, { ...options, query });
}

let optionsCache: Promise<VendorOptions> | null = null;

/** The vocabularies and status moves; asked once per page load. */
export function vendorOptions(): Promise<VendorOptions> {
	optionsCache ??= get<VendorOptions>('/vendors/options').catch((err: unknown) => {
		optionsCache = null;
		throw err;
	});
	return optionsCache;
}

export function findDuplicates(
	query: { name?: string; website?: string; exclude_id?: string },
	options?: RequestOptions
): Promise<{ items: VendorRef[] }> {
	return get<{ items: VendorRef[] }>('/vendors/duplicates', {
		...options,
		query: { name: query.name || undefined, website: query.website || undefined, exclude_id: query.exclude_id || undefined }
	});
}

/** Link that downloads every vendor matching `query` (the browser sends the cookie). */
export function vendorExportUrl(format: 'csv' | 'xlsx', query: VendorQuery): string {
	const { limit: _limit, cursor: _cursor, ...rest } = query;
	return apiUrl(`/vendors/export.${format}`, rest);
}

// --- import ---

export type ImportAction = 'create' | 'update' | 'unchanged' | 'error';

export interface ImportCellError {
	column: string;
	message: string;
}

export interface ImportRow {
	row: number;
	action: ImportAction;
	vendor_id?: string;
	name: string;
	changes?: string[];
	errors?: ImportCellError[];
}

export interface ImportResult {
	dry_run: boolean;
	committed: boolean;
	rows: number;
	created: number;
	updated: number;
	unchanged: number;
	failed: number;
	ignored_columns: string[];
	items: ImportRow[];
}

export interface ImportProgress {
	onprogress?: (loaded: number, total: number) => void;
	onsent?: () => void;
	signal?: AbortSignal;
}

/** Checks (`dryRun`) or imports a CSV/XLSX file; a failing import throws a 422 carrying `import`. */
export function importVendors(file: File, dryRun: boolean, progress: ImportProgress = {}): Promise<ImportResult> {
	const form = new FormData();
	form.append('file', file, file.name);
	return upload<ImportResult>('/vendors/import', form, {
		...progress,
		query: { dry_run: dryRun ? 'true' : 'false' }
	});
}

/** A subprocessor as the register depends on it: a vendor of the register, or a name. */
export interface FourthParty {
	/** The vendor's id when it is in the register, else `name:` and its name lowercased. */
	id: string;
	name: string;
	vendor_id: string | null;
	vendor_tier: number | null;
	/** Current vendors naming it as a subprocessor, and of those the tier 1 or critical ones. */
	dependents: number;
	critical_dependents: number;
	data_types: string[];
	/** Where it handles the data, across its links. */
	locations: string[];
	purposes: string[];
	/** The dependents, most critical first (at most 25). */
	vendors: { id: string; name: string; tier: number; criticality: string; purpose: string }[];
}

export const FOURTH_PARTY_MINIMUMS = ['2', '3', '5', '10'] as const;

export function listFourthParties(
	query: { min_dependents?: string; sort?: string; limit: number; cursor?: string },
	options?: RequestOptions
): Promise<ListPage<FourthParty>> {
	return get<ListPage<FourthParty>>('/vendors/fourth-parties', { ...options, query });
}

/** One subprocessor in a vendor's supply chain (rank 2: the vendor's own; 3: theirs …). */
export interface ChainLink {
	rank: number;
	parent_id: string;
	name: string;
	purpose: string;
	vendor_id: string | null;
	status: string;
	data_types: string[];
	hosting_regions: string[];
	/** True when the link records none itself and the value is the linked vendor's own record. */
	data_types_from_record: boolean;
	hosting_regions_from_record: boolean;
	repeat: boolean;
}

export function getSupplyChain(id: string, options?: RequestOptions): Promise<{ vendor_id: string; max_rank: number; links: ChainLink[] }> {
	return get(`/vendors/${encodeURIComponent(id)}/supply-chain`, options);
}
