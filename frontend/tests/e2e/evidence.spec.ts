import { apiAs, DEMO, expect, expectAccessible, test } from './fixtures';

test('a risk manager uploads evidence with an expiry and accepts it: the required checklist and the score factor follow', async ({ page }) => {
	const { csrf } = await apiAs(page.request, DEMO.risk.email);
	const created = await page.request.post('/api/v1/vendors', {
		headers: { 'X-CSRF-Token': csrf },
		data: {
			name: `Evidence Vault ${Date.now()}`,
			category: 'saas',
			data_types: ['health_data'],
			access_level: 'administrative',
			integration_methods: ['agent'],
			criticality: 'critical'
		}
	});
	expect(created.status()).toBe(201);
	const vendor = (await created.json()) as { id: string; tier: number };
	expect(vendor.tier).toBe(1);

	await page.goto(`/vendors/${vendor.id}?tab=documents`);
	const lib = page.getByTestId('vendor-evidence');
	const checklist = lib.getByTestId('required-evidence');
	await expect(checklist.getByRole('listitem')).toHaveCount(3);
	await expect(checklist.getByRole('listitem').filter({ hasText: 'insurance certificate' })).toContainText('Missing');

	const expires = new Date(Date.now() + 200 * 86400_000).toISOString().slice(0, 10);
	await lib.getByRole('button', { name: 'Upload document' }).click();
	await lib.getByLabel('File').setInputFiles({ name: 'insurance.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n') });
	await lib.getByLabel('Kind').selectOption('insurance_certificate');
	await lib.getByLabel('Issuer').fill('Harbour Mutual <b>Insurance</b>');
	await lib.getByLabel('Expires on').fill(expires);
	await lib.getByRole('button', { name: 'Upload', exact: true }).click();

	const row = lib.getByTestId('evidence-row').filter({ hasText: 'Insurance certificate' });
	await expect(row).toContainText('Received');
	await expect(row).toContainText('Harbour Mutual <b>Insurance</b>');
	await row.getByRole('button', { name: 'Accept' }).click();
	await expect(row).toContainText('Accepted');
	await expect(checklist.getByRole('listitem').filter({ hasText: 'insurance certificate' })).toContainText('Held');
	await expect(checklist.getByRole('listitem').filter({ hasText: 'SOC 2 Type II report' })).toContainText('Missing');

	await row.getByRole('button', { name: 'Versions' }).click();
	await expect(lib.getByText(/Version 1: insurance\.pdf — Accepted by/)).toBeVisible();
	await expectAccessible(page, 'the evidence library');
	await page.screenshot({ path: 'test-results/evidence-documents-tab.png', fullPage: true });

	await page.goto(`/vendors/${vendor.id}?tab=risk`);
	await expect(page.getByText('Required evidence').first()).toBeVisible();
	await expect(page.getByText('missing SOC 2 Type II report, penetration test summary').first()).toBeVisible();
	await page.screenshot({ path: 'test-results/evidence-risk-factor.png', fullPage: true });
});
