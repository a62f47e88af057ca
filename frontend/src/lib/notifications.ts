// The bell, notification preferences and, for administrators, the mail delivery log.
import { get, post, put, type ListPage, type RequestOptions } from './api';

export type Channel = 'in_app' | 'email' | 'digest' | 'off';
export type MailMode = 'off' | 'on' | 'demo';
export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'held';

export interface Notification {
	id: string;
	kind: string;
	kind_label: string;
	title: string;
	body: string;
	link: string;
	object_type: string;
	object_id: string;
	read_at: string | null;
	created_at: string;
}

export function listNotifications(
	query: { unread?: boolean; limit?: number; cursor?: string },
	options?: RequestOptions
): Promise<ListPage<Notification>> {
	return get<ListPage<Notification>>('/notifications', {
		...options,
		query: { unread: query.unread ? 'true' : undefined, limit: query.limit, cursor: query.cursor }
	});
}

export function unreadCount(options?: RequestOptions): Promise<{ unread: number }> {
	return get<{ unread: number }>('/notifications/unread-count', options);
}

export function markRead(ids: string[] | 'all'): Promise<{ marked: number; unread: number }> {
	return post('/notifications/read', ids === 'all' ? { all: true } : { ids });
}

export interface Preference {
	kind: string;
	label: string;
	recipients: string;
	default: Channel;
	channel: Channel;
}

export interface Preferences {
	items: Preference[];
	channels: Channel[];
	mail_mode: MailMode;
}

export function getPreferences(options?: RequestOptions): Promise<Preferences> {
	return get<Preferences>('/notification-preferences', options);
}

export function savePreferences(prefs: { kind: string; channel: Channel }[]): Promise<Preferences> {
	return put<Preferences>('/notification-preferences', { preferences: prefs });
}

export const CHANNEL_LABELS: Record<Channel, string> = {
	in_app: 'In app',
	email: 'Email',
	digest: 'Daily digest',
	off: 'Off'
};

export const CHANNEL_HINTS: Record<Channel, string> = {
	in_app: 'The bell only',
	email: 'The bell and an email at once',
	digest: 'The bell and the next daily digest email',
	off: 'Nothing'
};

export interface MailSummary {
	id: string;
	kind: string;
	kind_label: string;
	to_email: string;
	to_name: string;
	subject: string;
	status: MailStatus;
	attempts: number;
	last_error: string;
	object_type: string;
	object_id: string;
	next_attempt_at: string;
	sent_at: string | null;
	created_at: string;
}

export interface MailDetail extends MailSummary {
	reply_to: string;
	text_body: string;
	html_body: string;
	message_id: string;
	thread_id: string;
	bounce: string;
	log: { instance: string; outcome: 'sent' | 'retry' | 'failed'; error: string; at: string }[];
}

export const MAIL_STATUSES: MailStatus[] = ['queued', 'sending', 'sent', 'failed', 'held'];

export const MAIL_STATUS_LABELS: Record<MailStatus, string> = {
	queued: 'Queued',
	sending: 'Sending',
	sent: 'Sent',
	failed: 'Failed',
	held: 'Held (demo)'
};

export function mailStatusTone(s: string): 'success' | 'danger' | 'warning' | 'info' | 'neutral' {
	switch (s) {
		case 'sent':
			return 'success';
		case 'failed':
			return 'danger';
		case 'held':
			return 'warning';
		case 'queued':
		case 'sending':
			return 'info';
	}
	return 'neutral';
}

export function listMail(
	query: { status?: string; limit?: number; cursor?: string },
	options?: RequestOptions
): Promise<ListPage<MailSummary>> {
	return get<ListPage<MailSummary>>('/mail', { ...options, query: { ...query, status: query.status || undefined } });
}

export function getMail(id: string, options?: RequestOptions): Promise<MailDetail> {
	return get<MailDetail>(`/mail/${encodeURIComponent(id)}`, options);
}

export function resendMail(id: string): Promise<MailDetail> {
	return post<MailDetail>(`/mail/${encodeURIComponent(id)}/resend`);
}

export interface Schedule {
	name: string;
	next_run_at: string;
	running: boolean;
	last_started_at: string | null;
	last_finished_at: string | null;
	last_error: string;
	runs: number;
}

export interface MailStatusReport {
	mode: MailMode;
	reason: string;
	counts: Record<MailStatus, number>;
	schedules: Schedule[];
}

export function getMailStatus(options?: RequestOptions): Promise<MailStatusReport> {
	return get<MailStatusReport>('/mail/status', options);
}

export interface ObjectMail {
	id: string;
	kind: string;
	kind_label: string;
	to_email: string;
	to_name: string;
	subject: string;
	status: MailStatus;
	last_error: string;
	bounce: string;
	sent_at: string | null;
	created_at: string;
}

export function assessmentMails(id: string, options?: RequestOptions): Promise<ListPage<ObjectMail>> {
	return get<ListPage<ObjectMail>>(`/assessments/${encodeURIComponent(id)}/mails`, options);
}

export function vendorBounces(id: string, options?: RequestOptions): Promise<ListPage<{ email: string; reason: string }>> {
	return get<ListPage<{ email: string; reason: string }>>(`/vendors/${encodeURIComponent(id)}/mail-bounces`, options);
}

/** A notice's link if it is a path in this app, else the notifications page: never another site. */
export function noticeHref(link: string): string {
	return /^\/(?![/\\])/.test(link) ? link : '/notifications';
}
