import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import SendDialog from './SendDialog.svelte';
import { jsonResponse } from '$lib/testing/responses';

// The vendor's contacts answer only when the test lets them, as a slow server would.
let release: () => void;

beforeEach(() => {
	const gate = new Promise<void>((resolve) => (release = resolve));
	vi.stubGlobal('fetch', async (url: string) => {
		await gate;
		if (url.includes('/mail-bounces')) return jsonResponse({ items: [], next_cursor: null, total: 0 });
		return jsonResponse({ id: 'v1', contacts: [{ name: 'Jo Silva', email: 'jo@vendor.example', role: 'security' }] });
	});
	// jsdom has no modal dialogs.
	HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
		this.open = true;
	};
	HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
		this.open = false;
	};
});

afterEach(() => vi.unstubAllGlobals());

describe('SendDialog', () => {
	it('a send clicked before the contacts arrive waits for them and sends to the assessment’s contact', async () => {
		const onsend = vi.fn(async () => {});
		render(SendDialog, {
			open: true,
			vendorId: 'v1',
			currentEmail: 'security@other.example',
			mailMode: 'demo',
			resend: false,
			onsend
		});
		await fireEvent.click(screen.getByRole('button', { name: 'Send questionnaire' }));
		expect(onsend).not.toHaveBeenCalled();
		release();
		await vi.waitFor(() => expect(onsend).toHaveBeenCalledWith('security@other.example', '', 30));
		expect(screen.queryByText('Enter the email address of the person who should answer.')).toBeNull();
	});
});
