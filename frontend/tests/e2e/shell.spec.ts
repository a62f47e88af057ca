import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { DEMO, expect, screenshot as shot, sidebar, signInApi, test } from './fixtures';

const SECTIONS = [
	{ label: 'Dashboard', path: '/', slug: 'dashboard' },
	{ label: 'Vendors', path: '/vendors', slug: 'vendors' },
	{ label: 'Requests', path: '/requests', slug: 'requests' },
	{ label: 'Assessments', path: '/assessments', slug: 'assessments' },
	{ label: 'Contracts', path: '/contracts', slug: 'contracts' },
	{ label: 'Findings', path: '/findings', slug: 'findings' },
	{ label: 'Incidents', path: '/incidents', slug: 'incidents' },
	{ label: 'Activity', path: '/activity', slug: 'activity' },
	{ label: 'Settings', path: '/settings', slug: 'settings' }
] as const;

interface Meta {
	name: string;
	version: string;
	demo: boolean;
}

// The shell needs a session: every test here is the administrator, who sees every section.
test.beforeEach(async ({ page }) => {
	await signInApi(page, DEMO.admin.email);
});

async function screenshot(page: Page, name: string) {
	await shot(page, `shell-${name}`);
}

async function expectCurrent(page: Page, label: string) {
	const current = sidebar(page).locator('[aria-current="page"]');
	await expect(current).toHaveCount(1);
	await expect(current).toHaveAccessibleName(label);
}

test('loads the shell with the sidebar and the version from the API', async ({ page, request }) => {
	const res = await request.get('/api/v1/meta');
	expect(res.ok()).toBe(true);
	const meta = (await res.json()) as Meta;

	await page.goto('/');
	await expect(page.getByRole('banner')).toBeVisible();
	await expect(page.getByRole('main')).toBeVisible();
	const nav = sidebar(page);
	await expect(nav).toBeVisible();
	for (const s of SECTIONS) {
		await expect(nav.getByRole('link', { name: s.label, exact: true })).toBeVisible();
	}
	const header = page.getByRole('banner');
	await expect(header).toContainText(meta.name);
	await expect(header.getByTestId('app-version')).toHaveText(`v${meta.version}`);
	expect(meta.demo).toBe(true); // the server runs with --demo
	await expect(header.getByText('Demo', { exact: true })).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
	await expectCurrent(page, 'Dashboard');
	await expect(page).toHaveTitle('Dashboard · Rampart');
	await screenshot(page, 'dashboard');
});

test('navigates to every section from the sidebar', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
	for (const s of [...SECTIONS.slice(1), SECTIONS[0]]) {
		await sidebar(page).getByRole('link', { name: s.label, exact: true }).click();
		await expect(page).toHaveURL(s.path);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(s.label);
		await expect(page).toHaveTitle(`${s.label} · Rampart`);
		await expectCurrent(page, s.label);
		if (s.slug !== 'dashboard') await screenshot(page, s.slug);
	}
});

test('settings shows the server version in the About card', async ({ page, request }) => {
	const meta = (await (await request.get('/api/v1/meta')).json()) as Meta;
	await page.goto('/settings');
	const about = page.getByRole('region', { name: 'About' });
	await expect(about).toBeVisible();
	await expect(about.getByTestId('about-version')).toHaveText(meta.version);
	await expect(about).toContainText('Demo');
});

test('a deep link to /vendors survives a reload', async ({ page }) => {
	const res = await page.goto('/vendors');
	expect(res?.status()).toBe(200);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vendors');
	await expectCurrent(page, 'Vendors');
	await page.reload();
	await expect(page).toHaveURL('/vendors');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vendors');
	await expectCurrent(page, 'Vendors');
});

test('an unknown client route shows the 404 page', async ({ page }) => {
	await page.goto('/no-such-page');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
	await expect(page.getByRole('main')).toContainText('/no-such-page');
	await expect(sidebar(page)).toBeVisible();
	await expect(sidebar(page).locator('[aria-current="page"]')).toHaveCount(0);
	await screenshot(page, 'not-found');
	await page.getByRole('link', { name: 'Back to the dashboard' }).click();
	await expect(page).toHaveURL('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
});

test('keyboard: the skip link comes first and moves focus to the content', async ({ page }) => {
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
	await page.keyboard.press('Tab');
	const skip = page.getByRole('link', { name: 'Skip to content' });
	await expect(skip).toBeFocused();
	await expect(skip).toBeInViewport();
	await screenshot(page, 'skip-link');
	await page.keyboard.press('Enter');
	await expect(page.locator('main#main')).toBeFocused();

	// The sidebar is reachable and usable from the keyboard.
	await page.goto('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
	await page.keyboard.press('Tab'); // skip link
	await page.keyboard.press('Tab'); // brand
	await page.keyboard.press('Tab'); // notifications bell
	await expect(page.getByTestId('bell')).toBeFocused();
	await page.keyboard.press('Tab'); // user menu
	await page.keyboard.press('Tab'); // Dashboard
	await page.keyboard.press('Tab'); // Vendors
	const vendors = sidebar(page).getByRole('link', { name: 'Vendors', exact: true });
	await expect(vendors).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(page).toHaveURL('/vendors');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vendors');
});

test('collapses the sidebar to an icon rail at 800px', async ({ page }) => {
	await page.setViewportSize({ width: 800, height: 700 });
	await page.goto('/findings');
	const nav = sidebar(page);
	const box = await nav.boundingBox();
	expect(box?.width).toBeLessThan(100);
	const link = nav.getByRole('link', { name: 'Findings', exact: true });
	await expect(link).toBeVisible();
	await expect(link).toHaveAttribute('aria-current', 'page');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Findings');
	// Labels are hidden in the rail but show as a tooltip on hover.
	const vendors = nav.getByRole('link', { name: 'Vendors', exact: true });
	await vendors.hover();
	await expect(vendors.getByText('Vendors')).toBeVisible();
	await screenshot(page, 'findings-800');
});

test('stacks the navigation above the content on a phone', async ({ page }) => {
	await page.setViewportSize({ width: 390, height: 780 });
	await page.goto('/contracts');
	await expect(sidebar(page).getByRole('link', { name: 'Contracts', exact: true })).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Contracts');
	await screenshot(page, 'contracts-phone');
});

test('the SPA is served with a strict content security policy', async ({ page }) => {
	const res = await page.goto('/');
	const csp = res?.headers()['content-security-policy'] ?? '';
	expect(csp).toContain("default-src 'self'");
	expect(csp).toContain("object-src 'none'");
	expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
	// SvelteKit writes its own hash-based policy into the page as well.
	await expect(page.locator('meta[http-equiv="content-security-policy"]')).toHaveCount(1);
});

test('the binary embeds the current build of the app', async ({ request }) => {
	// The SPA is compiled into the binary; a stale binary would test an old UI.
	const local = readFileSync(new URL('../../dist/spa/index.html', import.meta.url), 'utf8');
	const served = await (await request.get('/')).text();
	expect(served, 'rebuild the binary after `npm run build` (go build -o bin/rampart .)').toBe(local);
});
