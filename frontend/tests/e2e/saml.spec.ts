import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { DEMO, apiAs, expect, expectAccessible, screenshot, test } from './fixtures';

// The tests' SAML identity provider (crewjam/saml's, app/sso/samltest/samlidp), built by `make test-e2e`.
const idpBin = resolve(process.env.RAMPART_TEST_SAML_IDP ?? '../bin/samlidp');

/** Starts the identity provider; resolves to it and its metadata URL. */
async function startIdP(): Promise<{ proc: ChildProcess; metadataURL: string }> {
	const proc = spawn(idpBin, [], { stdio: ['ignore', 'pipe', 'ignore'] });
	const lines = createInterface({ input: proc.stdout! });
	const [metadataURL] = (await once(lines, 'line')) as [string];
	return { proc, metadataURL };
}

test('SAML single sign-on: a person signs in through the SAML identity provider and gets the role their group maps to', async ({ page, browser, baseURL }) => {
	test.setTimeout(60_000);
	if (!existsSync(idpBin)) {
		// make test-e2e builds it; CI must never skip this.
		expect(process.env.CI, `the test SAML identity provider ${idpBin} is missing: run make test-e2e`).not.toBe('true');
		test.skip(true, `the test SAML identity provider ${idpBin} is not built (make test-e2e builds it)`);
	}
	const idp = await startIdP();
	const metadata = await (await fetch(idp.metadataURL)).text();
	const { csrf } = await apiAs(page.request, DEMO.admin.email);
	let providerId = '';
	try {
		// An administrator adds the provider: SAML, with the IdP's metadata pasted.
		await page.goto('/settings/sso');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Single sign-on');
		await page.getByRole('button', { name: 'Add a provider' }).click();
		await page.getByLabel('SAML 2.0').check();
		await page.getByLabel('Name on the button').fill('Test SAML');
		await page.getByLabel('Short name').fill('testsaml');
		await page.getByLabel('Identity provider metadata XML').fill(metadata);
		await page.getByLabel('Groups attribute').fill('eduPersonAffiliation');
		await page.getByLabel('Group 1', { exact: true }).fill('rampart-admins');
		await page.getByLabel('Role for group 1').selectOption('admin');
		await page.getByRole('button', { name: 'Add provider' }).click();
		await expect(page.getByText('Saved “Test SAML”')).toBeVisible();
		await expect(page.getByLabel('Assertion consumer service (reply) URL, HTTP-POST')).toHaveValue(`${baseURL}/api/v1/auth/saml/testsaml/acs`);
		await expect(page.getByLabel('Entity id (audience) to register at the provider')).toHaveValue(`${baseURL}/api/v1/auth/saml/testsaml/metadata`);
		await screenshot(page, 'saml-settings');
		await expectAccessible(page, 'the single sign-on settings with a SAML provider');
		const list = (await (await page.request.get('/api/v1/settings/sso-providers')).json()) as { items: { id: string; slug: string }[] };
		providerId = list.items.find((p) => p.slug === 'testsaml')?.id ?? '';

		// Someone new signs in from the sign-in page, in a browser of their own: the IdP posts
		// its signed response cross-site to the ACS, which sets the session and redirects.
		const context = await browser.newContext();
		const other = await context.newPage();
		await other.goto('/sign-in?next=/vendors');
		await other.getByRole('link', { name: 'Sign in with Test SAML' }).click();
		await other.getByLabel('Username').fill('grace');
		await other.getByRole('button', { name: 'Sign in' }).click();
		await expect(other).toHaveURL(/\/vendors$/);
		await expect(other.getByRole('heading', { level: 1 })).toHaveText('Vendors');
		const me = (await (await other.request.get('/api/v1/auth/me')).json()) as { user: { email: string; role: string; name: string } };
		expect(me.user).toMatchObject({ email: 'grace.saml@example.com', role: 'admin', name: 'Grace Hopper' });
		await context.close();
	} finally {
		if (providerId) {
			await page.request.delete(`/api/v1/settings/sso-providers/${providerId}`, { headers: { 'X-CSRF-Token': csrf } });
		}
		idp.proc.kill();
	}
});
