import { readFileSync } from 'node:fs';
import { apiAs, DEMO, expect, expectAccessible, screenshot, test, unique } from './fixtures';

const report = readFileSync(new URL('../../../app/soc2/testdata/dev-qualified-exceptions.txt', import.meta.url));

test('a risk manager uploads a SOC 2 report and works its review checklist to completed: a CUEC mapped, an exception turned into a finding', async ({ page }) => {
	// Upload, nine decisions, an accessibility scan of a long page and a rescore each: slow on a shared machine.
	test.setTimeout(120_000);
	const { csrf } = await apiAs(page.request, DEMO.risk.email);
	const created = await page.request.post('/api/v1/vendors', {
		headers: { 'X-CSRF-Token': csrf },
		data: { name: unique('SOC Review Co'), category: 'saas', criticality: 'high' }
	});
	expect(created.status()).toBe(201);
	const vendor = (await created.json()) as { id: string };

	// Upload with no kind: the report is read and gets its checklist.
	await page.goto(`/vendors/${vendor.id}?tab=documents`);
	const lib = page.getByTestId('vendor-evidence');
	await lib.getByRole('button', { name: 'Upload document' }).click();
	await lib.getByLabel('File').setInputFiles({ name: 'soc2-report.txt', mimeType: 'text/plain', buffer: report });
	await lib.getByRole('button', { name: 'Upload', exact: true }).click();
	const row = lib.getByTestId('evidence-row').filter({ hasText: 'SOC 2 Type II report' });
	await expect(row).toContainText('Received');
	await row.getByRole('button', { name: 'Review checklist' }).click();

	const checklist = lib.getByTestId('review-checklist');
	await expect(checklist.getByTestId('checklist-progress')).toHaveText('0 of 9 decided');
	const items = checklist.getByTestId('checklist-item');
	await expect(items).toHaveCount(9);

	// A CUEC mapped to an owner and an internal control.
	const cuec = items.filter({ hasText: 'employee data submitted' });
	await cuec.getByRole('button', { name: 'Map to owner / control' }).click();
	await cuec.getByLabel('Internal owner').selectOption({ index: 1 });
	await cuec.getByLabel('Internal control').fill('ITGC-7 HR feed');
	await cuec.getByRole('button', { name: 'Map to owner / control' }).click();
	await expect(cuec).toContainText('Mapped');
	await expect(cuec).toContainText('Control: ITGC-7 HR feed.');
	await expect(checklist.getByTestId('checklist-progress')).toHaveText('1 of 9 decided');

	// Not applicable needs a reason: the form will not send without one.
	const cuec2 = items.filter({ hasText: 'approving administrator access' });
	await cuec2.getByRole('button', { name: 'Not applicable' }).click();
	await expect(cuec2.getByLabel('Reason')).toHaveJSProperty('required', true);
	await cuec2.getByRole('button', { name: 'Not applicable' }).click();
	await expect(cuec2).toContainText('To decide');
	await cuec2.getByLabel('Reason').fill('We have no administrators on this platform');
	await cuec2.getByRole('button', { name: 'Not applicable' }).click();
	await expect(cuec2).toContainText('We have no administrators on this platform');

	// An exception turned into a finding with a severity.
	const exc = items.filter({ hasText: 'on CC6.2' });
	await exc.getByRole('button', { name: 'Turn into finding' }).click();
	await exc.getByLabel('Severity').selectOption('high');
	await exc.getByRole('button', { name: 'Turn into finding' }).click();
	await expect(exc).toContainText('Finding raised');
	await expect(exc.getByRole('link', { name: /CC6\.2/ })).toBeVisible();

	// The rest through the API, as another reviewer would, then Complete here.
	const path = `/api/v1/vendors/${vendor.id}/evidence`;
	const docs = (await (await page.request.get(path)).json()) as { items: { id: string; kind: string }[] };
	const doc = docs.items.find((d) => d.kind === 'soc2_type2')!;
	const base = `${path}/${doc.id}/versions/1/review-checklist`;
	const rv = (await (await page.request.get(base)).json()) as { items: { id: string; kind: string; decision: string; version: number }[] };
	for (const it of rv.items.filter((i) => i.decision === '')) {
		const body = it.kind === 'subservice' ? { decision: 'flagged', reason: 'Ask for its own report' } : it.kind === 'cuec' ? { decision: 'mapped', control_ref: 'PRIV-2' } : { decision: 'accepted', reason: 'Reviewed with the vendor' };
		const res = await page.request.put(`${base}/items/${it.id}`, { headers: { 'X-CSRF-Token': csrf }, data: { version: it.version, ...body } });
		expect(res.status(), `${it.kind}`).toBe(200);
	}
	await page.reload();
	await lib.getByTestId('evidence-row').filter({ hasText: 'SOC 2 Type II report' }).getByRole('button', { name: 'Review checklist' }).click();
	await expect(checklist.getByTestId('checklist-progress')).toHaveText('9 of 9 decided');
	await screenshot(page, 'soc2-review-checklist');
	await expectAccessible(page, 'the SOC 2 review checklist');
	await checklist.getByRole('button', { name: 'Complete review' }).click();
	await expect(checklist).toContainText('Completed: Findings raised');
	await expect(lib.getByTestId('evidence-row').filter({ hasText: 'SOC 2 Type II report' })).toContainText('Accepted');

	// The outcome shows on the vendor report and the vendor's risk explanation.
	await page.goto(`/vendors/${vendor.id}/report`);
	await expect(page.getByTestId('report-soc-review')).toContainText('findings raised');

	await page.goto(`/vendors/${vendor.id}?tab=risk`);
	await expect(page.getByText(/SOC 2 review: qualified opinion accepted, period not current, accepted, 1 exception turned into a finding/).first()).toBeVisible();
});
