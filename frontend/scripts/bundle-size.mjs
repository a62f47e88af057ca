// Prints the gzipped size of the JavaScript the browser loads up front: every script and
// modulepreload that dist/spa/index.html references. Fails above the budget.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 150;
const root = resolve(import.meta.dirname, '..', 'dist', 'spa');

let html;
try {
	html = readFileSync(join(root, 'index.html'), 'utf8');
} catch {
	console.error(`no build found at ${root}/index.html; run \`npm run build\` first`);
	process.exit(1);
}

/** @type {Set<string>} */
const files = new Set();
for (const m of html.matchAll(/<link\b[^>]*>/g)) {
	const tag = m[0];
	if (!/rel=["']?modulepreload/.test(tag)) continue;
	const href = /href=["']([^"']+)["']/.exec(tag)?.[1];
	if (href) files.add(href);
}
for (const m of html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["']/g)) {
	if (m[1]) files.add(m[1]);
}
// SvelteKit's inline bootstrap imports its entry points dynamically.
for (const m of html.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) {
	if (m[1]) files.add(m[1]);
}

let raw = 0;
let gzipped = 0;
for (const href of files) {
	const path = join(root, href.replace(/^\//, ''));
	const data = readFileSync(path);
	raw += data.length;
	gzipped += gzipSync(data, { level: 9 }).length;
}

/** @param {number} n */
const kb = (n) => (n / 1024).toFixed(1);
console.log(
	`initial JS: ${kb(gzipped)} KB gzipped (${kb(raw)} KB raw, ${files.size} files; budget ${BUDGET_KB} KB)`
);
if (gzipped > BUDGET_KB * 1024) {
	console.error(`initial JS is over the ${BUDGET_KB} KB budget`);
	process.exit(1);
}
