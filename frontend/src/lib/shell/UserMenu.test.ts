import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import type { User } from '../identity';
import UserMenu from './UserMenu.svelte';

const user: User = {
	id: 'u1',
	email: 'ada@example.com',
	name: 'Ada Lovelace',
	role: 'risk_manager',
	department: 'Security',
	active: true,
	last_login_at: null,
	created_at: '2026-01-01T00:00:00Z',
	updated_at: '2026-01-01T00:00:00Z',
	version: 1
};

function setup() {
	const onsignout = vi.fn();
	render(UserMenu, { user, onsignout });
	const button = screen.getByRole('button', { name: /Ada Lovelace/ });
	return { button, onsignout };
}

const items = () => screen.getAllByRole('menuitem');

describe('UserMenu', () => {
	it('shows who is signed in and starts closed', () => {
		const { button } = setup();
		expect(button.textContent).toContain('Risk manager');
		expect(button.getAttribute('aria-haspopup')).toBe('menu');
		expect(button.getAttribute('aria-expanded')).toBe('false');
		expect(screen.queryByRole('menu')).toBeNull();
	});

	it('opens on Enter with focus on the first item and moves with the arrows', async () => {
		const { button } = setup();
		button.focus();
		await fireEvent.keyDown(button, { key: 'Enter' });
		await tick();
		expect(button.getAttribute('aria-expanded')).toBe('true');
		expect(items().map((i) => i.textContent?.trim())).toEqual(['Profile', 'Sign-in security', 'API tokens', 'Sign out']);
		expect(document.activeElement).toBe(items()[0]);

		const menu = screen.getByRole('menu');
		await fireEvent.keyDown(menu, { key: 'ArrowDown' });
		expect(document.activeElement).toBe(items()[1]);
		await fireEvent.keyDown(menu, { key: 'End' });
		expect(document.activeElement).toBe(items()[3]);
		await fireEvent.keyDown(menu, { key: 'ArrowDown' });
		expect(document.activeElement).toBe(items()[0]);
		await fireEvent.keyDown(menu, { key: 'ArrowUp' });
		expect(document.activeElement).toBe(items()[3]);
		await fireEvent.keyDown(menu, { key: 'Home' });
		expect(document.activeElement).toBe(items()[0]);
	});

	it('closes on Escape and gives focus back to the button', async () => {
		const { button } = setup();
		await fireEvent.keyDown(button, { key: 'ArrowUp' });
		await tick();
		expect(document.activeElement).toBe(items()[3]);
		await fireEvent.keyDown(screen.getByRole('menu'), { key: 'Escape' });
		expect(screen.queryByRole('menu')).toBeNull();
		expect(button.getAttribute('aria-expanded')).toBe('false');
		expect(document.activeElement).toBe(button);
	});

	it('closes on a click outside', async () => {
		const { button } = setup();
		await fireEvent.click(button);
		expect(screen.getByRole('menu')).toBeTruthy();
		await fireEvent.pointerDown(document.body);
		expect(screen.queryByRole('menu')).toBeNull();
	});

	it('signs out from the menu', async () => {
		const { button, onsignout } = setup();
		await fireEvent.click(button);
		await fireEvent.click(screen.getByRole('menuitem', { name: 'Sign out' }));
		expect(onsignout).toHaveBeenCalledOnce();
		expect(screen.queryByRole('menu')).toBeNull();
	});

	it('links to the profile and the API tokens', async () => {
		const { button } = setup();
		await fireEvent.click(button);
		expect(screen.getByRole('menuitem', { name: 'Profile' }).getAttribute('href')).toBe('/settings/profile');
		expect(screen.getByRole('menuitem', { name: 'API tokens' }).getAttribute('href')).toBe(
			'/settings/api-tokens'
		);
	});
});
