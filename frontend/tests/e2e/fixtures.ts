// Shared by every end-to-end spec: a console guard, sign-in helpers and screenshots.
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type APIRequestContext, type Locator, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'demo-password';

export const DEMO = {
	admin: { email: 'admin@example.com', name: 'Alex Morgan', role: 'Administrator' },
	risk: { email: 'risk@example.com', name: 'Riley Chen', role: 'Risk manager' },
	legal: { email: 'legal@example.com', name: 'Lena Fischer', role: 'Legal' },
	head: { email: 'head@example.com', name: 'Hugo Martins', role: 'Department head' },
	auditor: { email: 'auditor@example.com', name: 'Ava Okafor', role: 'Auditor' }
} as const;

export interface ConsoleGuard {
	/**
	 * Expect a console message matching `pattern` in this test (Chromium logs every 4xx answer
	 * as "Failed to load resource"); anything else still fails the test.
	 */
	allow(pattern: RegExp): void;
}

/** Chromium's line for an expected 4xx answer from a URL whose path starts with `path`. */
export function httpError(status: number, path: string): RegExp {
	const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`status of ${status} .*\\(https?://[^/)]+${escaped}[^)]*\\)$`);
}

// Every test fails if the page logs an error or warning or throws: CSP violations, failed
// requests and Svelte warnings all surface here, unless the test said it expects them.
export const test = base.extend<{ consoleGuard: ConsoleGuard }>({
	consoleGuard: [
		async ({ page }, use) => {
			const problems: string[] = [];
			const allowed: RegExp[] = [];
			page.on('console', (msg) => {
				if (msg.type() === 'error' || msg.type() === 'warning') {
					problems.push(`console.${msg.type()}: ${msg.text()} (${msg.location().url})`);
				}
			});
			page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
			await use({ allow: (pattern) => allowed.push(pattern) });
			const unexpected = problems.filter((p) => !allowed.some((re) => re.test(p)));
			expect(unexpected, 'browser console errors, warnings and page errors').toEqual([]);
		},
		{ auto: true }
	]
});

export { expect };

/** Signs in through the API (fast); the page's context gets the session cookie. */
export async function signInApi(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
	const res = await page.request.post('/api/v1/auth/login', { data: { email, password } });
	expect(res.status(), `sign in as ${email}`).toBe(200);
}

/** Signs in through the sign-in form and waits for the shell. */
export async function signInUi(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
	if (!page.url().includes('/sign-in')) await page.goto('/sign-in');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByTestId('user-menu')).toBeVisible();
}

/** An API client signed in as `email`, with its CSRF token, for arranging data. */
export async function apiAs(
	request: APIRequestContext,
	email: string,
	password = DEMO_PASSWORD
): Promise<{ csrf: string; user: { id: string } }> {
	const res = await request.post('/api/v1/auth/login', { data: { email, password } });
	expect(res.status(), `sign in as ${email}`).toBe(200);
	const me = (await res.json()) as { csrf_token: string; user: { id: string } };
	return { csrf: me.csrf_token, user: me.user };
}

export function sidebar(page: Page) {
	return page.getByRole('navigation', { name: 'Main' });
}

/** The labels of the sidebar's links, in order. */
export async function navLabels(page: Page): Promise<string[]> {
	await expect(sidebar(page)).toBeVisible();
	return (await sidebar(page).getByRole('link').allInnerTexts()).map((t) => t.trim());
}

/**
 * Waits until the cells are there and every one's text passes `ok`: a filter changes the URL
 * before its page arrives, so cells read at once may still be the last page's.
 */
export async function expectEveryCell(cells: Locator, ok: (text: string) => boolean): Promise<void> {
	await expect
		.poll(async () => {
			const texts = await cells.allInnerTexts();
			return texts.length > 0 && texts.every((t) => ok(t.trim()));
		})
		.toBe(true);
}

export async function screenshot(page: Page, name: string): Promise<void> {
	// From the top, so the sticky header sits where it belongs in a full-page capture.
	await page.evaluate(() => window.scrollTo(0, 0));
	await page.screenshot({ path: `test-results/${name}.png`, fullPage: true });
}

/** A name no earlier run of the suite used (the database lives for the whole run). */
export function unique(prefix: string): string {
	return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

/** Fails on any WCAG 2.1 A/AA violation axe finds in the page as it is now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
	const { violations } = await new AxeBuilder({ page })
		.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
		.analyze();
	const summary = violations.map(
		(v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	);
	expect(summary, `accessibility of ${what}`).toEqual([]);
}
