import { DEMO, expect, expectAccessible, screenshot, signInApi, test, unique } from './fixtures';

interface ContractItem {
	id: string;
	title: string;
	vendor_name: string;
	review_status: string;
}

test('legal works the queue: a term click highlights its quote, confirm and correct are recorded, a deviation becomes a finding, a new version uploads', async ({
	page
}) => {
	await signInApi(page, DEMO.legal.email);
	await page.goto('/contracts?tab=queue');
	const rows = page.getByRole('table', { name: 'Contracts' }).locator('tbody tr');
	await expect(rows.first()).toBeVisible();
	await expect(page.getByRole('table', { name: 'Contracts' })).toContainText('Review pending');
	await screenshot(page, 'contracts-queue');

	// The demo contract whose terms miss the playbook (3 months' fees cap, 5 business days' notice).
	const queue = await (await page.request.get('/api/v1/contracts', { params: { awaiting_review: 'true', limit: 50 } })).json();
	const pending = (queue.items as ContractItem[]).filter((c) => c.review_status === 'pending');
	expect(pending.length).toBeGreaterThan(0);
	let target: ContractItem | undefined;
	for (const c of pending) {
		const doc = await (await page.request.get(`/api/v1/contracts/${c.id}/documents`)).json();
		if (doc.items[0]?.filename === 'subscription-agreement.txt') target = c;
	}
	expect(target).toBeDefined();
	await page.goto(`/contracts/${target!.id}`);

	const text = page.getByLabel('Contract text');
	await expect(text).toContainText('SOFTWARE SUBSCRIPTION AGREEMENT');
	const law = page.locator('li[data-term="governing_law"]');
	await expect(law).toContainText('Delaware');
	await law.getByRole('button', { name: /Show in text/ }).click();
	const mark = text.locator('mark.active');
	await expect(mark.first()).toBeVisible();
	await expect(mark.first()).toContainText('Delaware');
	await expect(mark.first()).toBeInViewport();

	// Confirm governing law; the badge says so.
	await law.getByRole('button', { name: 'Confirm' }).click();
	await expect(law).toContainText('Confirmed');

	// Correct the breach notification term.
	const breach = page.locator('li[data-term="breach_notification"]');
	await breach.getByRole('button', { name: 'Correct' }).click();
	await breach.getByLabel('Value').fill('10 business days');
	await breach.getByLabel('Note').fill('Section 3.1 as amended by side letter');
	await breach.getByRole('button', { name: 'Save correction' }).click();
	await expect(breach).toContainText('Corrected');
	await expect(breach).toContainText('Extraction proposed: within 5 business days');

	// The liability cap deviates from the playbook: raise a finding from it.
	const cap = page.locator('li[data-term="liability_cap"]');
	await expect(cap).toContainText('Deviates');
	await cap.getByRole('button', { name: 'Raise finding' }).click();
	await expect(cap.getByRole('link', { name: 'Finding' })).toBeVisible();
	await expectAccessible(page, 'the contract review page');
	await screenshot(page, 'contract-review');

	// A new version: the upload shows, and the list of versions grows.
	await page.locator('input[type=file]').setInputFiles({
		name: 'subscription-agreement-v2.txt',
		mimeType: 'text/plain',
		buffer: Buffer.from(
			'SOFTWARE SUBSCRIPTION AGREEMENT v2\n\n8. LAW\nThis Agreement shall be governed by the laws of the State of New York.\n'
		)
	});
	await expect(page.getByText(/Version 2 uploaded/)).toBeVisible();
	await expect(page.getByLabel('Contract text')).toContainText('v2');
	await expect(page.locator('li[data-term="governing_law"]')).toContainText('New York');
	await expect(page.locator('li[data-term="governing_law"]')).toContainText('Proposed');

});

test('an auditor reads contracts and their terms but cannot review, upload or sign off', async ({ page }) => {
	await signInApi(page, DEMO.auditor.email);
	await page.goto('/contracts');
	await expect(page.getByRole('link', { name: 'Add contract' })).toHaveCount(0);
	const list = await (await page.request.get('/api/v1/contracts', { params: { review: 'signed_off' } })).json();
	const signed = (list.items as ContractItem[])[0]!;
	await page.goto(`/contracts/${signed.id}`);
	await expect(page.getByText('Signed off', { exact: true }).first()).toBeVisible();
	await expect(page.locator('li[data-term]').first()).toBeVisible();
	await expect(page.getByRole('button', { name: 'Confirm' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Reopen review' })).toHaveCount(0);
	await expect(page.locator('input[type=file]')).toHaveCount(0);
});

test('sign-off waits, with the reason in words, until every key term is reviewed', async ({ page }) => {
	await signInApi(page, DEMO.legal.email);
	const me = await (await page.request.get('/api/v1/auth/me')).json();
	const headers = { 'X-CSRF-Token': me.csrf_token };
	const vendor = (await (await page.request.get('/api/v1/vendors?limit=1&sort=name')).json()).items[0] as { id: string };
	const created = await page.request.post('/api/v1/contracts', {
		headers,
		data: { vendor_id: vendor.id, title: unique('Sign-off gate MSA'), type: 'msa' }
	});
	expect(created.status()).toBe(201);
	const id = (await created.json()).id as string;

	// No document yet: the server says what sign-off waits for.
	const before = (await (await page.request.get(`/api/v1/contracts/${id}/terms`)).json()).sign_off;
	expect(before.ready).toBe(false);
	expect(before.reason).toContain('upload the contract');
	const signOffButton = page.getByRole('button', { name: 'Sign off review' });
	const blocker = page.getByTestId('sign-off-blocker');

	const up = await page.request.post(`/api/v1/contracts/${id}/documents`, {
		headers,
		multipart: {
			file: {
				name: 'msa.txt',
				mimeType: 'text/plain',
				buffer: Buffer.from('MASTER SERVICES AGREEMENT\n\nThis Agreement shall be governed by the laws of England and Wales.\n')
			}
		}
	});
	expect(up.status()).toBe(201);
	// Every term but governing law reviewed behind the page's back.
	const terms = (await (await page.request.get(`/api/v1/contracts/${id}/terms`)).json()).items as { key: string; version: number }[];
	for (const t of terms.filter((t) => t.key !== 'governing_law')) {
		const r = await page.request.patch(`/api/v1/contracts/${id}/terms/${t.key}`, { headers, data: { version: t.version, action: 'confirm' } });
		expect(r.status()).toBe(200);
	}
	await page.goto(`/contracts/${id}`);
	await expect(signOffButton).toBeDisabled();
	await expect(blocker).toHaveText('Sign-off is not possible yet: 1 term still needs confirming or correcting: Governing law.');
	await expect(signOffButton).toHaveAttribute('aria-describedby', 'sign-off-blocker');
	await expect(blocker).not.toContainText('governing_law');

	await page.locator('li[data-term="governing_law"]').getByRole('button', { name: 'Confirm' }).click();
	await expect(blocker).toHaveCount(0);
	await expect(signOffButton).toBeEnabled();
	await signOffButton.click();
	await page.getByRole('dialog').getByRole('button', { name: 'Sign off' }).click();
	await expect(page.getByText('Review signed off: the terms are locked.')).toBeVisible();
	await expectAccessible(page, 'a signed-off contract');
});
