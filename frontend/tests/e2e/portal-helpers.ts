// Arranging assessments through the API and answering a portal the way a vendor would.
import type { APIRequestContext, Browser, BrowserContext, Page } from '@playwright/test';
import { apiAs, DEMO, expect } from './fixtures';

/** A small valid PDF, made here so no file ships with the tests. */
export function tinyPdf(): Buffer {
	return Buffer.from(
		'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
	);
}

export interface Arranged {
	vendorId: string;
	vendorName: string;
	templateId: string;
	reviewerId: string;
}

/** A vendor, Rampart Lite and Riley (risk manager) as reviewer. */
export async function arrange(request: APIRequestContext, vendorIndex = 3): Promise<Arranged> {
	const { user } = await apiAs(request, DEMO.risk.email);
	const vendors = await (await request.get('/api/v1/vendors', { params: { limit: 20, sort: 'name' } })).json();
	const vendor = vendors.items[vendorIndex] as { id: string; name: string };
	const templates = await (await request.get('/api/v1/questionnaire-templates')).json();
	const lite = (templates.items as { id: string; name: string; status: string }[]).find(
		(t) => t.name === 'Rampart Lite' && t.status === 'published'
	)!;
	return { vendorId: vendor.id, vendorName: vendor.name, templateId: lite.id, reviewerId: user.id };
}

/** Creates and sends an assessment through the API; returns its id and the portal path. */
export async function sentAssessment(request: APIRequestContext, vendorIndex = 3): Promise<{ id: string; path: string; vendorName: string }> {
	const a = await arrange(request, vendorIndex);
	const { csrf } = await apiAs(request, DEMO.risk.email);
	const due = new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10);
	const created = await request.post('/api/v1/assessments', {
		headers: { 'X-CSRF-Token': csrf },
		data: {
			vendor_id: a.vendorId,
			template_id: a.templateId,
			reviewer_id: a.reviewerId,
			due_date: due,
			contact_email: 'security@vendor.example',
			contact_name: 'Sam Vendor'
		}
	});
	expect(created.status(), await created.text()).toBe(201);
	const assessment = (await created.json()) as { id: string; version: number };
	const sent = await request.post(`/api/v1/assessments/${assessment.id}/send`, {
		headers: { 'X-CSRF-Token': csrf },
		data: { version: assessment.version }
	});
	expect(sent.status(), await sent.text()).toBe(200);
	const url = ((await sent.json()) as { portal_url: string }).portal_url;
	return { id: assessment.id, path: new URL(url).pathname, vendorName: a.vendorName };
}

/** A browser context with no cookies, on a phone, that fails on console errors. */
export async function vendorContext(browser: Browser, baseURL: string): Promise<{ context: BrowserContext; page: Page; problems: string[]; external: string[] }> {
	const context = await browser.newContext({
		baseURL,
		viewport: { width: 390, height: 844 },
		isMobile: true,
		hasTouch: true
	});
	const page = await context.newPage();
	const problems: string[] = [];
	const external: string[] = [];
	const origin = new URL(baseURL).origin;
	page.on('console', (msg) => {
		if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`${msg.type()}: ${msg.text()}`);
	});
	page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
	page.on('request', (req) => {
		const u = new URL(req.url());
		if (u.origin !== origin) external.push(req.url());
		if (u.pathname.startsWith('/api/') && !u.pathname.startsWith('/api/v1/portal/')) external.push(req.url());
	});
	return { context, page, problems, external };
}

/** Answers every visible, unanswered question (first choice, 42, text, a PDF), until none is left. */
export async function answerAll(page: Page): Promise<void> {
	for (let pass = 0; pass < 4; pass++) {
		let changed = false;
		const questions = page.getByTestId('question');
		const n = await questions.count();
		for (let i = 0; i < n; i++) {
			const q = questions.nth(i);
			const radios = q.locator('input[type=radio]');
			const boxes = q.locator('input[type=checkbox]');
			const select = q.locator('select');
			const file = q.locator('input[type=file]');
			const text = q.locator('input[type=text], textarea');
			const date = q.locator('input[type=date]');
			if ((await radios.count()) > 0) {
				if ((await q.locator('input[type=radio]:checked').count()) === 0) {
					await radios.first().check();
					changed = true;
				}
			} else if ((await boxes.count()) > 0) {
				if ((await q.locator('input[type=checkbox]:checked').count()) === 0) {
					await boxes.first().check();
					changed = true;
				}
			} else if ((await select.count()) > 0) {
				if ((await select.inputValue()) === '') {
					await select.selectOption({ index: 1 });
					changed = true;
				}
			} else if ((await file.count()) > 0) {
				if ((await q.getByRole('link').count()) === 0) {
					await file.setInputFiles({ name: 'evidence.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
					await expect(q.getByRole('link', { name: 'evidence.pdf' })).toBeVisible();
					changed = true;
				}
			} else if ((await date.count()) > 0) {
				if ((await date.inputValue()) === '') {
					await date.fill(new Date().toISOString().slice(0, 10));
					changed = true;
				}
			} else if ((await text.count()) > 0) {
				if ((await text.inputValue()) === '') {
					const numeric = (await text.getAttribute('inputmode')) === 'decimal';
					await text.fill(numeric ? '42' : 'We follow our documented procedure.');
					changed = true;
				}
			}
		}
		if (!changed) return;
	}
}

interface PortalQuestion {
	key: string;
	type: string;
	choices: { value: string }[] | null;
	show_if: { question: string; equals: string[] } | null;
	answer: unknown;
	files: unknown[] | null;
	editable: boolean;
}

/**
 * Answers and submits a portal through its API, with the values answerAll picks. For the tests
 * whose subject comes after the vendor's first answers (follow-ups, threads, reviews): answering
 * some forty questions through the page, as portal.spec.ts does, costs them half a minute.
 */
export async function answerAndSubmitApi(request: APIRequestContext, path: string): Promise<void> {
	const api = `/api/v1${path}`;
	const pdf = tinyPdf();
	for (let pass = 0; pass < 4; pass++) {
		const res = await request.get(api);
		expect(res.status(), await res.text()).toBe(200);
		const questions = ((await res.json()) as { sections: { questions: PortalQuestion[] }[] }).sections.flatMap((s) => s.questions);
		const values = new Map(questions.map((q) => [q.key, q.answer]));
		const visible = (q: PortalQuestion) => {
			if (!q.show_if) return true;
			const v = values.get(q.show_if.question);
			const given = Array.isArray(v) ? v.map(String) : v == null ? [] : [String(v)];
			return given.some((x) => q.show_if!.equals.includes(x));
		};
		let changed = false;
		for (const q of questions) {
			if (!q.editable || !visible(q)) continue;
			if (q.type === 'file') {
				if ((q.files ?? []).length > 0) continue;
				const up = await request.post(`${api}/files`, {
					multipart: { question_key: q.key, file: { name: 'evidence.pdf', mimeType: 'application/pdf', buffer: pdf } }
				});
				expect(up.status(), await up.text()).toBe(201);
				changed = true;
				continue;
			}
			if (q.answer !== null && q.answer !== undefined) continue;
			const first = q.choices?.[0]?.value;
			const value =
				q.type === 'multiple_choice' ? [first]
				: q.type === 'yes_no_na' || q.type === 'single_choice' ? first
				: q.type === 'number' ? 42
				: q.type === 'date' ? new Date().toISOString().slice(0, 10)
				: 'We follow our documented procedure.';
			const put = await request.put(`${api}/answers/${encodeURIComponent(q.key)}`, { data: { value } });
			expect(put.status(), await put.text()).toBe(200);
			changed = true;
		}
		if (!changed) break;
	}
	const submitted = await request.post(`${api}/submit`);
	expect(submitted.status(), await submitted.text()).toBe(200);
}

/** Submits the portal's answers, confirming in the dialog that asks first. */
export async function submitAnswers(page: Page): Promise<void> {
	await page.getByRole('button', { name: 'Submit answers' }).click();
	await page.getByRole('dialog', { name: 'Submit your answers?' }).getByRole('button', { name: 'Submit now' }).click();
}
