import { apiAs, DEMO, expect, signInApi, test } from './fixtures';

// A DPA whose breach notice, deletion period, governing law and renewal notice meet the
// default playbook, and whose subprocessor clause is missing.
const DOC = `DATA PROCESSING AGREEMENT

1. Governing law. This Agreement shall be governed by the laws of the State of New York.

2. Breach notification. Processor shall notify Customer of any Personal Data Breach without undue delay and in any event within seventy-two (72) hours after becoming aware of it.

3. Return and deletion. Within thirty (30) days after termination, Processor shall delete or return all Personal Data.

4. Term. This Agreement shall renew automatically for successive renewal terms of twelve (12) months, unless either party gives written notice of non-renewal at least ninety (90) days prior to the end of the then-current term.
`;

interface Term {
	key: string;
	review_state: string;
	check: { status: string } | null;
}

test('one click confirms every proposed term that meets the playbook, in one request', async ({ page, request }) => {
	await signInApi(page, DEMO.legal.email);
	const { csrf } = await apiAs(request, DEMO.legal.email);
	const vendors = await (await request.get('/api/v1/vendors', { params: { limit: 1 } })).json();
	const res = await request.post('/api/v1/contracts', {
		headers: { 'X-CSRF-Token': csrf },
		data: { vendor_id: vendors.items[0].id, title: 'Bulk confirm DPA', type: 'dpa', status: 'legal_review' }
	});
	expect(res.status()).toBe(201);
	const contract = await res.json();
	const up = await request.post(`/api/v1/contracts/${contract.id}/documents`, {
		headers: { 'X-CSRF-Token': csrf },
		multipart: { file: { name: 'dpa.txt', mimeType: 'text/plain', buffer: Buffer.from(DOC) } }
	});
	expect(up.status()).toBe(201);
	const before = (await (await request.get(`/api/v1/contracts/${contract.id}/terms`)).json()).items as Term[];
	const meeting = before.filter((t) => t.review_state === 'proposed' && t.check?.status === 'meets').map((t) => t.key);
	const others = before.filter((t) => !meeting.includes(t.key)).map((t) => t.key);
	expect(meeting.length).toBeGreaterThanOrEqual(3);
	expect(others.length).toBeGreaterThan(0);

	await page.goto(`/contracts/${contract.id}`);
	const button = page.getByRole('button', { name: `Confirm all that meet the playbook (${meeting.length})` });
	await expect(button).toBeVisible();

	const writes: string[] = [];
	page.on('request', (r) => {
		if (r.method() !== 'GET' && r.url().includes('/api/v1/contracts/')) writes.push(`${r.method()} ${new URL(r.url()).pathname}`);
	});
	await button.click();
	await expect(page.getByText(`${meeting.length} terms that meet the playbook confirmed.`)).toBeVisible();
	expect(writes).toEqual([`POST /api/v1/contracts/${contract.id}/terms/confirm-meeting`]);

	for (const key of meeting) await expect(page.locator(`li[data-term="${key}"]`)).toContainText('Confirmed');
	for (const key of others) await expect(page.locator(`li[data-term="${key}"]`)).toContainText('Proposed');
	// Nothing left to confirm in bulk: the button goes away.
	await expect(page.getByTestId('confirm-meeting')).toHaveCount(0);

	// Each confirmation is its own audit event.
	await apiAs(request, DEMO.auditor.email);
	const audit = await (
		await request.get('/api/v1/audit-events', { params: { object_id: contract.id, action: 'contract.term.confirm', limit: 50 } })
	).json();
	expect(audit.items.length).toBe(meeting.length);
});
