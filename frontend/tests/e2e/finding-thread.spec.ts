import { apiAs, DEMO, expect, expectAccessible, httpError, screenshot, signInApi, test, unique } from './fixtures';
import { tinyPdf } from './portal-helpers';

test('a finding takes comments and evidence files; an auditor reads them and adds nothing', async ({ page, request, consoleGuard }) => {
	consoleGuard.allow(httpError(422, '/api/v1/findings/'));
	// Arrange a finding through the API.
	const { csrf } = await apiAs(request, DEMO.risk.email);
	const vendors = await (await request.get('/api/v1/vendors', { params: { limit: 1 } })).json();
	const title = unique('Backups never restored');
	const created = await request.post('/api/v1/findings', {
		headers: { 'X-CSRF-Token': csrf },
		data: { vendor_id: vendors.items[0].id, title, severity: 'medium' }
	});
	expect(created.status()).toBe(201);
	const finding = (await created.json()) as { id: string };

	await signInApi(page, DEMO.legal.email);
	await page.goto(`/findings/${finding.id}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
	await expect(page.getByText('No comments yet.')).toBeVisible();

	// A comment with markup is shown as the text it is.
	const hostile = 'Restore test booked for <b>May</b> <img src=x onerror="document.title=1">';
	await page.getByRole('textbox', { name: 'Comment' }).fill(hostile);
	await page.getByRole('button', { name: 'Add comment' }).click();
	const comment = page.getByTestId('finding-comment');
	await expect(comment).toHaveCount(1);
	await expect(comment).toContainText(hostile);
	await expect(comment).toContainText('You');
	await expect(comment.locator('b, img')).toHaveCount(0);
	await expect(page.getByRole('textbox', { name: 'Comment' })).toHaveValue('');
	// An empty comment is refused with a message at the field.
	await page.getByRole('button', { name: 'Add comment' }).click();
	await expect(page.getByText('is required').or(page.getByText('Comment is required'))).toBeVisible();

	// Evidence: a PDF uploads; a page disguised as a PDF is refused by its content.
	const evidence = page.getByTestId('attachments');
	await evidence.getByLabel(/Attach a file/).setInputFiles({ name: 'restore-report.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
	await expect(evidence.getByRole('link', { name: 'restore-report.pdf' })).toBeVisible();
	await evidence.getByLabel(/Attach a file/).setInputFiles({ name: 'fake.pdf', mimeType: 'application/pdf', buffer: Buffer.from('<!doctype html><script>alert(1)</script>') });
	await expect(evidence.getByRole('alert')).toContainText('fake.pdf is a web page (HTML); upload a PDF');
	await expectAccessible(page, 'a finding with comments and evidence');
	await screenshot(page, 'finding-thread');

	// Both are kept: after a reload they come from the server; the file downloads as a file.
	await page.reload();
	await expect(comment).toContainText(hostile);
	const link = evidence.getByRole('link', { name: 'restore-report.pdf' });
	const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
	expect(download.suggestedFilename()).toBe('restore-report.pdf');
	await expect(evidence.getByRole('link', { name: 'fake.pdf' })).toHaveCount(0);

	// An auditor reads the thread and the files, and is offered no way to add to them.
	await signInApi(page, DEMO.auditor.email);
	await page.reload();
	await expect(comment).toContainText(hostile);
	await expect(comment).toContainText(DEMO.legal.name);
	await expect(evidence.getByRole('link', { name: 'restore-report.pdf' })).toBeVisible();
	await expect(page.getByRole('textbox', { name: 'Comment' })).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Add comment' })).toHaveCount(0);
	await expect(evidence.getByLabel(/Attach a file/)).toHaveCount(0);
	await expect(page.getByRole('button', { name: 'Request exception' })).toHaveCount(0);
});
