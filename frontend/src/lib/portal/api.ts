// The portal's calls: every one is under /api/v1/portal/{token} and needs no session.
import { del, get, patch, post, put, upload, type UploadOptions } from '../api';
import type { AnswerValue, Delegation, PortalFile, PortalView } from './portal';

const base = (token: string) => `/portal/${encodeURIComponent(token)}`;

export function getPortal(token: string): Promise<PortalView> {
	return get<PortalView>(base(token));
}

/** Saves the answer; `comment` is sent only when given, so a value alone keeps the saved comment. */
export function saveAnswer(token: string, key: string, value: AnswerValue, comment?: string): Promise<PortalView> {
	const body = comment === undefined ? { value } : { value, comment };
	return put<PortalView>(`${base(token)}/answers/${encodeURIComponent(key)}`, body);
}

export function submitPortal(token: string): Promise<PortalView> {
	return post<PortalView>(`${base(token)}/submit`);
}

export function uploadEvidence(
	token: string,
	key: string,
	file: File,
	options: UploadOptions = {}
): Promise<PortalFile> {
	const form = new FormData();
	form.append('question_key', key);
	form.append('file', file);
	return upload<PortalFile>(`${base(token)}/files`, form, options);
}

export function fileUrl(token: string, id: string): string {
	return `/api/v1${base(token)}/files/${encodeURIComponent(id)}`;
}

/** Takes back a file the vendor attached; answers with the questionnaire as it now stands. */
export function removeFile(token: string, id: string): Promise<PortalView> {
	return del<PortalView>(`${base(token)}/files/${encodeURIComponent(id)}`);
}

export function listDelegations(token: string): Promise<{ items: Delegation[] }> {
	return get<{ items: Delegation[] }>(`${base(token)}/delegations`);
}

/** Shares sections with a colleague, who is mailed a link of their own. */
export function delegate(
	token: string,
	body: { name: string; email: string; sections: string[]; message: string }
): Promise<Delegation> {
	return post<Delegation>(`${base(token)}/delegations`, body);
}

export function changeDelegation(token: string, id: string, sections: string[], version: number): Promise<Delegation> {
	return patch<Delegation>(`${base(token)}/delegations/${encodeURIComponent(id)}`, { sections, version });
}

export function revokeDelegation(token: string, id: string): Promise<void> {
	return del<void>(`${base(token)}/delegations/${encodeURIComponent(id)}`);
}
