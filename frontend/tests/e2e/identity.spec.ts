import {
	apiAs,
	DEMO,
	DEMO_PASSWORD,
	expect,
	expectAccessible,
	expectEveryCell,
	httpError,
	navLabels,
	screenshot,
	sidebar,
	signInApi,
	signInUi,
	test,
	unique
} from './fixtures';

const ALL_SECTIONS = ['Dashboard', 'Vendors', 'Requests', 'Assessments', 'Contracts', 'Findings', 'Incidents'];

// What each demo role sees in the sidebar, and where signing in lands them.
const ROLES = [
	{ who: DEMO.admin, nav: [...ALL_SECTIONS, 'Activity', 'Settings'], home: '/' },
	{ who: DEMO.risk, nav: [...ALL_SECTIONS, 'Settings'], home: '/' },
	{ who: DEMO.legal, nav: ALL_SECTIONS, home: '/' },
	{ who: DEMO.head, nav: ['Requests'], home: '/requests' },
	{ who: DEMO.auditor, nav: [...ALL_SECTIONS, 'Activity', 'Settings'], home: '/' }
] as const;

test.describe('signing in', () => {
	test('the sign-in page stands alone and lists the demo accounts', async ({ page }) => {
		await page.goto('/sign-in');
		await expect(page).toHaveTitle('Sign in · Rampart');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
		await expect(sidebar(page)).toHaveCount(0);
		await expect(page.getByTestId('user-menu')).toHaveCount(0);
		// With passkeys on (the base URL is localhost), the email field's autofill offers them too.
		await expect(page.getByLabel('Email')).toHaveAttribute('autocomplete', 'username webauthn');
		await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute(
			'autocomplete',
			'current-password'
		);

		const demo = page.getByRole('region', { name: 'Demo accounts' });
		await expect(demo).toContainText(DEMO_PASSWORD);
		for (const account of Object.values(DEMO)) {
			await expect(demo).toContainText(account.email);
			await expect(demo).toContainText(account.role);
		}
		await screenshot(page, 'identity-sign-in');

		await demo.getByRole('button', { name: `Use ${DEMO.auditor.name} (Auditor)` }).click();
		await expect(page.getByLabel('Email')).toHaveValue(DEMO.auditor.email);
		await expect(page.getByLabel('Password', { exact: true })).toHaveValue(DEMO_PASSWORD);
		await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL('/');
		await expect(page.getByTestId('user-menu')).toContainText(DEMO.auditor.name);
	});

	for (const { who, nav, home } of ROLES) {
		test(`${who.role} (${who.email}) sees exactly their sections`, async ({ page }) => {
			await signInUi(page, who.email);
			await expect(page).toHaveURL(home);
			expect(await navLabels(page)).toEqual(nav);
			const menu = page.getByTestId('user-menu');
			await expect(menu).toContainText(who.name);
			await expect(menu).toContainText(who.role);
		});
	}

	test('a wrong password is refused and stays on the sign-in page', async ({ page, consoleGuard }) => {
		consoleGuard.allow(httpError(401, '/api/v1/auth/login'));
		await page.goto('/sign-in');

		// Empty fields are caught before asking the server.
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await expect(page.getByText('Enter your email address.')).toBeVisible();
		await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('Email')).toBeFocused();

		await page.getByLabel('Email').fill(DEMO.admin.email);
		await page.getByLabel('Password', { exact: true }).fill('not-the-password');
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		const alert = page.getByRole('alert');
		await expect(alert).toContainText('Email or password is incorrect.');
		await expect(page).toHaveURL('/sign-in');
		await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
		await expect(page.getByLabel('Password', { exact: true })).toBeFocused();
		await screenshot(page, 'identity-sign-in-failed');

		// The same answer for an email nobody has.
		await page.getByLabel('Email').fill('nobody@example.com');
		await page.getByLabel('Password', { exact: true }).fill('not-the-password');
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await expect(alert).toContainText('Email or password is incorrect.');
		await expect(page).toHaveURL('/sign-in');
	});

	test('too many failures pause sign-in for the account', async ({
		page,
		playwright,
		baseURL,
		consoleGuard
	}) => {
		consoleGuard.allow(httpError(429, '/api/v1/auth/login'));
		// An account of its own: the demo accounts must stay usable for the other tests.
		const email = `throttled.${Date.now()}@example.com`;
		const other = await playwright.request.newContext({ baseURL });
		const admin = await apiAs(other, DEMO.admin.email);
		const created = await other.post('/api/v1/users', {
			headers: { 'X-CSRF-Token': admin.csrf },
			data: { email, name: 'Tess Throttle', role: 'legal', department: '', password: 'a long enough password' }
		});
		expect(created.status()).toBe(201);
		let last = 0;
		for (let i = 0; i < 10 && last !== 429; i++) {
			last = (await other.post('/api/v1/auth/login', { data: { email, password: 'wrong' } })).status();
		}
		expect(last).toBe(429);
		await other.dispose();

		await page.goto('/sign-in');
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password', { exact: true }).fill('a long enough password');
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await expect(page.getByRole('alert')).toContainText(/Too many attempts\. Try again in \d+ minutes?\./);
		await expect(page).toHaveURL('/sign-in');
	});

	test('a protected page sends you to sign in and back again', async ({ page, consoleGuard }) => {
		consoleGuard.allow(httpError(401, '/api/v1/auth/me'));
		await page.goto('/settings/users?role=admin');
		await expect(page).toHaveURL('/sign-in?next=%2Fsettings%2Fusers%3Frole%3Dadmin');
		await signInUi(page, DEMO.admin.email);
		await expect(page).toHaveURL('/settings/users?role=admin');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Users');
		await expect(page.getByLabel('Role')).toHaveValue('admin');
	});

	test('next never leaves the site', async ({ page }) => {
		for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)']) {
			await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
			await signInUi(page, DEMO.legal.email);
			await expect(page).toHaveURL('/');
			await page.request.post('/api/v1/auth/logout', {
				headers: { 'X-CSRF-Token': await csrfOf(page) }
			});
		}
	});

	test('signing out returns to sign-in and ends the session', async ({ page, consoleGuard }) => {
		consoleGuard.allow(httpError(401, '/api/v1/auth/me'));
		await signInUi(page, DEMO.risk.email);
		await page.getByTestId('user-menu').click();
		await page.getByRole('menuitem', { name: 'Sign out' }).click();
		await expect(page).toHaveURL('/sign-in');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');

		await page.goto('/vendors');
		await expect(page).toHaveURL('/sign-in?next=%2Fvendors');
		expect((await page.request.get('/api/v1/auth/me')).status()).toBe(401);
	});
});

test.describe('the user menu', () => {
	test('is a keyboard-operable menu button', async ({ page }) => {
		await signInApi(page, DEMO.legal.email);
		await page.goto('/');
		const button = page.getByTestId('user-menu');
		await expect(button).toHaveAttribute('aria-haspopup', 'menu');
		await expect(button).toHaveAttribute('aria-expanded', 'false');
		await expect(button).toContainText(DEMO.legal.name);
		await expect(button).toContainText('Legal');

		await button.focus();
		await page.keyboard.press('Enter');
		await expect(button).toHaveAttribute('aria-expanded', 'true');
		const menu = page.getByRole('menu');
		await expect(menu.getByRole('menuitem')).toHaveText(['Profile', 'Sign-in security', 'API tokens', 'Sign out']);
		await expect(menu.getByRole('menuitem', { name: 'Profile' })).toBeFocused();
		await page.keyboard.press('ArrowDown');
		await expect(menu.getByRole('menuitem', { name: 'Sign-in security' })).toBeFocused();
		await page.keyboard.press('End');
		await expect(menu.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
		await page.keyboard.press('ArrowDown');
		await expect(menu.getByRole('menuitem', { name: 'Profile' })).toBeFocused();
		await screenshot(page, 'identity-user-menu');
		await page.keyboard.press('Escape');
		await expect(menu).toHaveCount(0);
		await expect(button).toHaveAttribute('aria-expanded', 'false');
		await expect(button).toBeFocused();

		// ArrowUp opens on the last item; choosing an item navigates and closes the menu.
		await page.keyboard.press('ArrowUp');
		await expect(page.getByRole('menuitem', { name: 'Sign out' })).toBeFocused();
		await page.keyboard.press('ArrowUp');
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL('/settings/api-tokens');
		await expect(page.getByRole('menu')).toHaveCount(0);

		// A click outside closes it.
		await button.click();
		await expect(page.getByRole('menu')).toBeVisible();
		await page.getByRole('heading', { level: 1 }).click();
		await expect(page.getByRole('menu')).toHaveCount(0);
	});
});

test.describe('pages a role may not use', () => {
	test('show a friendly no-access page', async ({ page }) => {
		await signInApi(page, DEMO.legal.email);
		for (const path of ['/activity', '/settings', '/settings/users/new']) {
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toHaveText(
				"You don't have access to this page"
			);
			await expect(page.getByTestId('no-access')).toContainText('Legal');
		}
		await screenshot(page, 'identity-no-access');
		// Profile and tokens are everyone's.
		await page.goto('/settings/profile');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Profile');
	});

	test('a department head starts at Requests and cannot open the dashboard', async ({ page }) => {
		await signInApi(page, DEMO.head.email);
		await page.goto('/');
		await expect(page).toHaveURL('/requests');
		await page.goto('/vendors');
		await expect(page.getByTestId('no-access')).toBeVisible();
		await page.getByRole('link', { name: 'Go to your start page' }).click();
		await expect(page).toHaveURL('/requests');
	});
});

test.describe('users', () => {
	test('an administrator creates a user and finds it in the list', async ({ page, consoleGuard }) => {
		// The server reports a taken email as a conflict (409) or a field error (422).
		consoleGuard.allow(httpError(409, '/api/v1/users'));
		consoleGuard.allow(httpError(422, '/api/v1/users'));
		const name = unique('Nora Quinn');
		const email = `nora.${Date.now()}@example.com`;
		await signInApi(page, DEMO.admin.email);
		await page.goto('/settings');
		await page.getByRole('link', { name: /Users/ }).click();
		await expect(page).toHaveURL('/settings/users');
		await expect(page.getByRole('table', { name: 'Users' })).toContainText(DEMO.auditor.email);
		await page.getByRole('link', { name: 'New user' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('New user');

		// Client-side checks first.
		await page.getByRole('button', { name: 'Create user' }).click();
		await expect(page.getByLabel('Name')).toBeFocused();
		await expect(page.getByText('Enter their name.')).toBeVisible();

		// A taken email is reported on the email field.
		await page.getByLabel('Name').fill(name);
		await page.getByLabel('Email').fill(DEMO.legal.email);
		await page.getByLabel('Role').selectOption({ label: 'Legal' });
		await page.getByLabel('Department').fill('Procurement');
		await page.getByRole('button', { name: 'Generate' }).click();
		await expect(page.getByLabel('First password')).toHaveValue(/^[A-Za-z0-9]{20}$/);
		await page.getByRole('button', { name: 'Create user' }).click();
		await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#' + (await emailErrorId(page)))).toContainText(/already/i);
		await expect(page.getByLabel('Email')).toBeFocused();

		await page.getByLabel('Email').fill(email);
		await page.getByRole('button', { name: 'Create user' }).click();
		await expect(page).toHaveURL('/settings/users');
		await expect(page.getByRole('status').filter({ hasText: email })).toBeVisible();
		const table = page.getByRole('table', { name: 'Users' });
		await expect(table).toContainText(name);

		// Search, role filter and sort live in the URL.
		await page.getByLabel('Search').fill(name);
		await expect(page).toHaveURL(/q=Nora/);
		await expect(table.locator('tbody tr')).toHaveCount(1);
		await expect(table).toContainText('Procurement');
		await page.getByLabel('Search').fill('');
		await expect(page).not.toHaveURL(/q=/);
		await page.getByLabel('Role').selectOption('legal');
		await expect(page).toHaveURL(/role=legal/);
		await expect(table).toContainText(DEMO.legal.email);
		await expect(table).toContainText(email);
		await expectEveryCell(table.locator('tbody tr td:nth-child(2)'), (role) => role === 'Legal');

		// Name ascending is the default; one click turns it around, and a reload keeps it.
		const nameHeader = table.getByRole('columnheader', { name: /Name/ });
		const names = table.locator('tbody .name');
		await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');
		expect(await names.allInnerTexts()).toEqual(sorted(await names.allInnerTexts()));
		await table.getByRole('button', { name: /Name/ }).click();
		await expect(page).toHaveURL(/sort=-name/);
		await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
		await expect
			.poll(async () => names.allInnerTexts())
			.toEqual(sorted(await names.allInnerTexts()).reverse());
		await page.reload();
		await expect(page.getByLabel('Role')).toHaveValue('legal');
		await expect(nameHeader).toHaveAttribute('aria-sort', 'descending');
		await page.getByRole('button', { name: 'Clear filters' }).first().click();
		await expect(table.locator('tbody tr')).toHaveCount(await countUsers(page));
		await screenshot(page, 'identity-users');
	});

	test('an edit that lost a race offers their version and keeps what was typed', async ({
		page,
		playwright,
		baseURL,
		consoleGuard
	}) => {
		consoleGuard.allow(httpError(409, '/api/v1/users/'));
		const other = await playwright.request.newContext({ baseURL });
		const admin = await apiAs(other, DEMO.admin.email);
		const created = await other.post('/api/v1/users', {
			headers: { 'X-CSRF-Token': admin.csrf },
			data: {
				email: `race.${Date.now()}@example.com`,
				name: unique('Race Case'),
				role: 'requester',
				department: 'Finance',
				password: 'a long enough password'
			}
		});
		expect(created.status()).toBe(201);
		const user = (await created.json()) as { id: string; version: number; name: string };

		await signInApi(page, DEMO.admin.email);
		await page.goto(`/settings/users/${user.id}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(user.name);
		await page.getByLabel('Department').fill('Treasury');

		// Meanwhile another administrator changes the role.
		const patched = await other.patch(`/api/v1/users/${user.id}`, {
			headers: { 'X-CSRF-Token': admin.csrf },
			data: { version: user.version, role: 'legal', department: 'Legal Ops' }
		});
		expect(patched.status()).toBe(200);
		await other.dispose();

		await page.getByRole('button', { name: 'Save changes' }).click();
		const conflict = page.getByTestId('conflict');
		await expect(conflict).toContainText('Someone else changed this user');
		await expect(conflict).toContainText('Legal Ops');
		await expect(conflict).toContainText('Treasury');
		await expect(page.getByLabel('Department')).toHaveValue('Treasury');
		await expect(page.getByRole('button', { name: 'Save changes' })).toBeDisabled();
		await screenshot(page, 'identity-user-conflict');

		await conflict.getByRole('button', { name: 'Reload their version' }).click();
		await expect(conflict).toHaveCount(0);
		await expect(page.getByLabel('Department')).toHaveValue('Legal Ops');
		await expect(page.getByLabel('Role')).toHaveValue('legal');
		await page.getByLabel('Active: can sign in').uncheck();
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Changes saved' })).toBeVisible();
		await expect(page.getByText('Deactivated').first()).toBeVisible();
	});

	test('the last active administrator cannot be demoted', async ({ page, consoleGuard }) => {
		consoleGuard.allow(httpError(422, '/api/v1/users/'));
		await signInApi(page, DEMO.admin.email);
		await page.goto('/settings/users?role=admin');
		await page.getByRole('link', { name: DEMO.admin.name }).click();
		// The list has a Role filter too: wait for the edit form before touching "Role".
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(DEMO.admin.name);
		await page.getByLabel('Role').selectOption('risk_manager');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await expect(page.getByText(/last active administrator/)).toBeVisible();
		await expect(page.getByLabel('Role')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.getByLabel('Role')).toBeFocused();
	});

	test('other roles see the list without edit controls', async ({ page }) => {
		await signInApi(page, DEMO.auditor.email);
		await page.goto('/settings');
		await page.getByRole('link', { name: /Users/ }).click();
		const table = page.getByRole('table', { name: 'Users' });
		await expect(table).toContainText(DEMO.admin.name);
		await expect(page.getByRole('link', { name: 'New user' })).toHaveCount(0);
		await expect(table.getByRole('link')).toHaveCount(0);
	});
});

test.describe('API tokens', () => {
	test('creating one shows its secret once; revoking asks first', async ({
		page,
		playwright,
		baseURL
	}) => {
		const name = unique('Nightly export');
		await signInApi(page, DEMO.admin.email);
		await page.goto('/');
		await page.getByTestId('user-menu').click();
		await page.getByRole('menuitem', { name: 'API tokens' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('API tokens');

		await page.getByLabel('Name').fill(name);
		await expect(page.getByLabel('Read-only')).toBeChecked();
		await page.getByRole('button', { name: 'Create token' }).click();
		const box = page.getByTestId('new-token');
		await expect(box).toContainText("you won't see it again");
		const secret = await page.getByTestId('token-secret').inputValue();
		expect(secret).toMatch(/^rmp_\S{20,}$/);
		const table = page.getByRole('table', { name: 'Your API tokens' });
		const row = table.locator('tbody tr', { hasText: name });
		await expect(row).toContainText('Read-only');
		await expect(row).toContainText('Active');
		await expect(row).toContainText(secret.slice(0, 12));
		await screenshot(page, 'identity-tokens');

		// The secret works as a bearer token, without any cookie.
		const bare = await playwright.request.newContext({ baseURL });
		const asToken = await bare.get('/api/v1/users?limit=1', {
			headers: { Authorization: `Bearer ${secret}` }
		});
		expect(asToken.status()).toBe(200);

		// Gone after a reload: it is never shown again.
		await page.reload();
		await expect(page.getByTestId('new-token')).toHaveCount(0);
		await expect(page.getByText(secret)).toHaveCount(0);
		await expect(row).toBeVisible();

		await row.getByRole('button', { name: `Revoke ${name}` }).click();
		const dialog = page.getByRole('dialog', { name: `Revoke “${name}”?` });
		await expect(dialog).toBeVisible();
		await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
		await page.keyboard.press('Escape');
		await expect(dialog).toBeHidden();
		await expect(row).toContainText('Active');

		await row.getByRole('button', { name: `Revoke ${name}` }).click();
		await dialog.getByRole('button', { name: 'Revoke token' }).click();
		await expect(dialog).toBeHidden();
		await expect(row).toContainText('Revoked');
		await expect(row.getByRole('button', { name: /Revoke/ })).toHaveCount(0);
		const afterRevoke = await bare.get('/api/v1/users?limit=1', {
			headers: { Authorization: `Bearer ${secret}` }
		});
		expect(afterRevoke.status()).toBe(401);
		await bare.dispose();
	});
});

test.describe('activity', () => {
	test('the auditor reads the trail, expands an event and verifies the chain', async ({ page }) => {
		await signInUi(page, DEMO.auditor.email);
		await sidebar(page).getByRole('link', { name: 'Activity' }).click();
		await expect(page).toHaveURL('/activity');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Activity');
		const table = page.getByRole('table', { name: 'Audit events' });
		await expect(table.locator('tbody tr').first()).toBeVisible();
		await expect(table).toContainText('Signed in');
		await expect(table).toContainText(DEMO.auditor.email);

		// Filter to sign-ins: the URL carries it, the export link too.
		await page.getByLabel('Action').selectOption('auth.sign_in');
		await expect(page).toHaveURL('/activity?action=auth.sign_in');
		const actions = table.locator('tbody tr:not(.detail) td:nth-child(3)');
		await expectEveryCell(actions, (text) => text === 'Signed in');
		await expect(page.getByRole('link', { name: 'Export CSV' })).toHaveAttribute(
			'href',
			'/api/v1/audit-events/export.csv?action=auth.sign_in'
		);

		// The newest event is the auditor's own sign-in: open it.
		const first = table.locator('tbody tr').first();
		const toggle = first.getByRole('button', { name: /details/ });
		await expect(toggle).toHaveAttribute('aria-expanded', 'false');
		await toggle.click();
		await expect(toggle).toHaveAttribute('aria-expanded', 'true');
		const detail = page.locator(`#${await toggle.getAttribute('aria-controls')}`);
		await expect(detail).toContainText('Request ID');
		await expect(detail).toContainText('Client address');

		await page.getByRole('button', { name: 'Verify chain' }).click();
		const result = page.getByTestId('verify-result');
		await expect(result).toContainText('The audit chain is intact');
		await expect(result).toContainText(/All \d+ events were checked/);
		await screenshot(page, 'identity-activity');

		const csv = await page.request.get('/api/v1/audit-events/export.csv?action=auth.sign_in');
		expect(csv.status()).toBe(200);
		expect(await csv.text()).toContain('auth.sign_in');
	});

	test('shows the before and after of a change', async ({ page }) => {
		await signInApi(page, DEMO.admin.email);
		await page.goto('/activity?action=user.create');
		const table = page.getByRole('table', { name: 'Audit events' });
		await table.locator('tbody tr').first().getByRole('button', { name: /details/ }).click();
		const detail = table.locator('tr.detail');
		await expect(detail.getByText('After', { exact: true })).toBeVisible();
		await expect(detail.locator('pre').nth(1)).toContainText('"email"');
	});
});

test.describe('profile', () => {
	test('changes name and password, then signs out everywhere', async ({
		page,
		playwright,
		baseURL,
		consoleGuard
	}) => {
		consoleGuard.allow(httpError(422, '/api/v1/auth/password'));
		consoleGuard.allow(httpError(401, '/api/v1/auth/me'));
		// A user of its own, so the demo accounts keep their password.
		const email = `profile.${Date.now()}@example.com`;
		const temporary = 'temporary password, set by the admin';
		const first = 'first password, long enough';
		const second = 'second password, also long';
		const other = await playwright.request.newContext({ baseURL });
		const admin = await apiAs(other, DEMO.admin.email);
		const res = await other.post('/api/v1/users', {
			headers: { 'X-CSRF-Token': admin.csrf },
			data: { email, name: 'Pat Doe', role: 'legal', department: 'Legal', password: temporary }
		});
		expect(res.status()).toBe(201);
		await other.dispose();

		// The admin's password is temporary: the first sign-in asks for one of the user's own.
		await page.goto('/sign-in');
		await page.getByLabel('Email').fill(email);
		await page.getByLabel('Password', { exact: true }).fill(temporary);
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await page.getByLabel('Temporary password').fill(temporary);
		await page.getByLabel('New password').fill(first);
		await page.getByRole('button', { name: 'Save and continue' }).click();
		await expect(page.getByTestId('user-menu')).toBeVisible();
		await page.getByTestId('user-menu').click();
		await page.getByRole('menuitem', { name: 'Profile' }).click();
		await expect(page).toHaveURL('/settings/profile');

		await page.getByLabel('Name').fill('Pat Doe-Smith');
		await page.getByRole('button', { name: 'Save name' }).click();
		await expect(page.getByRole('status').filter({ hasText: 'Name saved' })).toBeVisible();
		await expect(page.getByTestId('user-menu')).toContainText('Pat Doe-Smith');

		const password = page.getByRole('region', { name: 'Password' });
		await password.getByLabel('Current password').fill(first);
		await password.getByLabel(/^New password/).fill(second);
		await password.getByLabel('Confirm new password').fill(second + '!');
		await password.getByRole('button', { name: 'Change password' }).click();
		await expect(password.getByText("The passwords don't match.")).toBeVisible();
		await expect(password.getByLabel('Confirm new password')).toBeFocused();

		await password.getByLabel('Current password').fill('wrong current password');
		await password.getByLabel('Confirm new password').fill(second);
		await password.getByRole('button', { name: 'Change password' }).click();
		await expect(password.getByLabel('Current password')).toHaveAttribute('aria-invalid', 'true');
		await expect(password.getByText(/incorrect/i)).toBeVisible();

		await password.getByLabel('Current password').fill(first);
		await password.getByRole('button', { name: 'Change password' }).click();
		await expect(password.getByRole('status').filter({ hasText: 'Password changed' })).toBeVisible();
		await screenshot(page, 'identity-profile');

		// The rotated session (and its new CSRF token) still works for changes.
		await page.getByLabel('Name').fill('Pat Doe');
		await page.getByRole('button', { name: 'Save name' }).click();
		await expect(page.getByTestId('user-menu')).not.toContainText('Doe-Smith');
		await expect(page.getByRole('status').filter({ hasText: 'Name saved' })).toBeVisible();

		await page.getByRole('button', { name: 'Sign out everywhere' }).click();
		const dialog = page.getByRole('dialog', { name: 'Sign out everywhere?' });
		await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
		await expect(page).toHaveURL('/sign-in');

		// The new password is the one that works now.
		await signInUi(page, email, second);
	});
});

async function csrfOf(page: import('@playwright/test').Page): Promise<string> {
	const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { csrf_token: string };
	return me.csrf_token;
}

function sorted(names: string[]): string[] {
	return [...names].sort((a, b) => a.localeCompare(b));
}

async function emailErrorId(page: import('@playwright/test').Page): Promise<string> {
	const describedBy = (await page.getByLabel('Email').getAttribute('aria-describedby')) ?? '';
	return describedBy.split(' ')[0] ?? '';
}

async function countUsers(page: import('@playwright/test').Page): Promise<number> {
	const list = (await (await page.request.get('/api/v1/users?limit=1')).json()) as { total: number };
	return Math.min(list.total, 25);
}

test.describe('accessibility', () => {
	test('the identity pages pass WCAG 2.1 AA checks', async ({ page, consoleGuard }) => {
		// A walk of many pages, each scanned by axe: on a busy CI machine it ran past the default 30 s.
		test.setTimeout(90_000);
		consoleGuard.allow(httpError(401, '/api/v1/auth/login'));
		await page.goto('/sign-in');
		await expectAccessible(page, 'sign-in');
		await page.getByLabel('Password', { exact: true }).fill('wrong password');
		await page.getByLabel('Email').fill(DEMO.admin.email);
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await expect(page.getByRole('alert')).toBeVisible();
		await expectAccessible(page, 'sign-in with an error');

		await signInUi(page, DEMO.admin.email);
		await page.getByTestId('user-menu').click();
		await expectAccessible(page, 'the open user menu');
		await page.keyboard.press('Escape');

		for (const path of ['/settings', '/settings/profile', '/settings/users', '/settings/users/new', '/settings/api-tokens']) {
			await page.goto(path);
			await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
			await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
			await expectAccessible(page, path);
		}

		await page.goto('/settings/users/new');
		await page.getByRole('button', { name: 'Create user' }).click();
		await expect(page.getByText('Enter their name.')).toBeVisible();
		await expectAccessible(page, 'new user with errors');

		await page.goto('/settings/users?role=admin');
		await page.getByRole('link', { name: DEMO.admin.name }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(DEMO.admin.name);
		await expect(page.getByLabel('Role')).toBeVisible();
		await expectAccessible(page, 'edit user');

		await page.goto('/activity');
		const table = page.getByRole('table', { name: 'Audit events' });
		await table.locator('tbody tr').first().getByRole('button', { name: /details/ }).click();
		await page.getByRole('button', { name: 'Verify chain' }).click();
		await expect(page.getByTestId('verify-result')).toBeVisible();
		await expectAccessible(page, 'activity with an open event');

		await page.goto('/settings/profile');
		await page.getByRole('button', { name: 'Sign out everywhere' }).click();
		await expect(page.getByRole('dialog')).toBeVisible();
		await expectAccessible(page, 'the confirmation dialog');
		await page.keyboard.press('Escape');

		await signInApi(page, DEMO.head.email);
		await page.goto('/activity');
		await expect(page.getByTestId('no-access')).toBeVisible();
		await expectAccessible(page, 'no access');
	});
});
