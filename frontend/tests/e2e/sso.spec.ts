import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO, apiAs, expect, expectAccessible, screenshot, test } from './fixtures';

// The tests' OpenID provider (zitadel's, app/sso/ssotest/testidp), built by `make test-e2e`.
const idpBin = resolve(process.env.RAMPART_TEST_IDP ?? '../bin/testidp');

/** Starts the provider with Rampart's callback registered; resolves to it and its issuer. */
async function startIdP(redirect: string): Promise<{ proc: ChildProcess; issuer: string }> {
	const proc = spawn(idpBin, ['-redirect', redirect], { stdio: ['ignore', 'pipe', 'ignore'] });
	const lines = createInterface({ input: proc.stdout! });
	const [issuer] = (await once(lines, 'line')) as [string];
	return { proc, issuer };
}

test('single sign-on: a person signs in through the identity provider and gets the role their group maps to', async ({ page, browser, baseURL }) => {
	test.setTimeout(60_000);
	if (!existsSync(idpBin)) {
		// make test-e2e builds it; CI must never skip this.
		expect(process.env.CI, `the test identity provider ${idpBin} is missing: run make test-e2e`).not.toBe('true');
		test.skip(true, `the test identity provider ${idpBin} is not built (make test-e2e builds it)`);
	}
	const callback = `${baseURL}/api/v1/auth/sso/testidp/callback`;
	const idp = await startIdP(callback);
	const { csrf } = await apiAs(page.request, DEMO.admin.email);
	let providerId = '';
	try {
		// An administrator (signed in by apiAs) adds the provider in Settings → Single sign-on.
		await page.goto('/settings');
		await page.getByRole('link', { name: /Single sign-on/ }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Single sign-on');
		await page.getByRole('button', { name: 'Add a provider' }).click();
		await page.getByLabel('Name on the button').fill('Test IdP');
		await page.getByLabel('Short name').fill('testidp');
		await page.getByLabel('Issuer URL').fill(idp.issuer);
		await page.getByLabel('Client id').fill('rampart');
		await page.getByLabel('Client secret').fill('testidp-secret');
		await page.getByLabel('Scopes').fill('email profile custom_scope');
		await page.getByLabel('Group 1', { exact: true }).fill('rampart-admins');
		await page.getByLabel('Role for group 1').selectOption('admin');
		await page.getByRole('button', { name: 'Add provider' }).click();
		await expect(page.getByText('Saved “Test IdP”')).toBeVisible();
		await expect(page.getByLabel('Redirect URI to register at the provider')).toHaveValue(callback);
		await screenshot(page, 'sso-settings');
		await expectAccessible(page, 'the single sign-on settings');
		const list = (await (await page.request.get('/api/v1/settings/sso-providers')).json()) as { items: { id: string; slug: string }[] };
		providerId = list.items.find((p) => p.slug === 'testidp')?.id ?? '';

		// Someone new signs in through it from the sign-in page, in a browser of their own.
		const context = await browser.newContext();
		const other = await context.newPage();
		await other.goto('/sign-in?next=/vendors');
		await expect(other.getByRole('group', { name: 'Single sign-on' })).toBeVisible();
		await screenshot(other, 'sign-in-sso');
		await expectAccessible(other, 'the sign-in page with single sign-on');
		await other.getByRole('link', { name: 'Sign in with Test IdP' }).click();
		// The provider's own login page.
		await other.getByLabel('Username:').fill('ada');
		await other.getByLabel('Password:').fill('ada-password');
		await other.getByRole('button', { name: 'Login' }).click();
		await expect(other).toHaveURL(/\/vendors$/);
		await expect(other.getByRole('heading', { level: 1 })).toHaveText('Vendors');
		const me = (await (await other.request.get('/api/v1/auth/me')).json()) as { user: { email: string; role: string; name: string } };
		expect(me.user).toMatchObject({ email: 'ada.sso@example.com', role: 'admin', name: 'Ada Lovelace' });
		await context.close();
	} finally {
		if (providerId) {
			// Later tests see the sign-in page as it was.
			await page.request.delete(`/api/v1/settings/sso-providers/${providerId}`, { headers: { 'X-CSRF-Token': csrf } });
		}
		idp.proc.kill();
	}
});
