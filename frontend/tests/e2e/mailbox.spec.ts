// The questionnaire's round trip by real mail: a Rampart of its own, pointed at an SMTP server
// this test runs (smtp-server), so every message is read from the mailbox it was delivered to.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { apiAs, DEMO, expect, screenshot, signInApi, test } from './fixtures';
import { answerAll, arrange, submitAnswers, vendorContext } from './portal-helpers';

interface Delivered {
	to: string[];
	mail: ParsedMail;
}

const mailbox: Delivered[] = [];
const smtp = new SMTPServer({
	authOptional: true,
	disabledCommands: ['STARTTLS'],
	logger: false,
	onData(stream, session, done) {
		simpleParser(stream)
			.then((mail) => {
				mailbox.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), mail });
				done();
			})
			.catch(done);
	}
});

let server: ChildProcess | undefined;
let dir = '';
let origin = '';

/** Waits until a message to `to` whose subject matches arrives, and returns it. */
async function waitForMail(to: string, subject: RegExp): Promise<ParsedMail> {
	let found: ParsedMail | undefined;
	await expect
		.poll(
			() => {
				found = mailbox.find((d) => d.to.includes(to) && subject.test(d.mail.subject ?? ''))?.mail;
				return Boolean(found);
			},
			{ message: `a mail to ${to} with subject ${subject}`, timeout: 20_000 }
		)
		.toBe(true);
	return found!;
}

test.describe('mail', () => {
	test.beforeAll(async () => {
		const smtpPort = await new Promise<number>((ok) => smtp.listen(0, '127.0.0.1', () => ok((smtp.server.address() as AddressInfo).port)));
		const port = await new Promise<number>((ok) => {
			const probe = createServer();
			probe.listen(0, '127.0.0.1', () => {
				const p = (probe.address() as AddressInfo).port;
				probe.close(() => ok(p));
			});
		});
		dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-mail-'));
		origin = `http://127.0.0.1:${port}`;
		server = spawn(resolve(process.env.RAMPART_BIN ?? '../bin/rampart'), ['serve', '--demo'], {
			stdio: ['ignore', 'ignore', 'inherit'],
			env: {
				...process.env,
				RAMPART_ADDR: `127.0.0.1:${port}`,
				RAMPART_BASE_URL: origin,
				RAMPART_DATABASE_URL: `sqlite:${join(dir, 'rampart.db')}`,
				RAMPART_DATA_DIR: join(dir, 'files'),
				RAMPART_SMTP_URL: `smtp://127.0.0.1:${smtpPort}?starttls=none`,
				RAMPART_MAIL_FROM: 'Example Corp Vendor Risk <risk-program@example.com>',
				RAMPART_ORG_NAME: 'Example Corp',
				RAMPART_LOG_LEVEL: 'warn'
			}
		});
		await expect
			.poll(async () => (await fetch(`${origin}/readyz`).catch(() => undefined))?.status, { timeout: 30_000 })
			.toBe(200);
	});

	test.afterAll(async () => {
		server?.kill('SIGTERM');
		await new Promise((ok) => smtp.close(() => ok(undefined)));
		if (dir.includes('rampart-e2e-mail-')) rmSync(dir, { recursive: true, force: true });
	});

	test('a questionnaire goes out by mail, the vendor answers from the mailbox, the reviewer hears of it', async ({ browser, playwright }) => {
		test.setTimeout(90_000);
		const request = await playwright.request.newContext({ baseURL: origin });
		const a = await arrange(request);
		const { csrf } = await apiAs(request, DEMO.risk.email);
		const contact = 'sam.vendor@vendor.example';
		const created = await request.post('/api/v1/assessments', {
			headers: { 'X-CSRF-Token': csrf },
			data: {
				vendor_id: a.vendorId,
				template_id: a.templateId,
				reviewer_id: a.reviewerId,
				due_date: new Date(Date.now() + 14 * 86400_000).toISOString().slice(0, 10),
				contact_email: contact,
				contact_name: 'Sam Vendor'
			}
		});
		expect(created.status(), await created.text()).toBe(201);
		const { id } = (await created.json()) as { id: string };

		// The risk manager sends it from the assessment page.
		const context = await browser.newContext({ baseURL: origin });
		const page = await context.newPage();
		await signInApi(page, DEMO.risk.email);
		await page.goto(`/assessments/${id}`);
		await page.getByRole('button', { name: 'Send to vendor' }).click();
		const dialog = page.getByRole('dialog');
		await expect(dialog).toContainText(contact);
		await dialog.getByRole('button', { name: 'Send questionnaire' }).click();
		await expect(page.getByTestId('portal-url')).toHaveValue(/\/portal\/rpt_/);

		// The invitation arrives, names the asking company and the person to reply to.
		const invitation = await waitForMail(contact, /Example Corp security questionnaire/);
		expect(invitation.subject).toContain(a.vendorName);
		expect(invitation.replyTo?.text).toContain(DEMO.risk.email);
		expect(invitation.from?.text).toContain('risk-program@example.com');
		expect(invitation.html).toBeTruthy();
		const link = invitation.text?.match(/https?:\/\/\S+\/portal\/rpt_[A-Za-z0-9_-]+/)?.[0];
		expect(link, invitation.text).toBeTruthy();

		// The vendor opens the link from the mail, answers and submits.
		const vendor = await vendorContext(browser, origin);
		await vendor.page.goto(link!);
		await expect(vendor.page.getByTestId('portal-progress')).toContainText('0 of');
		await answerAll(vendor.page);
		await expect(vendor.page.getByTestId('portal-progress')).toContainText(/(\d+) of \1 questions answered/);
		await submitAnswers(vendor.page);
		await expect(vendor.page.getByTestId('portal-submitted')).toBeVisible();
		await vendor.context.close();

		// The reviewer gets the submitted notice by mail and in the bell.
		const submitted = await waitForMail(DEMO.risk.email, new RegExp(`${a.vendorName} submitted`));
		expect(submitted.text).toContain(`/assessments/${id}`);
		await page.goto('/');
		const bell = page.getByRole('banner').getByRole('button', { name: /^Notifications, \d+ unread$/ });
		await expect(bell).toBeVisible();
		await bell.click();
		const notice = page.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: new RegExp(`${a.vendorName} submitted`) });
		await expect(notice).toHaveCount(1);
		await notice.click();
		await expect(page).toHaveURL(new RegExp(`/assessments/${id}$`));
		await screenshot(page, 'bell-submitted');
		// Exactly one of each: the outbox sends an event to an address once.
		expect(mailbox.filter((d) => d.to.includes(contact)).length).toBe(1);
		expect(mailbox.filter((d) => d.to.includes(DEMO.risk.email) && /submitted/.test(d.mail.subject ?? '')).length).toBe(1);
		await context.close();
		await request.dispose();
	});
});
