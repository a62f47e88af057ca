// The people a request can be assigned to: active risk managers, legal reviewers and admins.
// `GET /users` filters by one role at a time, so this asks once per role and merges.
import { listUsers, type Role, type User } from '../identity';

export const REVIEWER_ROLES: readonly Role[] = ['risk_manager', 'legal', 'admin'];

let cache: Promise<User[]> | null = null;

export function loadReviewers(): Promise<User[]> {
	cache ??= Promise.all(
		REVIEWER_ROLES.map((role) => listUsers({ role, active: 'true', sort: 'name', limit: 200 }))
	)
		.then((pages) => mergeReviewers(pages.map((p) => p.items)))
		.catch((err: unknown) => {
			cache = null;
			throw err;
		});
	return cache;
}

/** One list, by name, without repeats. */
export function mergeReviewers(lists: User[][]): User[] {
	const byId = new Map<string, User>();
	for (const list of lists) for (const u of list) byId.set(u.id, u);
	return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}
