// Webhook endpoints and their delivery log (admins; docs/webhooks.md).
import type { Tone } from './components/badge';
import { del, get, patch, post, type ListPage, type RequestOptions } from './api';

export interface WebhookEndpoint {
	id: string;
	url: string;
	description: string;
	events: string[];
	active: boolean;
	allow_private: boolean;
	disabled_reason: string;
	disabled_at: string | null;
	consecutive_failures: number;
	last_delivery_at: string | null;
	counts: Record<DeliveryStatus, number>;
	version: number;
	created_at: string;
	updated_at: string;
	/** Only in the answer that creates the endpoint or rotates its secret. */
	secret?: string;
}

export interface WebhookEventType {
	type: string;
	label: string;
	description: string;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
	pending: 'Pending',
	delivered: 'Delivered',
	failed: 'Failed'
};

export function deliveryTone(s: DeliveryStatus): Tone {
	return s === 'delivered' ? 'success' : s === 'failed' ? 'danger' : 'warning';
}

export interface WebhookDelivery {
	id: string;
	event_id: string;
	event_type: string;
	status: DeliveryStatus;
	attempts: number;
	next_attempt_at: string | null;
	last_status_code: number;
	last_error: string;
	delivered_at: string | null;
	created_at: string;
}

export interface WebhookAttempt {
	at: string;
	instance: string;
	status_code: number;
	error: string;
	response: string;
	duration_ms: number;
}

export interface WebhookDeliveryDetail extends WebhookDelivery {
	payload: unknown;
	log: WebhookAttempt[];
}

export interface WebhookFields {
	url: string;
	description: string;
	events: string[];
	active?: boolean;
	allow_private: boolean;
}

const base = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

export function listWebhooks(options?: RequestOptions): Promise<ListPage<WebhookEndpoint>> {
	return get<ListPage<WebhookEndpoint>>('/webhooks', { ...options, query: { limit: 200 } });
}

export function listWebhookEventTypes(): Promise<{ items: WebhookEventType[] }> {
	return get<{ items: WebhookEventType[] }>('/webhooks/event-types');
}

export function createWebhook(body: WebhookFields): Promise<WebhookEndpoint> {
	return post<WebhookEndpoint>('/webhooks', body);
}

export function getWebhook(id: string, options?: RequestOptions): Promise<WebhookEndpoint> {
	return get<WebhookEndpoint>(base(id), options);
}

export function updateWebhook(id: string, body: Partial<WebhookFields> & { version: number }): Promise<WebhookEndpoint> {
	return patch<WebhookEndpoint>(base(id), body);
}

export function deleteWebhook(id: string): Promise<void> {
	return del(base(id));
}

export function rotateWebhookSecret(id: string): Promise<WebhookEndpoint> {
	return post<WebhookEndpoint>(`${base(id)}/secret`);
}

export function pingWebhook(id: string): Promise<{ event_id: string }> {
	return post<{ event_id: string }>(`${base(id)}/ping`);
}

export function listWebhookDeliveries(
	id: string,
	query: { status?: string; limit?: number; cursor?: string },
	options?: RequestOptions
): Promise<ListPage<WebhookDelivery>> {
	return get<ListPage<WebhookDelivery>>(`${base(id)}/deliveries`, {
		...options,
		query: { ...query, status: query.status || undefined }
	});
}

export function getWebhookDelivery(id: string, deliveryId: string): Promise<WebhookDeliveryDetail> {
	return get<WebhookDeliveryDetail>(`${base(id)}/deliveries/${encodeURIComponent(deliveryId)}`);
}

export function redeliverWebhook(id: string, deliveryId: string): Promise<WebhookDeliveryDetail> {
	return post<WebhookDeliveryDetail>(`${base(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`);
}

/** The label of an event type, or the type itself for one this app does not know. */
export function eventLabel(types: readonly WebhookEventType[], type: string): string {
	if (type === 'ping') return 'Test event';
	return types.find((t) => t.type === type)?.label ?? type;
}
