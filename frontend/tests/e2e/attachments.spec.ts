import { DEMO, expect, expectAccessible, signInApi, test } from './fixtures';
import { tinyPdf } from './portal-helpers';

test('a request takes attachments with progress, lists them for download and explains a refused file', async ({
	page,
	consoleGuard
}) => {
	consoleGuard.allow(/status of 41[35]|status of 422/);
	await signInApi(page, DEMO.risk.email);
	const list = await (await page.request.get('/api/v1/requests', { params: { limit: 1, status: 'triage' } })).json();
	await page.goto(`/requests/${list.items[0].id}`);
	const box = page.getByTestId('attachments');
	await expect(box).toBeVisible();

	await box.getByLabel(/Attach a file/).setInputFiles({ name: 'security-review.pdf', mimeType: 'application/pdf', buffer: tinyPdf() });
	const link = box.getByRole('link', { name: 'security-review.pdf' });
	await expect(link).toBeVisible();
	await expect(link).toHaveAttribute('href', /\/api\/v1\/requests\/.+\/attachments\/.+/);

	await box.getByLabel(/Attach a file/).setInputFiles({
		name: 'tool.exe',
		mimeType: 'application/octet-stream',
		buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512, 1)])
	});
	await expect(box.getByRole('alert')).toHaveText(
		'tool.exe is a Windows program; upload a PDF, Word, Excel, image (PNG or JPEG), text or CSV file'
	);
	await expectAccessible(page, 'a request with attachments');
});
