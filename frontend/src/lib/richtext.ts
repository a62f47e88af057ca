// Question text and help may carry the small HTML subset that published questionnaires use
// (CAIQ and HECVAT cells with <i>, <b>, <br> and links). The server reduces imported text to that
// subset (app/questionnaire/richtext.go), but text can also arrive through the API or the
// editor, so it is never trusted as markup: it is sanitised here, with the same allowlist,
// right before it is rendered.
import DOMPurify from 'dompurify';

/** The server's allowlist (richPolicy in app/questionnaire/richtext.go). */
export const RICH_TAGS = ['b', 'strong', 'i', 'em', 'u', 'br', 'p', 'ul', 'ol', 'li', 'code', 'sub', 'sup', 'a'];

// Absolute http, https and mailto links only, as on the server (no relative or script URLs).
const LINK_RE = /^(?:https?:\/\/|mailto:)/i;

// The server's HasMarkup: a tag, not just a "<" in prose such as "a < b".
const TAG_RE = /<\/?[a-z][a-z0-9]*(\s[^<>]*)?\/?>/i;

/** Whether `s` holds an HTML tag, and so is rendered as markup rather than as text. */
export function hasMarkup(s: string): boolean {
	return TAG_RE.test(s);
}

let purifier: ReturnType<typeof DOMPurify> | null = null;

// One instance of our own, so that its hook never touches another use of DOMPurify.
function instance(): ReturnType<typeof DOMPurify> {
	if (purifier) return purifier;
	const p = DOMPurify(window);
	p.addHook('afterSanitizeAttributes', (node) => {
		if (node.nodeName !== 'A') return;
		const href = node.getAttribute('href');
		if (href !== null && !LINK_RE.test(href.trim())) node.removeAttribute('href');
		if (node.hasAttribute('href')) {
			// Links leave the app: no opener, no referrer (a portal URL carries its token).
			node.setAttribute('target', '_blank');
			node.setAttribute('rel', 'noopener noreferrer nofollow');
		}
	});
	purifier = p;
	return p;
}

// Chrome checks the page's CSP while DOMParser builds DOMPurify's inert copy and logs a blocked
// "inline event handler" for each on* attribute, though nothing runs (cure53/DOMPurify#107).
// Renaming them inside tags first keeps the console quiet; DOMPurify still drops what remains.
function defuseHandlers(html: string): string {
	return html.replace(/<[a-z][^<>]*>/gi, (tag) => tag.replace(/([\s/"'])on(?=[a-z]+\s*=)/gi, '$1data-defused-on'));
}

/** `html` reduced to the allowed subset, as an HTML string safe to insert. */
export function sanitizeRichText(html: string): string {
	return instance().sanitize(defuseHandlers(html), {
		ALLOWED_TAGS: RICH_TAGS,
		ALLOWED_ATTR: ['href'],
		ALLOWED_URI_REGEXP: LINK_RE,
		ALLOW_DATA_ATTR: false,
		ALLOW_ARIA_ATTR: false,
		RETURN_TRUSTED_TYPE: false
	});
}

/** The HTML to render for question text, or null when it is plain text to show as it is. */
export function richHtml(text: string | null | undefined): string | null {
	if (!text || !hasMarkup(text)) return null;
	return sanitizeRichText(text);
}

/** The words of question text without markup, for labels, titles and other plain places. */
export function plainText(text: string | null | undefined): string {
	if (!text) return '';
	if (!hasMarkup(text)) return text;
	// A <template>'s content is inert: nothing in it loads or runs while it is read.
	const t = document.createElement('template');
	t.innerHTML = sanitizeRichText(text.replace(/<br\s*\/?>/gi, '\n'));
	return (t.content.textContent ?? '').trim();
}
