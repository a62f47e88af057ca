// The conversation on one question of an assessment, between the reviewers and the vendor.
// Staff reach it under /assessments/{id}, the vendor under its portal link; bodies are plain
// text and are always shown as text.
import { get, post, upload } from '../api';

/** Longest message the server takes, in characters. */
export const MAX_MESSAGE = 5000;

export interface ThreadFile {
	id: string;
	filename: string;
	size: number;
	/** Staff only: where the file downloads. */
	url?: string;
}

export interface ThreadMessage {
	id: string;
	author_kind: 'staff' | 'vendor';
	author_name: string;
	/** Staff only. */
	author_email?: string;
	body: string;
	files: ThreadFile[] | null;
	created_at: string;
}

export interface ThreadCount {
	total: number;
	unread: number;
}

const staffPath = (id: string, key: string) =>
	`/assessments/${encodeURIComponent(id)}/answers/${encodeURIComponent(key)}/messages`;
const portalPath = (token: string, key: string) =>
	`/portal/${encodeURIComponent(token)}/answers/${encodeURIComponent(key)}/messages`;

function form(body: string, file: File | null): FormData {
	const f = new FormData();
	f.append('body', body); // before the file: the server reads the parts in order
	if (file) f.append('file', file);
	return f;
}

export async function listMessages(id: string, key: string): Promise<ThreadMessage[]> {
	return (await get<{ items: ThreadMessage[] | null }>(staffPath(id, key))).items ?? [];
}

export function postMessage(id: string, key: string, body: string, file: File | null): Promise<ThreadMessage> {
	return upload<ThreadMessage>(staffPath(id, key), form(body, file));
}

/** Clears the caller's unread count on the question. */
export function markRead(id: string, key: string): Promise<void> {
	return post<void>(`${staffPath(id, key)}/read`);
}

export function messageFileUrl(id: string, fileId: string): string {
	return `/api/v1/assessments/${encodeURIComponent(id)}/message-files/${encodeURIComponent(fileId)}`;
}

export function postPortalMessage(token: string, key: string, body: string, file: File | null): Promise<ThreadMessage> {
	return upload<ThreadMessage>(portalPath(token, key), form(body, file));
}

export function portalMessageFileUrl(token: string, fileId: string): string {
	return `/api/v1/portal/${encodeURIComponent(token)}/message-files/${encodeURIComponent(fileId)}`;
}

/** Why a message cannot be sent yet, or null when it can. */
export function messageProblem(body: string, file: File | null): string | null {
	const text = body.trim();
	if (!text && !file) return 'Write a message or attach a file.';
	if ([...text].length > MAX_MESSAGE) return `A message can be at most ${MAX_MESSAGE.toLocaleString('en')} characters long.`;
	return null;
}

/** The review's badge for a question's thread: "3" or "1 new / 3"; '' without messages. */
export function threadBadge(count: ThreadCount | null | undefined): string {
	if (!count || count.total === 0) return '';
	const messages = `${count.total} message${count.total === 1 ? '' : 's'}`;
	return count.unread > 0 ? `${count.unread} new / ${messages}` : messages;
}
