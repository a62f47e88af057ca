import { DEMO, apiAs, expect, expectAccessible, screenshot, test, unique } from './fixtures';

// Provisioning: an administrator turns SCIM on for an identity provider in Settings → Single sign-on and
// hands the token to the provider; the provider (played here by plain requests, as Entra ID sends them)
// creates an account and puts it in a group that maps to a role; the settings count the account; turning
// provisioning off stops the token.
test('SCIM provisioning: a token made in Settings lets the identity provider create an account whose group sets its role', async ({ page }) => {
	const { csrf } = await apiAs(page.request, DEMO.admin.email);
	const slug = unique('scim').toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 40);
	const made = await page.request.post('/api/v1/settings/sso-providers', {
		headers: { 'X-CSRF-Token': csrf },
		data: {
			slug,
			display_name: 'Corp Directory',
			issuer: `https://idp.example.test/${slug}`,
			client_id: 'rampart',
			role_mappings: [{ group: 'Rampart Legal', role: 'legal' }],
			default_role: '',
			enabled: false
		}
	});
	expect(made.status()).toBe(201);
	const provider = (await made.json()) as { id: string };

	await page.goto('/settings/sso');
	const card = page.getByRole('region', { name: `Provisioning (SCIM) for Corp Directory` }).last();
	await expect(card).toContainText('Off.');
	await card.getByRole('button', { name: 'Make a SCIM token' }).click();
	const secret = card.getByLabel('Secret token');
	await expect(secret).toHaveValue(/^rsc_/);
	const token = await secret.inputValue();
	const endpoint = await card.getByLabel('SCIM endpoint (tenant URL) to give the provider').inputValue();
	expect(endpoint).toMatch(/\/scim\/v2$/);
	await screenshot(page, 'scim-settings');
	await expectAccessible(page, 'the single sign-on settings with provisioning on');

	// The provider creates a person, then a group with them in it.
	const scim = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' };
	const email = `${slug}@corp.example`;
	const user = await page.request.post('/scim/v2/Users', {
		headers: scim,
		data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email, displayName: 'Dana Provisioned', active: true }
	});
	expect(user.status()).toBe(201);
	const userId = ((await user.json()) as { id: string }).id;
	// No group yet and no default role: the account exists but has no access.
	let row = (await (await page.request.get(`/api/v1/users/${userId}`)).json()) as { active: boolean; role: string };
	expect(row.active).toBe(false);
	const group = await page.request.post('/scim/v2/Groups', {
		headers: scim,
		data: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Rampart Legal', members: [{ value: userId }] }
	});
	expect(group.status()).toBe(201);
	row = (await (await page.request.get(`/api/v1/users/${userId}`)).json()) as { active: boolean; role: string };
	expect(row).toMatchObject({ active: true, role: 'legal' });

	// The user's page says who manages the account.
	await page.goto(`/settings/users/${userId}`);
	await expect(page.getByTestId('provisioned')).toContainText('Managed by Corp Directory (SCIM)');

	await page.goto('/settings/sso');
	await expect(card).toContainText('1 account managed by Corp Directory');
	await expect(card).toContainText('last used');

	// Turning provisioning off stops the token; the account stays.
	await card.getByRole('button', { name: 'Turn provisioning off' }).click();
	await page.getByRole('dialog').getByRole('button', { name: 'Turn off' }).click();
	await expect(card).toContainText('Off.');
	await expect(card).toContainText('1 account it made stay');
	expect((await page.request.get('/scim/v2/Users', { headers: scim })).status()).toBe(401);
	await page.request.delete(`/api/v1/settings/sso-providers/${provider.id}`, { headers: { 'X-CSRF-Token': csrf } });
});
