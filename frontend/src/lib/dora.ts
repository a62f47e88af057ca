// The DORA register of information: our entity's settings, the register's
// fields on vendors and contracts, the validation report and the export.
import { apiUrl, get, patch } from './api';

export interface DoraCode {
	code: string;
	label: string;
}

export interface DoraCodes {
	/** The register is on in Settings. */
	enabled: boolean;
	ict_service_types: DoraCode[];
	entity_types: DoraCode[];
	hierarchies: DoraCode[];
	termination_reasons: DoraCode[];
	yes_no: DoraCode[];
	yes_no_not_assessed: DoraCode[];
	sensitiveness: DoraCode[];
	reliance: DoraCode[];
	person_types: DoraCode[];
	impacts: DoraCode[];
	substitutability: DoraCode[];
	substitution_reasons: DoraCode[];
	reintegration: DoraCode[];
	licensed_activities: DoraCode[];
}

export interface DoraSettings {
	enabled: boolean;
	lei: string;
	name: string;
	country: string;
	entity_type: string;
	hierarchy: string;
	parent_lei: string;
	competent_authority: string;
	currency: string;
	total_assets: number;
	/** Our entity's branches (B_01.03). */
	branches: DoraBranch[];
	version: number;
}

/** A branch of our entity; its head office is our entity. */
export interface DoraBranch {
	code: string;
	name: string;
	country: string;
}

export interface DoraIssue {
	template: string;
	row: number;
	column: string;
	column_name: string;
	kind: string;
	message: string;
	record: { type: 'settings' | 'vendor' | 'contract'; id: string; name: string };
	field: string;
}

export interface DoraTemplateSummary {
	code: string;
	name: string;
	rows: number;
	issues: number;
}

export interface DoraReport {
	valid: boolean;
	date: string;
	templates: DoraTemplateSummary[];
	issues: DoraIssue[];
}

export type DoraValues = Record<string, string | number | boolean>;

/** How a field of the register is edited. */
export interface DoraField {
	name: string;
	label: string;
	kind: 'text' | 'lei' | 'country' | 'currency' | 'date' | 'number' | 'bool' | 'code';
	/** The closed set, for kind code. */
	list?: Exclude<keyof DoraCodes, 'enabled'>;
	help?: string;
}

export const getDoraCodes = (): Promise<DoraCodes> => get<DoraCodes>('/dora/codes');
export const getDoraSettings = (): Promise<DoraSettings> => get<DoraSettings>('/settings/dora');
export const saveDoraSettings = (body: DoraValues & { version: number }): Promise<DoraSettings> => patch<DoraSettings>('/settings/dora', body);
export const saveDoraBranches = (branches: DoraBranch[], version: number): Promise<DoraSettings> =>
	patch<DoraSettings>('/settings/dora', { branches, version });
export const getDoraReport = (): Promise<DoraReport> => get<DoraReport>('/dora/validation');
export const patchVendorDora = <T>(id: string, body: DoraValues & { version: number }): Promise<T> =>
	patch<T>(`/vendors/${encodeURIComponent(id)}/dora`, body);
export const patchContractDora = <T>(id: string, body: DoraValues & { version: number }): Promise<T> =>
	patch<T>(`/contracts/${encodeURIComponent(id)}/dora`, body);

/** The register as an xBRL-CSV report package (a ZIP); force exports a
 * register that has issues, with its validation report beside the package. */
export function doraRegisterUrl(force = false): string {
	return apiUrl('/dora/register.zip', force ? { force: 'true' } : undefined);
}

/** Where an issue is fixed in the web app: the record's DORA section. */
export function issueHref(issue: DoraIssue): string {
	switch (issue.record.type) {
		case 'vendor':
			return issue.field === 'subprocessors' ? `/vendors/${issue.record.id}/edit` : `/vendors/${issue.record.id}#dora`;
		case 'contract':
			return issue.field.startsWith('dora_') ? `/contracts/${issue.record.id}#dora` : `/contracts/${issue.record.id}/edit`;
		default:
			return '/settings/dora';
	}
}

/** The issues grouped by template, in the templates' order. */
export function groupIssues(report: DoraReport): { template: DoraTemplateSummary; issues: DoraIssue[] }[] {
	return report.templates
		.filter((t) => t.issues > 0)
		.map((t) => ({ template: t, issues: report.issues.filter((i) => i.template === t.code) }));
}

export const VENDOR_FIELDS: DoraField[] = [
	{ name: 'lei', label: 'LEI', kind: 'lei', help: 'ISO 17442 legal entity identifier, 20 characters' },
	{ name: 'dora_country', label: 'Headquarters country', kind: 'country' },
	{ name: 'dora_person_type', label: 'Type of person', kind: 'code', list: 'person_types' },
	{ name: 'dora_parent_lei', label: 'Ultimate parent’s LEI', kind: 'lei', help: 'Empty when the vendor is its own ultimate parent' },
	{ name: 'dora_intra_group', label: 'ICT intra-group service provider', kind: 'bool', help: 'A company of our group: its arrangements are also listed in B_03.03' }
];

export const CONTRACT_FIELDS: DoraField[] = [
	{ name: 'dora_in_scope', label: 'ICT arrangement in the DORA register', kind: 'bool' },
	{ name: 'dora_reference', label: 'Contractual arrangement reference number', kind: 'text' },
	{ name: 'dora_governing_law', label: 'Governing law (country)', kind: 'country' },
	{ name: 'dora_provider_notice_days', label: 'Provider’s notice period (days)', kind: 'number' },
	{ name: 'dora_termination_reason', label: 'Reason of termination', kind: 'code', list: 'termination_reasons' },
	{ name: 'dora_ict_service_type', label: 'Type of ICT service', kind: 'code', list: 'ict_service_types' },
	{ name: 'dora_function_id', label: 'Function identifier', kind: 'text', help: 'The same identifier on every contract supporting the function, e.g. F1' },
	{ name: 'dora_function_name', label: 'Function name', kind: 'text' },
	{ name: 'dora_licensed_activity', label: 'Licensed activity', kind: 'code', list: 'licensed_activities' },
	{ name: 'dora_criticality', label: 'Critical or important function', kind: 'code', list: 'yes_no_not_assessed' },
	{ name: 'dora_criticality_reason', label: 'Reasons for criticality', kind: 'text' },
	{ name: 'dora_criticality_assessed_on', label: 'Criticality last assessed on', kind: 'date' },
	{ name: 'dora_rto_hours', label: 'Recovery time objective (hours)', kind: 'number' },
	{ name: 'dora_rpo_hours', label: 'Recovery point objective (hours)', kind: 'number' },
	{ name: 'dora_function_impact', label: 'Impact of discontinuing the function', kind: 'code', list: 'impacts' },
	{ name: 'dora_stores_data', label: 'Stores data', kind: 'code', list: 'yes_no' },
	{ name: 'dora_storage_location', label: 'Data at rest in (country)', kind: 'country' },
	{ name: 'dora_processing_location', label: 'Data processed in (country)', kind: 'country' },
	{ name: 'dora_data_sensitiveness', label: 'Sensitiveness of the data', kind: 'code', list: 'sensitiveness' },
	{ name: 'dora_reliance', label: 'Level of reliance', kind: 'code', list: 'reliance' },
	{ name: 'dora_substitutability', label: 'Substitutability', kind: 'code', list: 'substitutability' },
	{ name: 'dora_substitution_reason', label: 'Why hard to substitute', kind: 'code', list: 'substitution_reasons' },
	{ name: 'dora_last_audit', label: 'Last audit of the provider', kind: 'date' },
	{ name: 'dora_exit_plan', label: 'Exit plan exists', kind: 'code', list: 'yes_no' },
	{ name: 'dora_reintegration', label: 'Reintegration possible', kind: 'code', list: 'reintegration' },
	{ name: 'dora_discontinuing_impact', label: 'Impact of discontinuing the service', kind: 'code', list: 'impacts' },
	{ name: 'dora_alternatives', label: 'Alternative providers identified', kind: 'code', list: 'yes_no_not_assessed' },
	{ name: 'dora_alternative_providers', label: 'Alternative providers', kind: 'text' }
];

export const SETTINGS_FIELDS: DoraField[] = [
	{ name: 'enabled', label: 'We are a financial entity under DORA', kind: 'bool' },
	{ name: 'lei', label: 'LEI', kind: 'lei', help: 'ISO 17442 legal entity identifier, 20 characters' },
	{ name: 'name', label: 'Legal name', kind: 'text' },
	{ name: 'country', label: 'Country', kind: 'country' },
	{ name: 'entity_type', label: 'Type of entity', kind: 'code', list: 'entity_types' },
	{ name: 'hierarchy', label: 'Place in the group', kind: 'code', list: 'hierarchies' },
	{ name: 'parent_lei', label: 'Direct parent’s LEI', kind: 'lei', help: 'Empty for an ultimate parent' },
	{ name: 'competent_authority', label: 'Competent authority', kind: 'text' },
	{ name: 'currency', label: 'Reporting currency', kind: 'currency' },
	{ name: 'total_assets', label: 'Total assets', kind: 'number' }
];
