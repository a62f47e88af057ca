// A refused upload says in words which file it was, what it is and what to upload instead.
import { expect, test } from './fixtures';
import { sentAssessment, vendorContext } from './portal-helpers';

const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512, 1)]);

test('the portal names a refused program and the kinds of file it takes', async ({ browser, baseURL, request }) => {
	const { path } = await sentAssessment(request, 11);
	const { context, page, problems } = await vendorContext(browser, baseURL!);
	await page.goto(path);
	// The SOC 2 report question appears once the vendor says they have one.
	await page.locator('[data-key="GOV-04"]').getByLabel('SOC 2 Type II').check();
	const question = page.locator('[data-key="GOV-05"]');
	await question.locator('input[type=file]').setInputFiles({ name: 'setup.exe', mimeType: 'application/octet-stream', buffer: EXE });
	await expect(question).toContainText(
		'setup.exe is a Windows program; upload a PDF, Word, Excel, image (PNG or JPEG), text or CSV file'
	);
	await expect(question).not.toContainText('application/');
	// The only console line is Chromium's note of the 422.
	expect(problems.filter((p) => !/status of 422/.test(p))).toEqual([]);
	await context.close();
});
