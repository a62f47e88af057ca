// How the API's vocabulary values read to people: one place for vendor and request labels.
import type { Tone } from './components/badge';
import { statusLabel } from './components/badge';

const LABELS: Record<string, Record<string, string>> = {
	category: {
		saas: 'SaaS',
		cloud_infrastructure: 'Cloud infrastructure',
		professional_services: 'Professional services',
		hardware: 'Hardware',
		data_processor: 'Data processor',
		payment: 'Payment',
		other: 'Other'
	},
	data_type: {
		none: 'None',
		internal: 'Internal',
		confidential: 'Confidential',
		personal_data: 'Personal data',
		sensitive_personal_data: 'Sensitive personal data',
		health_data: 'Health data',
		payment_card_data: 'Payment card data',
		credentials_secrets: 'Credentials / secrets',
		customer_data: 'Customer data'
	},
	access_level: {
		none: 'No access',
		read_only: 'Read-only',
		read_write: 'Read and write',
		administrative: 'Administrative',
		network: 'Network access'
	},
	integration_method: {
		sso: 'Single sign-on (SSO)',
		api: 'API',
		file_transfer: 'File transfer',
		agent: 'Installed agent',
		none: 'None'
	},
	criticality: {
		low: 'Low',
		medium: 'Medium',
		high: 'High',
		critical: 'Critical'
	}
};

export type Vocabulary = keyof typeof LABELS;

/** "cloud_infrastructure" -> "Cloud infrastructure"; an unknown value reads as a sentence. */
export function label(vocabulary: Vocabulary, value: string): string {
	return LABELS[vocabulary]?.[value] ?? (value ? statusLabel(value) : '—');
}

export const categoryLabel = (v: string) => label('category', v);
export const dataTypeLabel = (v: string) => label('data_type', v);
export const accessLevelLabel = (v: string) => label('access_level', v);
export const integrationLabel = (v: string) => label('integration_method', v);
export const criticalityLabel = (v: string) => label('criticality', v);

/** Help for the data kinds, shown next to the checkboxes. */
export const DATA_TYPE_HELP: Record<string, string> = {
	none: 'It never sees our data.',
	internal: 'Everyday internal documents and messages.',
	confidential: 'Plans, contracts, financials: things that must not leak.',
	personal_data: 'Names, emails, phone numbers of people.',
	sensitive_personal_data: 'Health, beliefs, ethnicity, biometrics and similar.',
	health_data: 'Medical or health information.',
	payment_card_data: 'Card numbers or other payment card data.',
	credentials_secrets: 'Passwords, API keys, certificates.',
	customer_data: 'Data our customers entrust to us.'
};

export const INTEGRATION_HELP: Record<string, string> = {
	sso: 'People sign in with their company account.',
	api: 'It talks to our systems through an API.',
	file_transfer: 'Files are exchanged (uploads, SFTP, exports).',
	agent: 'Software is installed on our laptops or servers.',
	none: 'It stands alone.'
};

const CRITICALITY_TONES: Record<string, Tone> = {
	low: 'neutral',
	medium: 'info',
	high: 'warning',
	critical: 'danger'
};

export function criticalityTone(value: string): Tone {
	return CRITICALITY_TONES[value] ?? 'neutral';
}

/** "12,000" -> 12000; empty -> null; anything else that is not a whole number -> NaN. */
export function parseWhole(text: string): number | null {
	const clean = text.replace(/[\s,_']/g, '');
	if (clean === '') return null;
	if (!/^\d+$/.test(clean)) return Number.NaN;
	return Number(clean);
}

/** 135000 + "USD" -> "$135,000"; without a currency just the number. */
export function formatMoney(amount: number | null | undefined, currency: string, fallback = '—'): string {
	if (amount === null || amount === undefined) return fallback;
	if (/^[A-Z]{3}$/.test(currency)) {
		try {
			return new Intl.NumberFormat(undefined, {
				style: 'currency',
				currency,
				maximumFractionDigits: 0
			}).format(amount);
		} catch {
			// An ISO-shaped code the browser does not know: fall through.
		}
	}
	return `${amount.toLocaleString()}${currency ? ` ${currency}` : ''}`;
}

/** "https://www.acme.example/path" -> "acme.example/path" for display. */
export function displayUrl(url: string): string {
	return url.replace(/^https?:\/\//i, '').replace(/^www\./i, '').replace(/\/$/, '');
}

/** Only http(s) links are rendered as links; anything else would be a script URL risk. */
export function safeHref(url: string): string | undefined {
	return /^https?:\/\//i.test(url) ? url : undefined;
}
