// End-to-end tests drive Debian's Chromium against the real Rampart binary, which serves the
// embedded build of this app. Build first: `npm run build`, then `go build -o bin/rampart .`
// at the repository root (the SPA is embedded at compile time).
import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
	const msg = `Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\``;
	// Never skip silently: CI must fail when the browser is missing.
	if (process.env.CI === 'true') throw new Error(msg);
	console.warn(msg);
}

const bin = resolve(here, process.env.RAMPART_BIN ?? '../bin/rampart');
if (!existsSync(bin)) {
	throw new Error(
		`Rampart binary not found at ${bin}. Build it (npm run build, then go build -o bin/rampart . ` +
			`at the repository root) or point RAMPART_BIN at one.`
	);
}

/** A port nobody listens on right now, found by letting the OS pick one. */
function freePort(): number {
	const out = execFileSync(process.execPath, [
		'-e',
		"const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
	]);
	return Number(out.toString());
}

// The config is evaluated in the runner and again in each worker: choose the port and the
// scratch directory once and hand them down through the environment.
process.env.E2E_PORT ??= String(freePort());
process.env.E2E_DIR ??= mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
const port = Number(process.env.E2E_PORT);
const dir = process.env.E2E_DIR;
// localhost, not 127.0.0.1: passkeys (WebAuthn) need a domain name as the relying party, and
// browsers treat http://localhost as a secure context. The server still listens on 127.0.0.1.
const baseURL = `http://localhost:${port}`;

// The vendor lifecycle's specs run a second time against an instance on PostgreSQL, in a database
// of their own made here and dropped by the teardown. CI must run them (it sets the URL).
const PG_SPECS = /(business-units|custom-fields|dora|fourth-parties|incidents|offboarding|webhooks)\.spec\.ts$/;
const pgURL = process.env.RAMPART_TEST_POSTGRES_URL;
if (!pgURL) {
	const msg = 'RAMPART_TEST_POSTGRES_URL is not set: the lifecycle specs run on SQLite only';
	if (process.env.CI === 'true') throw new Error(msg);
	console.warn(msg);
}
if (pgURL && !process.env.E2E_PG_DB) {
	const name = `rampart_e2e_${process.pid}_${Date.now().toString(36)}`;
	const admin = new URL(pgURL);
	admin.pathname = '/postgres';
	execFileSync('psql', [admin.toString(), '-qc', `CREATE DATABASE ${name}`]);
	process.env.E2E_PG_DB = name;
	process.env.E2E_PG_ADMIN_URL = admin.toString();
}
process.env.E2E_PG_PORT ??= String(freePort());
const pgPort = Number(process.env.E2E_PG_PORT);
const pgBaseURL = `http://localhost:${pgPort}`;

/** The demo instance a project's tests drive: the binary on its own port, database and files. */
function server(listen: number, base: string, database: string, files: string) {
	return {
		command: `"${bin}" serve --demo`,
		url: `http://127.0.0.1:${listen}/readyz`,
		reuseExistingServer: false,
		// Loading the demo takes seconds on a quiet machine, and far longer on a busy one.
		timeout: 180_000,
		stdout: 'ignore' as const,
		stderr: 'pipe' as const,
		env: {
			RAMPART_ADDR: `127.0.0.1:${listen}`,
			// The address the browser uses: single sign-on's callback is under it, and its cookies must match.
			RAMPART_BASE_URL: base,
			RAMPART_DATABASE_URL: database,
			RAMPART_DATA_DIR: files,
			// Warnings and errors only (4xx answers are warnings): one line per request drowns the report.
			RAMPART_LOG_LEVEL: 'warn'
		}
	};
}

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results/artifacts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	forbidOnly: process.env.CI === 'true',
	reporter: 'list',
	// A busy two-core CI machine ran the whole suite at half the speed of a quiet one: give each test
	// and each wait more room there.
	timeout: process.env.CI === 'true' ? 60_000 : 30_000,
	expect: { timeout: process.env.CI === 'true' ? 10_000 : 5_000 },
	globalTeardown: './tests/e2e/teardown.ts',
	use: {
		baseURL,
		browserName: 'chromium',
		headless: true,
		viewport: { width: 1280, height: 800 },
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: CHROMIUM,
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	projects: [
		{ name: 'sqlite', use: { baseURL } },
		...(process.env.E2E_PG_DB ? [{ name: 'postgres', testMatch: PG_SPECS, use: { baseURL: pgBaseURL } }] : [])
	],
	webServer: [
		server(port, baseURL, `sqlite:${join(dir, 'rampart.db')}`, join(dir, 'files')),
		...(process.env.E2E_PG_DB
			? [server(pgPort, pgBaseURL, Object.assign(new URL(pgURL!), { pathname: `/${process.env.E2E_PG_DB}` }).toString(), join(dir, 'files-pg'))]
			: [])
	]
});
