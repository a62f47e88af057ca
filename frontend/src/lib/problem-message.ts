// What an error banner says first: what is wrong, in words. The server's problem titles are
// HTTP status phrases ("Unprocessable Entity", "Conflict"), which tell a person nothing; its
// per-field messages and detail do, so the banner leads with those.
import { ApiError } from './api';

export interface ProblemMessage {
	/** The banner's first line. */
	title: string;
	/** More, when there is more than the title says; '' otherwise. */
	detail: string;
}

const FIELD_NAMES: Record<string, string> = {
	owner_id: 'Owner',
	vendor_id: 'Vendor',
	parent_id: 'Parent contract',
	template_id: 'Questionnaire',
	external_id: 'External ID',
	url: 'URL',
	email: 'Email'
};

/** "annual_spend" -> "Annual spend", "contacts[0].email" -> "Contacts 1 email". */
export function problemFieldLabel(field: string): string {
	if (FIELD_NAMES[field]) return FIELD_NAMES[field];
	const words = field
		.replace(/\[(\d+)\]/g, (_, n: string) => ` ${Number(n) + 1} `)
		.split(/[._\s]+/)
		.filter(Boolean)
		.map((w, i, all) => (i === all.length - 1 && w === 'id' && all.length > 1 ? '' : w))
		.filter(Boolean)
		.join(' ');
	return words.charAt(0).toUpperCase() + words.slice(1);
}

// Server messages are written to follow the field's name ("is required", "must be a URL");
// others are sentences of their own and get a colon.
const PREDICATE = /^(is|are|was|were|must|may|can|cannot|can't|has|have|had|does|do|should|needs?|already|only|not)\b/;

/** One field's problem as a sentence: "Website must be a valid URL". */
export function fieldSentence(field: string, message: string): string {
	const label = problemFieldLabel(field);
	const m = message.trim().replace(/\.$/, '');
	if (!label) return capitalise(m);
	return PREDICATE.test(m) ? `${label} ${m}` : `${label}: ${m}`;
}

function capitalise(s: string): string {
	return s.charAt(0).toUpperCase() + s.slice(1);
}

// Details that only point at the field list, or are empty, add nothing once the title names them.
const POINTERS = [/see errors\.?$/i, /check the highlighted fields\.?$/i];

// What a status means to the person, for a problem that says nothing more.
const STATUS_WORDS: Record<number, string> = {
	400: 'The request could not be read. Reload the page and try again.',
	401: 'Your session has ended. Sign in again to continue.',
	403: 'You are not allowed to do this.',
	404: 'This could not be found: it may have been removed, or you may not have access to it.',
	409: 'Someone else changed this meanwhile. Reload to see their version.',
	413: 'That is larger than this form accepts.',
	415: 'That kind of file or content is not accepted here.',
	422: 'Some of what was entered is not valid.',
	429: 'Too many requests just now. Wait a moment and try again.'
};

function statusWords(status: number): string {
	if (STATUS_WORDS[status]) return STATUS_WORDS[status];
	if (status >= 500) return 'The server ran into a problem. Try again; if it keeps happening, tell your administrator.';
	return 'That did not work.';
}

/**
 * The banner's words for an error. With per-field errors the title names them ("2 fields need
 * attention: Name is required; Website must be a valid URL"), or only counts them when the
 * banner lists them below (`listed`). Otherwise the problem's detail is the title. The HTTP
 * status phrase is never used.
 */
export function problemMessage(error: unknown, options: { listed?: boolean } = {}): ProblemMessage {
	if (!(error instanceof ApiError)) {
		const message = error instanceof Error ? error.message : '';
		return { title: 'Something went wrong', detail: message || 'An unexpected error occurred.' };
	}
	const detail = POINTERS.some((re) => re.test(error.detail)) ? '' : error.detail.trim();
	const fields = Object.entries(error.fieldErrors);
	if (fields.length > 0) {
		const sentences = fields.map(([f, m]) => fieldSentence(f, m));
		const count = fields.length === 1 ? '1 field needs attention' : `${fields.length} fields need attention`;
		if (options.listed) return { title: count, detail };
		if (fields.length === 1) return { title: sentences[0]!, detail };
		const shown = sentences.slice(0, 3).join('; ');
		const more = fields.length > 3 ? `; and ${fields.length - 3} more` : '';
		return { title: `${count}: ${shown}${more}`, detail };
	}
	if (detail) return { title: detail, detail: '' };
	return { title: statusWords(error.status), detail: '' };
}
