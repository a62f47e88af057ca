import type { APIRequestContext } from '@playwright/test';
import {
	apiAs,
	DEMO,
	expect,
	expectAccessible,
	expectEveryCell,
	httpError,
	screenshot,
	signInApi,
	test,
	unique
} from './fixtures';

/** Files a request through the API as `email`; returns its id. */
async function fileRequest(
	request: APIRequestContext,
	email: string,
	fields: Record<string, unknown>
): Promise<string> {
	const { csrf } = await apiAs(request, email);
	const res = await request.post('/api/v1/requests', {
		headers: { 'X-CSRF-Token': csrf },
		data: { purpose: 'Testing', ...fields }
	});
	expect(res.status(), await res.text()).toBe(201);
	return ((await res.json()) as { id: string }).id;
}

test.describe('the requester’s view of an open request', () => {
	test('a stepper shows the stage and what is next; withdrawing is a quiet, confirmed action', async ({ page, request }) => {
		const title = unique('Stepper check');
		const id = await fileRequest(request, DEMO.head.email, { title, vendor_name: 'Stepper Tools' });
		// The risk team starts triage: the requester sees it move on.
		const { csrf } = await apiAs(request, DEMO.risk.email);
		const moved = await request.post(`/api/v1/requests/${id}/transition`, { headers: { 'X-CSRF-Token': csrf }, data: { version: 1, to: 'triage' } });
		expect(moved.status(), await moved.text()).toBe(200);

		await signInApi(page, DEMO.head.email);
		await page.goto(`/requests/${id}`);
		const stepper = page.getByTestId('request-stepper');
		await expect(stepper.locator('[aria-current="step"]')).toContainText('Triage');
		await expect(stepper.getByRole('listitem').first()).toHaveText(/Submitted\s*\(done\)/);
		await expect(page.getByTestId('request-next')).toContainText('Next: a security or legal review');
		await expectAccessible(page, 'the request page with its stepper');
		await screenshot(page, 'request-stepper');

		// Withdraw is no longer a red or primary button, and still asks first.
		const withdraw = page.getByRole('button', { name: 'Withdraw request' });
		await expect(withdraw).toHaveClass(/\bghost\b/);
		await expect(withdraw).not.toHaveClass(/\b(danger|primary)\b/);
		await withdraw.click();
		const dialog = page.getByRole('dialog', { name: 'Withdraw your request?' });
		await expect(dialog).toBeVisible();
		await dialog.getByRole('button', { name: 'Cancel' }).click();
		await expect(page.locator('.summary')).toContainText('Triage');
		await withdraw.click();
		await dialog.getByRole('button', { name: 'Withdraw request' }).click();
		await expect(page.getByText('Your request is withdrawn.')).toBeVisible();
		await expect(stepper.getByRole('listitem')).toHaveText([
			/Submitted\s*\(done\)/,
			/Triage\s*\(done\)/,
			/Review\s*\(not\sneeded\)/,
			/Withdrawn\s*\(current\sstage\)/
		]);
	});
});

test.describe('a tool request from filing to decision', () => {
	test('the requester files it; the risk manager triages, assigns, comments, creates the vendor and approves with conditions; the requester sees the decision', async ({
		page,
		consoleGuard
	}) => {
		// Three people and a dozen pages: more than the default on a busy machine.
		test.setTimeout(60_000);
		consoleGuard.allow(httpError(422, '/api/v1/requests'));
		const tool = unique('Zenith Boards');
		const vendor = unique('Zenith Labs');
		const domain = `${vendor.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;

		// Hugo, a department head, asks for a tool.
		await signInApi(page, DEMO.head.email);
		await page.goto('/');
		await expect(page).toHaveURL('/requests');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('My requests');
		await page.getByRole('link', { name: 'Request a tool' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Request a tool');

		await page.getByRole('button', { name: 'Send request' }).click();
		await expect(page.getByLabel('What tool do you need?')).toBeFocused();
		await expect(page.getByText('Say which tool you need.')).toBeVisible();
		await expect(page.getByText('Tell us what you need it for.')).toBeVisible();

		await page.getByLabel('What tool do you need?').fill(tool);
		await page.getByLabel('Who makes it?').fill(vendor);
		await page.getByLabel('Their website').fill(domain);
		await page.getByLabel('Why do you need it?').fill('Planning workshops with remote teams.');
		await page.getByLabel('How many people will use it?').fill('25');
		const data = page.getByRole('group', { name: 'Which data will it touch?' });
		await data.getByLabel('Internal').check();
		await data.getByLabel('Personal data', { exact: true }).check();
		await page.getByRole('group', { name: 'How will it connect to our systems?' }).getByLabel('Single sign-on (SSO)').check();
		await page.getByLabel('What will it cost per year?').fill('2,400');
		await page.getByRole('button', { name: 'Send request' }).click();
		await expect(page.getByText('Say which currency the cost is in.')).toBeVisible();
		await expect(page.getByLabel('Currency')).toBeFocused();
		await page.getByLabel('Currency').fill('eur');
		await expect(page.getByLabel('Currency')).toHaveValue('EUR');
		await page.getByLabel('What else did you consider?').fill('A whiteboard.');
		await page.getByRole('button', { name: 'Send request' }).click();

		await expect(page).toHaveURL(/\/requests\/(?!new$)[^/]+$/);
		const url = page.url();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(tool);
		await expect(page.getByRole('status').filter({ hasText: 'Your request is in' })).toBeVisible();
		await expect(page.getByTestId('timeline')).toContainText('Hugo Martins submitted the request');
		// A requester cannot triage or decide, only withdraw.
		await expect(page.getByRole('button', { name: 'Withdraw request' })).toBeVisible();
		// Where the request is and what comes next lead the page.
		const stepper = page.getByTestId('request-stepper');
		await expect(stepper.getByRole('listitem')).toHaveText([/Submitted\s*\(current\sstage\)/, /Triage\s*\(to\scome\)/, /Review\s*\(to\scome\)/, /Decision\s*\(to\scome\)/]);
		await expect(stepper.locator('[aria-current="step"]')).toContainText('Submitted');
		await expect(page.getByTestId('request-next')).toHaveText('Next: the risk team triages your request and may ask you questions here.');
		await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
		await expect(page.getByRole('button', { name: 'Create vendor from this request' })).toHaveCount(0);

		// Riley, a risk manager, finds it in the queue.
		await signInApi(page, DEMO.risk.email);
		await page.goto('/requests?tab=submitted');
		const queue = page.getByRole('table', { name: 'Requests' });
		await queue.getByRole('link', { name: tool }).click();
		await expect(page).toHaveURL(url);

		await page.getByRole('button', { name: 'Start triage' }).click();
		await expect(page.locator('.summary')).toContainText('Triage');
		await expect(page.getByTestId('timeline')).toContainText('Riley Chen moved it from Submitted to Triage');

		await page.getByRole('button', { name: 'Assign to me' }).click();
		await expect(page.getByLabel('Reviewer')).toHaveValue(/.+/);
		await expect(page.getByTestId('timeline')).toContainText('assigned it to Riley Chen');

		await page.getByLabel('Add a comment').fill('Which personal data will the boards hold?');
		await page.getByRole('button', { name: 'Comment', exact: true }).click();
		await expect(page.getByTestId('timeline')).toContainText('Which personal data will the boards hold?');
		await expect(page.getByLabel('Add a comment')).toHaveValue('');

		await page.getByRole('button', { name: 'Create vendor from this request' }).click();
		const linked = page.getByTestId('linked-vendor');
		await expect(linked).toHaveText(vendor);
		await expect(page.getByTestId('timeline')).toContainText(`linked it to the vendor ${vendor}`);

		// Approving with conditions needs the conditions.
		await page.getByRole('button', { name: 'Approve with conditions' }).click();
		const dialog = page.getByRole('dialog', { name: 'Approve with conditions' });
		await dialog.getByRole('button', { name: 'Approve with conditions' }).click();
		await expect(dialog.getByText('Write the conditions the requester must meet.')).toBeVisible();
		await expect(dialog.getByLabel('Conditions')).toBeFocused();
		await expect(dialog.getByTestId('vendor-follows')).toContainText(`The linked vendor ${vendor} moves to Approved`);
		await dialog.getByLabel('Conditions').fill('SSO only.\nNo customer data.');
		await dialog.getByLabel('Comment (optional)').fill('Fine for workshops.');
		await expectAccessible(page, 'the decision dialog');
		await dialog.getByRole('button', { name: 'Approve with conditions' }).click();
		await expect(dialog).toBeHidden();
		const decision = page.getByTestId('decision');
		await expect(decision).toContainText('Approved with conditions');
		await expect(decision).toContainText('Decided by Riley Chen');
		await expect(decision).toContainText('No customer data.');
		await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
		await screenshot(page, 'requests-detail');

		// The vendor exists in the register, linked back, and the approval approved it too.
		await linked.click();
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(vendor);
		await expect(page.locator('.summary')).toContainText('Approved');

		// Hugo sees the decision and its conditions.
		await signInApi(page, DEMO.head.email);
		await page.goto('/requests');
		const mine = page.getByRole('table', { name: 'Your requests' });
		const row = mine.locator('tbody tr', { hasText: tool });
		await expect(row).toContainText('Approved with conditions');
		await screenshot(page, 'requests-mine');
		await row.getByRole('link', { name: tool }).click();
		await expect(page.getByTestId('decision')).toContainText('SSO only.');
		await expect(page.getByTestId('decision')).toContainText('Decided by Riley Chen');
		await expect(page.getByTestId('timeline')).toContainText('Which personal data will the boards hold?');
		await expect(page.getByRole('button', { name: 'Withdraw request' })).toHaveCount(0);
		await expect(page.getByTestId('request-stepper').getByRole('listitem')).toHaveText([
			/Submitted\s*\(done\)/,
			/Triage\s*\(done\)/,
			/Review\s*\(not\sneeded\)/,
			/Approved\swith\sconditions\s*\(done\)/
		]);
		await expect(page.getByTestId('request-next')).toHaveCount(0);
		// The vendor is named, but the register is not the requester's to open.
		await expect(page.getByTestId('linked-vendor')).toHaveText(vendor);
		await expect(page.getByRole('link', { name: vendor })).toHaveCount(0);
	});

	test('creating the vendor offers the register’s match instead of a duplicate', async ({ page, request, consoleGuard }) => {
		consoleGuard.allow(httpError(409, '/api/v1/requests/'));
		const title = unique('Amberfall contract review');
		const id = await fileRequest(request, DEMO.admin.email, {
			title,
			vendor_name: 'Amberfall Legal Partners',
			vendor_website: 'https://amberfalllegalpartners.example'
		});
		await signInApi(page, DEMO.risk.email);
		await page.goto(`/requests/${id}`);
		await page.getByRole('button', { name: 'Create vendor from this request' }).click();
		const dups = page.getByTestId('vendor-duplicates');
		await expect(dups).toContainText('This vendor seems to be in the register already');
		const link = dups.getByRole('button', { name: 'Link Amberfall Legal Partners' });
		await expect(link).toBeFocused();
		await link.click();
		await expect(page.getByTestId('linked-vendor')).toHaveText('Amberfall Legal Partners');
		await expect(dups).toHaveCount(0);

		// Or search the register and link another one.
		await page.getByRole('combobox', { name: 'Link another vendor' }).fill('bluefin pay');
		await page.getByRole('option', { name: /Bluefin Payroll/ }).click();
		await page.getByRole('button', { name: 'Link Bluefin Payroll' }).click();
		await expect(page.getByTestId('linked-vendor')).toHaveText('Bluefin Payroll');
	});

	test('a requester cannot open someone else’s request', async ({ page, request, consoleGuard }) => {
		consoleGuard.allow(httpError(404, '/api/v1/requests/'));
		const id = await fileRequest(request, DEMO.admin.email, {
			title: unique('Admin-only tool'),
			vendor_name: 'Secret Vendor'
		});
		// The server says so, not just the page.
		await signInApi(page, DEMO.head.email);
		expect((await page.request.get(`/api/v1/requests/${id}`)).status()).toBe(404);
		await page.goto(`/requests/${id}`);
		await expect(page.getByTestId('request-not-found')).toContainText('No such request');
		await expect(page.getByText('Admin-only tool')).toHaveCount(0);
	});
});

test.describe('the review queue', () => {
	test('tabs with counts, assignee and search filters in the URL', async ({ page }) => {
		await signInApi(page, DEMO.risk.email);
		await page.goto('/requests');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Requests');
		const tabs = page.getByRole('navigation', { name: 'Request status' });
		const open = tabs.getByRole('link', { name: /^Open/ });
		await expect(open).toHaveAttribute('aria-current', 'page');
		await expect(open).toContainText(/\d+/);
		const counts = (await (await page.request.get('/api/v1/requests/counts')).json()) as {
			by_status: Record<string, number>;
		};
		await expect(tabs.getByRole('link', { name: /^Legal review/ })).toContainText(String(counts.by_status.legal_review ?? 0));

		const table = page.getByRole('table', { name: 'Requests' });
		await tabs.getByRole('link', { name: /^Legal review/ }).click();
		await expect(page).toHaveURL('/requests?tab=legal_review');
		await expect(table.locator('tbody tr')).toHaveCount(counts.by_status.legal_review ?? 0);
		for (const s of await table.locator('tbody tr td:nth-child(3)').allInnerTexts()) expect(s.trim()).toBe('Legal review');

		await tabs.getByRole('link', { name: /^Open/ }).click();
		// Let the tab's navigation land first, or it would replace the filter's URL.
		await expect(page).toHaveURL('/requests');
		await expect(open).toHaveAttribute('aria-current', 'page');
		await page.getByLabel('Assignee').selectOption('none');
		await expect(page).toHaveURL('/requests?assignee=none');
		await expectEveryCell(table.locator('tbody tr td:nth-child(4)'), (s) => s === 'Unassigned');

		await page.getByLabel('Assignee').selectOption('');
		await expect(page).toHaveURL('/requests');
		await page.getByLabel('Search').fill('notion');
		await expect(page).toHaveURL('/requests?q=notion');
		await expect(table.locator('tbody tr')).toHaveCount(1);
		await expect(table).toContainText('Notion for the wiki');

		await page.getByLabel('Search').fill('');
		await expect(page).toHaveURL('/requests');
		await table.getByRole('button', { name: /Needed by/ }).click();
		await expect(page).toHaveURL('/requests?sort=needed_by');
		await page.reload();
		await expect(table.getByRole('columnheader', { name: /Needed by/ })).toHaveAttribute('aria-sort', 'ascending');
		await screenshot(page, 'requests-queue');

		// The dashboard lists what is assigned to the risk manager.
		await page.goto('/');
		await expect(page.getByTestId('my-work')).toContainText('Notion for the wiki');
	});
});

test.describe('accessibility', () => {
	test('the request pages pass WCAG 2.1 AA checks', async ({ page }) => {
		// A walk of many pages, each scanned by axe: on a busy CI machine it ran past the default 30 s.
		test.setTimeout(90_000);
		await signInApi(page, DEMO.risk.email);
		await page.goto('/requests');
		await expect(page.getByRole('table', { name: 'Requests' }).locator('tbody tr').first()).toBeVisible();
		await expectAccessible(page, 'the queue');
		await page.getByRole('table', { name: 'Requests' }).getByRole('link').first().click();
		await expect(page.getByTestId('timeline')).toBeVisible();
		await expectAccessible(page, 'a request');
		await page.goto('/');
		await expect(page.getByTestId('my-work')).toBeVisible();
		await expectAccessible(page, 'the dashboard');

		await signInApi(page, DEMO.head.email);
		await page.goto('/requests');
		await expect(page.getByRole('table', { name: 'Your requests' })).toBeVisible();
		await expectAccessible(page, 'my requests');
		await page.goto('/requests/new');
		await page.getByRole('button', { name: 'Send request' }).click();
		await expect(page.getByText('Say which tool you need.')).toBeVisible();
		await expectAccessible(page, 'request a tool, with errors');
	});
});
