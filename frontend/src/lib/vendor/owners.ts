// The people who can own a vendor: active users, asked once per page load (and again after a
// failure). Without permission to list users the list is empty and forms show the current owner.
import { listUsers } from '../identity';
import type { OwnerRef } from '../vendors';

let cache: Promise<OwnerRef[]> | null = null;

export function loadOwners(): Promise<OwnerRef[]> {
	cache ??= listUsers({ active: 'true', sort: 'name', limit: 200 })
		.then((page) => page.items.map((u) => ({ id: u.id, name: u.name, email: u.email })))
		.catch((err: unknown) => {
			cache = null;
			throw err;
		});
	return cache;
}
