// The company's name vendors see in the portal and in mails, set in Settings beside the logo.
import { get, put } from '../api';

export interface Organization {
	/** The name vendors see: the one set in Settings, else `default_name`. */
	name: string;
	/** False while no name was set and the server's --org-name option stands. */
	set: boolean;
	default_name: string;
	version: number;
	updated_at: string | null;
}

/** Longest name the server takes, in characters. */
export const MAX_ORG_NAME = 200;

export function getOrganization(): Promise<Organization> {
	return get<Organization>('/settings/organization');
}

export function saveOrganization(name: string, version: number): Promise<Organization> {
	return put<Organization>('/settings/organization', { name, version });
}

/** Why a name will not do, before sending it; null when it may. */
export function orgNameProblem(name: string): string | null {
	const trimmed = name.trim();
	if (trimmed === '') return 'Enter the company’s name.';
	if (/[\r\n\u2028\u2029]/.test(trimmed)) return 'Use one line.';
	if (Array.from(trimmed).length > MAX_ORG_NAME) return `Use at most ${MAX_ORG_NAME} characters.`;
	return null;
}

/** A 409's `current`, when it is the stored organization. */
export function isOrganization(v: unknown): v is Organization {
	return typeof v === 'object' && v !== null && 'name' in v && 'version' in v && 'set' in v;
}
