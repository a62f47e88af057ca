// Passkeys with Chromium's virtual authenticator (Chrome DevTools Protocol, WebAuthn domain):
// a platform authenticator with user verification that answers without a person present.
// Each test creates its own user: a passkey on a demo account would change how other specs
// sign in.
import type { APIRequestContext, CDPSession, Page } from '@playwright/test';
import { apiAs, DEMO, expect, expectAccessible, httpError, screenshot, test } from './fixtures';

async function createUser(request: APIRequestContext, email: string, password: string): Promise<void> {
	const admin = await apiAs(request, DEMO.admin.email);
	const res = await request.post('/api/v1/users', {
		headers: { 'X-CSRF-Token': admin.csrf },
		data: { email, name: 'Pat Passkey', role: 'risk_manager', department: 'Security', password }
	});
	expect(res.status()).toBe(201);
	await request.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': admin.csrf } });
}

/**
 * Gives the page a virtual passkey authenticator (this device's, with a screen lock). It
 * answers at once, also the sign-in page's autofill request; `present(false)` makes it wait, as
 * a person who has not picked the passkey from the autofill yet.
 */
async function addAuthenticator(page: Page): Promise<{ present: (on: boolean) => Promise<void> }> {
	const cdp: CDPSession = await page.context().newCDPSession(page);
	await cdp.send('WebAuthn.enable');
	const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
		options: {
			protocol: 'ctap2',
			transport: 'internal',
			hasResidentKey: true,
			hasUserVerification: true,
			isUserVerified: true,
			automaticPresenceSimulation: true
		}
	});
	return {
		present: async (enabled: boolean) => {
			await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled });
		}
	};
}

/** First sign-in with the administrator's temporary password, replaced by `password`. */
async function firstSignIn(page: Page, email: string, temporary: string, password: string): Promise<void> {
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(temporary);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Choose your own password' })).toBeVisible();
	await page.getByLabel('Temporary password').fill(temporary);
	await page.getByLabel('New password').fill(password);
	await page.getByRole('button', { name: 'Save and continue' }).click();
	await expect(page.getByTestId('user-menu')).toBeVisible();
}

async function addPasskey(page: Page, name: string): Promise<void> {
	await page.goto('/settings/security');
	const card = page.getByTestId('passkeys');
	await expect(card).toContainText('No passkeys yet');
	await card.getByLabel('Name').fill(name);
	await card.getByRole('button', { name: 'Add a passkey' }).click();
	await expect(card.getByText('Passkey added')).toBeVisible();
	await expect(card.getByRole('cell', { name, exact: true })).toBeVisible();
	await expect(card.getByRole('row').filter({ hasText: name })).toContainText('Never');
}

async function signOut(page: Page): Promise<void> {
	await page.getByTestId('user-menu').click();
	await page.getByRole('menuitem', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
}

test('a passkey added in Settings signs in without a password', async ({ page, consoleGuard }) => {
	test.setTimeout(60_000);
	const email = `passkey-${Date.now().toString(36)}@example.com`;
	const password = 'a long enough passphrase';
	await createUser(page.request, email, 'temporary passphrase 7');
	await page.context().clearCookies();
	const authenticator = await addAuthenticator(page);

	await firstSignIn(page, email, 'temporary passphrase 7', password);
	await addPasskey(page, 'Work laptop');
	await screenshot(page, 'passkeys-settings');
	await expectAccessible(page, 'the passkeys card');

	// The button: the authenticator waits while the sign-in page's autofill request is open,
	// then answers the button's request.
	await authenticator.present(false);
	await page.getByTestId('user-menu').click();
	await page.getByRole('menuitem', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	await expect(page.getByLabel('Email')).toHaveAttribute('autocomplete', 'username webauthn');
	await screenshot(page, 'sign-in-passkey');
	await authenticator.present(true);
	await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
	await expect(page.getByTestId('user-menu')).toBeVisible();
	const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { user: { email: string } };
	expect(me.user.email).toBe(email);

	// The autofill: the email field's request (conditional mediation) is answered at once by the
	// virtual authenticator, as when a person picks the passkey from the field's suggestions.
	// It answers within milliseconds of the sign-out, so the shell's check of the ended session
	// (a 401 from /auth/me) may still be under way when the new session arrives.
	consoleGuard.allow(httpError(401, '/api/v1/auth/me'));
	await page.getByTestId('user-menu').click();
	await page.getByRole('menuitem', { name: 'Sign out' }).click();
	await expect(page.getByTestId('user-menu')).toBeVisible();
	const again = (await (await page.request.get('/api/v1/auth/me')).json()) as { user: { email: string } };
	expect(again.user.email).toBe(email);

	// Last used is shown now.
	await page.goto('/settings/security');
	const card = page.getByTestId('passkeys');
	await expect(card.getByRole('row').filter({ hasText: 'Work laptop' })).not.toContainText('Never');

	// Renamed in place.
	await card.getByRole('button', { name: 'Rename Work laptop' }).click();
	await card.getByLabel('New name').fill('Old laptop');
	await card.getByRole('button', { name: 'Save' }).click();
	await expect(card.getByText('Passkey renamed')).toBeVisible();
	await expect(card.getByRole('cell', { name: 'Old laptop', exact: true })).toBeVisible();
});

test('a password sign-in finishes with the passkey as its second step', async ({ page }) => {
	test.setTimeout(60_000);
	const email = `passkey-mfa-${Date.now().toString(36)}@example.com`;
	const password = 'another long passphrase';
	await createUser(page.request, email, 'temporary passphrase 7');
	await page.context().clearCookies();
	const authenticator = await addAuthenticator(page);

	await firstSignIn(page, email, 'temporary passphrase 7', password);
	await addPasskey(page, 'Phone');
	await expect(page.getByTestId('mfa-passkeys')).toContainText('a passkey');
	// Not present: the sign-in page's autofill request would otherwise sign in without the password.
	await authenticator.present(false);
	await signOut(page);

	// The password alone no longer opens a session: the passkey finishes the sign-in.
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill(password);
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
	await expect(page.getByTestId('mfa-passkey')).toBeVisible();
	// The account has no authenticator app: no code field.
	await expect(page.getByTestId('mfa-step')).toHaveCount(0);
	await screenshot(page, 'mfa-passkey-step');
	await authenticator.present(true);
	await page.getByRole('button', { name: 'Use a passkey' }).click();
	await expect(page.getByTestId('user-menu')).toBeVisible();
	const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { user: { id: string } };

	// An administrator sees the passkey on the user's page and removes it (a lost phone).
	// The app is left first: signed out under it, it would open the sign-in page, whose passkey
	// autofill could sign this user in again over the administrator's session.
	await authenticator.present(false);
	await page.goto('about:blank');
	await page.context().clearCookies();
	await apiAs(page.request, DEMO.admin.email);
	await page.goto(`/settings/users/${me.user.id}`);
	const keys = page.getByTestId('user-passkeys');
	await expect(keys.getByRole('cell', { name: 'Phone', exact: true })).toBeVisible();
	await keys.getByRole('button', { name: 'Remove Phone' }).click();
	await expect(keys.getByText('Passkey “Phone” removed.')).toBeVisible();
	await expect(keys).toContainText('No passkeys.');
});
