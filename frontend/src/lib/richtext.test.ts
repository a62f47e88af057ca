import { render } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import RichText from './components/RichText.svelte';
import { questionDomId } from './portal/portal';
import { hasMarkup, plainText, richHtml, sanitizeRichText } from './richtext';

/** The sanitised markup parsed into an inert fragment, to ask about elements and attributes. */
function dom(html: string): DocumentFragment {
	const t = document.createElement('template');
	t.innerHTML = sanitizeRichText(html);
	return t.content;
}

describe('sanitizeRichText', () => {
	it('removes scripts, event handlers, styles, frames and script URLs', () => {
		const out = sanitizeRichText(
			'Hi<script>window.__x=1</script><img src=x onerror="window.__x=1"><iframe src="https://evil.test"></iframe>' +
				'<style>body{display:none}</style><b style="color:red" onclick="alert(1)">bold</b>' +
				'<a href="javascript:alert(1)">js</a><a href=" JaVaScRiPt:alert(1)">js2</a><a href="data:text/html,x">data</a>' +
				'<svg><g onload="alert(1)"></g></svg><form action="https://evil.test"><input name=q></form>'
		);
		expect(out).not.toMatch(/script|onerror|onclick|onload|iframe|style|javascript|data:|<img|<svg|<form|<input/i);
		expect(out).toContain('<b>bold</b>');
		expect(out).toContain('Hi');
		const links = dom(out).querySelectorAll('a');
		expect(links).toHaveLength(3);
		links.forEach((a) => expect(a.hasAttribute('href')).toBe(false));
	});

	it('keeps the allowed subset and opens links safely in a new tab', () => {
		const f = dom('<p><i>italic</i> and <em>em</em><br>next <a href="https://example.test/x?a=1">guide</a> <a href="mailto:sec@example.test">mail</a></p><ul><li><code>x</code><sub>2</sub><sup>3</sup></li></ul>');
		expect(f.querySelector('p > i')?.textContent).toBe('italic');
		expect(f.querySelector('br')).not.toBeNull();
		expect(f.querySelector('ul > li > code')?.textContent).toBe('x');
		const [web, mail] = Array.from(f.querySelectorAll('a'));
		expect(web?.getAttribute('href')).toBe('https://example.test/x?a=1');
		expect(web?.getAttribute('target')).toBe('_blank');
		expect(web?.getAttribute('rel')).toBe('noopener noreferrer nofollow');
		expect(mail?.getAttribute('href')).toBe('mailto:sec@example.test');
	});

	it('defuses handlers only inside tags, never in the text', () => {
		expect(sanitizeRichText('<i>set onload=1</i><img/onerror=x><b\tonclick="y">b</b>')).toBe('<i>set onload=1</i><b>b</b>');
	});

	it('drops relative links and unknown attributes, as the server does', () => {
		const f = dom('<a href="/api/v1/users" title="t" id="x" class="c" data-x="1">in app</a><span>kept text</span>');
		const a = f.querySelector('a');
		expect(a?.attributes).toHaveLength(0);
		expect(f.textContent).toBe('in appkept text');
		expect(f.querySelector('span')).toBeNull();
	});
});

describe('richHtml and plainText', () => {
	it('treats prose with "<" as plain text, shown literally', () => {
		expect(hasMarkup('a < b and c > d')).toBe(false);
		expect(richHtml('a < b')).toBeNull();
		expect(plainText('a < b')).toBe('a < b');
		expect(hasMarkup('Use <i>this</i>')).toBe(true);
	});

	it('gives the words of markup for labels', () => {
		expect(plainText('<i>Describe</i> key rotation<br>in detail<script>x()</script>')).toBe('Describe key rotation\nin detail');
		expect(plainText('')).toBe('');
	});
});

describe('RichText', () => {
	it('renders plain text escaped with its line breaks', () => {
		const { container } = render(RichText, { text: 'a < b <3\n<not a tag' });
		const el = container.querySelector('.rich');
		expect(el?.textContent).toBe('a < b <3\n<not a tag');
		expect(el?.children).toHaveLength(0);
		expect(el?.classList.contains('plain')).toBe(true);
	});

	it('renders the safe subset as elements and never the rest', () => {
		const { container } = render(RichText, {
			text: 'Is <i>italic</i><br>ok?<img src=x onerror="window.__rt=1"><script>window.__rt=1</script>',
			as: 'div'
		});
		const el = container.querySelector('div.rich');
		expect(el?.querySelector('i')?.textContent).toBe('italic');
		expect(el?.querySelector('br')).not.toBeNull();
		expect(el?.querySelector('img, script')).toBeNull();
		expect((window as unknown as { __rt?: number }).__rt).toBeUndefined();
	});
});

describe('questionDomId', () => {
	it('makes a valid, unique id from any key and keeps simple keys readable', () => {
		expect(questionDomId('GOV-01')).toBe('q-GOV-01');
		const keys = ['A&A-01.1', 'IAM 01/2', 'Ключ-1', 'DSP-07#a?', 'A_26_A-01.1'];
		const ids = keys.map(questionDomId);
		expect(new Set(ids).size).toBe(keys.length);
		for (const id of ids) {
			expect(id).toMatch(/^q-[A-Za-z0-9_-]+$/);
			expect(() => document.querySelector(`#${id}`)).not.toThrow();
		}
	});
});
