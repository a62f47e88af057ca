// MFA with an authenticator app, the forced change of a temporary password, and password reset
// through the demo outbox. Each test creates its own user: enabling MFA on a demo account would
// change how every other spec signs in.
import { createHmac } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { apiAs, DEMO, expect, screenshot, test } from './fixtures';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret, as an authenticator app computes it. */
function totp(secret: string, at = Date.now()): string {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const ch of secret.replace(/=+$/, '').toUpperCase()) {
		bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
	}
	const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
	const counter = Buffer.alloc(8);
	counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
	const mac = createHmac('sha1', key).update(counter).digest();
	const offset = mac[mac.length - 1]! & 0xf;
	const n = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
	return n.toString().padStart(6, '0');
}

/** Waits for the next 30-second step: a code is accepted once, so a second sign-in needs a new one. */
async function nextStep(page: Page): Promise<void> {
	const ms = 30_000 - (Date.now() % 30_000) + 500;
	await page.waitForTimeout(ms);
}

async function createUser(request: APIRequestContext, email: string, password: string): Promise<void> {
	const admin = await apiAs(request, DEMO.admin.email);
	const res = await request.post('/api/v1/users', {
		headers: { 'X-CSRF-Token': admin.csrf },
		data: { email, name: 'Morgan MFA', role: 'risk_manager', department: 'Security', password }
	});
	expect(res.status()).toBe(201);
	await request.post('/api/v1/auth/logout', { headers: { 'X-CSRF-Token': admin.csrf } });
}

test('a new user replaces the temporary password, enrols an authenticator and signs in with a code', async ({
	page,
	consoleGuard
}) => {
	test.setTimeout(120_000);
	const email = `mfa-${Date.now().toString(36)}@example.com`;
	await createUser(page.request, email, 'temporary passphrase 1');
	await page.context().clearCookies();

	// The temporary password opens only the change form.
	await page.goto('/sign-in');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill('temporary passphrase 1');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByRole('heading', { name: 'Choose your own password' })).toBeVisible();
	await page.getByLabel('Temporary password').fill('temporary passphrase 1');
	await page.getByLabel('New password').fill('my own long passphrase');
	await page.getByRole('button', { name: 'Save and continue' }).click();
	await expect(page.getByTestId('user-menu')).toBeVisible();

	// Enrolment: QR code and key, then the first code.
	await page.goto('/settings/security');
	await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
	await expect(page.getByAltText('QR code for your authenticator app')).toBeVisible();
	const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
	await screenshot(page, 'mfa-enrol');
	await page.getByLabel('Code from the app').fill(totp(secret));
	await page.getByRole('button', { name: 'Turn on MFA' }).click();
	const codes = page.getByTestId('recovery-codes').locator('code');
	await expect(codes).toHaveCount(10);
	await screenshot(page, 'mfa-recovery-codes');
	await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
	await expect(page.getByTestId('mfa-on')).toContainText('10 recovery codes left');

	// Sign out, sign in: the password, then a code.
	await page.getByTestId('user-menu').click();
	await page.getByRole('menuitem', { name: 'Sign out' }).click();
	await expect(page).toHaveURL(/\/sign-in/);
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill('my own long passphrase');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByTestId('mfa-step')).toBeVisible();
	await screenshot(page, 'mfa-second-step');

	// A wrong code is refused; then the next step's code signs in.
	consoleGuard.allow(/status of 422 .*\/api\/v1\/auth\/login\/mfa/);
	await page.getByLabel('Authentication code').fill('000000');
	await page.getByRole('button', { name: 'Verify' }).click();
	await expect(page.getByText('is incorrect or was already used')).toBeVisible();
	await nextStep(page);
	await page.getByLabel('Authentication code').fill(totp(secret));
	await page.getByRole('button', { name: 'Verify' }).click();
	await expect(page.getByTestId('user-menu')).toBeVisible();
});

test('a forgotten password is reset through the link in the demo outbox', async ({ page, request }) => {
	const email = `reset-${Date.now().toString(36)}@example.com`;
	await createUser(request, email, 'temporary passphrase 2');

	await page.goto('/sign-in');
	await page.getByRole('link', { name: 'Forgot your password?' }).click();
	// The sign-in page has an Email field too: fill the reset page's, once it is there.
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reset your password');
	await page.getByLabel('Email').fill(email);
	await page.getByRole('button', { name: 'Send the link' }).click();
	await expect(page.getByText('If an account uses this address')).toBeVisible();

	// The admin's view of the demo outbox holds the mail with the link.
	const admin = await apiAs(request, DEMO.admin.email);
	const list = (await (await request.get('/api/v1/mail?limit=50')).json()) as {
		items: { id: string; to_email: string; kind: string }[];
	};
	const mail = list.items.find((m) => m.to_email === email && m.kind === 'account.password_reset');
	expect(mail, 'reset mail in the outbox').toBeTruthy();
	const detail = (await (await request.get(`/api/v1/mail/${mail!.id}`)).json()) as { text_body: string };
	const link = detail.text_body.match(/https?:\/\/\S+\/reset-password#token=[\w-]+/)![0];
	expect(admin.csrf).toBeTruthy();

	await page.goto(new URL(link).pathname + new URL(link).hash);
	await page.getByLabel('New password').fill('a freshly reset passphrase');
	await page.getByRole('button', { name: 'Set the password' }).click();
	await expect(page.getByText('Your password is changed')).toBeVisible();
	await page.getByRole('link', { name: 'Sign in' }).click();
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password', { exact: true }).fill('a freshly reset passphrase');
	await page.getByRole('button', { name: 'Sign in', exact: true }).click();
	await expect(page.getByTestId('user-menu')).toBeVisible();
});
