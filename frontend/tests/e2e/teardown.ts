import { rmSync } from 'node:fs';

/** Removes the scratch directory (database, uploads) the config made for this run. */
export default function teardown(): void {
	const dir = process.env.E2E_DIR;
	if (dir && dir.includes('rampart-e2e-')) rmSync(dir, { recursive: true, force: true });
}
