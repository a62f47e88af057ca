// The portal's calls: every one is under /api/v1/portal/{token} and needs no session.
import { del, get, post, put, upload, type UploadOptions } from '../api';
import type { AnswerValue, PortalFile, PortalView } from './portal';

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
