// Small helpers every form uses the same way: server field errors next to their fields,
// anything else in one banner, and focus on the first field that needs fixing.
import { tick } from 'svelte';
import { ApiError } from './api';

export type FieldErrors = Record<string, string>;

export interface SubmitFailure {
	/** Messages for fields the form shows. */
	fields: FieldErrors;
	/** What to show in the form's banner: the error, unless every message has a field to sit by. */
	banner: unknown;
}

/**
 * Splits a failed submit into messages for the form's own fields and a banner for the rest
 * (a 409, a 500, a network failure, or a field the form does not show).
 */
export function splitSubmitError(error: unknown, formFields: readonly string[]): SubmitFailure {
	if (!(error instanceof ApiError) || !error.isValidation) return { fields: {}, banner: error };
	const fields: FieldErrors = {};
	let unmatched = false;
	for (const [field, message] of Object.entries(error.fieldErrors)) {
		if (
			formFields.includes(field) ||
			formFields.includes(fieldPattern(field)) ||
			(field.startsWith('custom_fields.') && formFields.includes('custom_fields.*'))
		) {
			fields[field] = capitalise(message);
		} else unmatched = true;
	}
	return { fields, banner: unmatched || Object.keys(fields).length === 0 ? error : null };
}

/**
 * The shape of a server field path without its row numbers: "contacts[0].email" ->
 * "contacts[].email". Forms list the fields they show in this shape.
 */
export function fieldPattern(path: string): string {
	return path.replace(/\[\d+\]/g, '[]');
}

/** The message for `field` itself or for any item in it ("tags" also finds "tags[2]"). */
export function errorUnder(errors: FieldErrors, field: string): string | undefined {
	if (errors[field]) return errors[field];
	const prefix = `${field}[`;
	for (const [key, message] of Object.entries(errors)) {
		if (key.startsWith(prefix) && message) return message;
	}
	return undefined;
}

/**
 * After row `index` of the list `list` is removed, its messages go and the later rows'
 * messages move up one, so each message stays beside the row it was about.
 */
export function removeRowErrors(errors: FieldErrors, list: string, index: number): FieldErrors {
	const out: FieldErrors = {};
	const re = new RegExp(`^${list.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\[(\\d+)\\](.*)$`);
	for (const [key, message] of Object.entries(errors)) {
		const m = re.exec(key);
		if (!m) {
			out[key] = message;
			continue;
		}
		const i = Number(m[1]);
		if (i === index) continue;
		out[i > index ? `${list}[${i - 1}]${m[2]}` : key] = message;
	}
	return out;
}

/** Server messages read "is required"; beside a labelled field, "Is required" reads better. */
export function capitalise(message: string): string {
	return message.charAt(0).toUpperCase() + message.slice(1);
}

/** After the DOM shows the errors, moves focus to the first invalid control in `form`. */
export async function focusFirstInvalid(form: HTMLElement | undefined): Promise<void> {
	await tick();
	form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

/** Password rules the server enforces, checked early so the user hears about them sooner. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export function passwordProblem(password: string): string | null {
	const length = Array.from(password).length; // characters, not UTF-16 units
	if (length === 0) return 'Enter a new password.';
	if (length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
	if (length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
	return null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string): string | null {
	if (email.trim() === '') return 'Enter an email address.';
	if (!EMAIL.test(email.trim())) return 'Enter an email address like name@example.com.';
	return null;
}

// No look-alikes (0/O, 1/l/I) so a password read out or copied by hand survives.
const PASSWORD_ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random password from the browser's CSPRNG, without modulo bias. */
export function generatePassword(length = 20): string {
	const n = PASSWORD_ALPHABET.length;
	const limit = 256 - (256 % n); // bytes at or above this would favour the first letters
	let out = '';
	while (out.length < length) {
		const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
		for (const b of bytes) {
			if (b < limit && out.length < length) out += PASSWORD_ALPHABET[b % n];
		}
	}
	return out;
}
