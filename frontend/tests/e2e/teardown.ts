import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/** Removes the scratch directory (database, uploads) and the PostgreSQL database the config made for this run. */
export default function teardown(): void {
	const dir = process.env.E2E_DIR;
	if (dir && dir.includes('rampart-e2e-')) rmSync(dir, { recursive: true, force: true });
	const db = process.env.E2E_PG_DB;
	const admin = process.env.E2E_PG_ADMIN_URL;
	if (db?.startsWith('rampart_e2e_') && admin) {
		// WITH (FORCE): the servers may still hold connections while the runner tears down.
		execFileSync('psql', [admin, '-qc', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`]);
	}
}
