import { apiAs, DEMO, expect, expectAccessible, signInApi, test } from './fixtures';

const DOC = `SUBSCRIPTION AGREEMENT

This Subscription Agreement is entered into as of January 15, 2026 (the "Effective Date") between Acme Corp. and Harbor Analytics Ltd.

1. Term. This Agreement shall continue for an initial term of two (2) years. Thereafter it shall renew automatically for successive renewal terms of twelve (12) months, unless either party gives written notice of non-renewal at least ninety (90) days prior to the end of the then-current term.

2. Fees. The total contract value is USD 48,000.
`;

test('the contract record follows its document: proposed dates are taken in, and the cancel-by date and calendar entry follow', async ({ page, request }) => {
	test.setTimeout(90_000);
	await signInApi(page, DEMO.legal.email);
	const { csrf } = await apiAs(request, DEMO.legal.email);
	const vendors = await (await request.get('/api/v1/vendors', { params: { limit: 1 } })).json();
	const res = await request.post('/api/v1/contracts', {
		headers: { 'X-CSRF-Token': csrf },
		data: { vendor_id: vendors.items[0].id, title: 'Harbor subscription', type: 'msa', status: 'legal_review', effective_date: '2026-02-01', initial_term_months: 12 }
	});
	expect(res.status()).toBe(201);
	const contract = await res.json();
	await page.goto(`/contracts/${contract.id}`);
	// Never given a renewal: the header does not claim "Does not renew".
	await expect(page.locator('dl.facts')).toContainText('Not recorded');
	await expect(page.locator('dl.facts')).not.toContainText('Does not renew');

	await page.locator('label.upload input[type=file]').setInputFiles({ name: 'harbor.txt', mimeType: 'text/plain', buffer: Buffer.from(DOC) });
	const table = page.getByTestId('record-proposals');
	await expect(table).toContainText('2026-01-15');
	await expect(table).toContainText('entered into as of January 15, 2026');
	await expect(table.getByRole('row', { name: /Notice to cancel/ })).toContainText('90 days');
	await expectAccessible(page, 'the record proposals');

	// Keep the record's value empty: take everything else.
	await table.getByRole('checkbox', { name: 'Take the value from the document' }).uncheck();
	await page.getByRole('button', { name: 'Take 5 values into the record' }).click();
	await expect(page.getByText('5 fields taken from the document into the record.')).toBeVisible();
	await expect(page.getByTestId('record-proposals')).toContainText('Value');
	const facts = page.locator('dl.facts');
	await expect(facts).toContainText('Automatic, 12 months');
	await expect(facts).toContainText('90 days');
	const after = await (await page.request.get(`/api/v1/contracts/${contract.id}`)).json();
	expect(after.cancel_by).toBe('2027-10-16');

	// The calendar lists the new cancel-by date.
	await page.goto('/contracts/calendar?from=2027-10-01');
	await expect(
		page.locator('[data-testid="calendar-entry"][data-kind="cancel_by"]').filter({ has: page.locator(`a[href="/contracts/${contract.id}"]`) })
	).toHaveCount(1);
});

test('a contract in another language is stored, and the page says why its terms were not read', async ({ page, request }) => {
	test.setTimeout(60_000);
	await signInApi(page, DEMO.legal.email);
	const { csrf } = await apiAs(request, DEMO.legal.email);
	const vendors = await (await request.get('/api/v1/vendors', { params: { limit: 1 } })).json();
	const contract = await (
		await request.post('/api/v1/contracts', { headers: { 'X-CSRF-Token': csrf }, data: { vendor_id: vendors.items[0].id, title: 'Rahmenvertrag', type: 'msa' } })
	).json();
	await page.goto(`/contracts/${contract.id}`);
	const german = 'Der Vertrag beginnt am 1. Januar 2026 und läuft für die Dauer von zwölf Monaten. Er verlängert sich automatisch um ein Jahr, wenn er nicht mit einer Frist von drei Monaten gekündigt wird. '.repeat(4);
	await page.locator('label.upload input[type=file]').setInputFiles({ name: 'rahmenvertrag.txt', mimeType: 'text/plain', buffer: Buffer.from(german) });
	await expect(page.getByText(/its terms could not be read: the document seems to be in German/)).toBeVisible();
	await expect(page.getByTestId('doc-unreadable')).toContainText('German');
});
