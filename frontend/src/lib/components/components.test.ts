import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet, tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api';
import Badge from './Badge.svelte';
import { statusLabel, statusTone, tierLabel, tierTone } from './badge';
import DataTable from './DataTable.svelte';
import EmptyState from './EmptyState.svelte';
import ErrorBanner from './ErrorBanner.svelte';
import FormField, { type ControlAttrs } from './FormField.svelte';
import Notice from './Notice.svelte';
import Pagination from './Pagination.svelte';

function attrsToHtml(attrs: ControlAttrs): string {
	return Object.entries(attrs)
		.filter(([, v]) => v !== undefined && v !== false)
		.map(([k, v]) => (v === true ? k : `${k}="${String(v)}"`))
		.join(' ');
}

const input = createRawSnippet((attrs: () => ControlAttrs) => ({
	render: () => `<input type="url" ${attrsToHtml(attrs())} />`
}));

describe('FormField', () => {
	it('labels the control and links help text', () => {
		render(FormField, { label: 'Website', name: 'website', help: 'Include https://', children: input });
		const control = screen.getByLabelText('Website');
		expect(control.getAttribute('name')).toBe('website');
		expect(control.getAttribute('aria-invalid')).toBeNull();
		const help = screen.getByText('Include https://');
		expect(control.getAttribute('aria-describedby')).toBe(help.id);
	});

	it('marks the control invalid and describes it by the error first', () => {
		render(FormField, {
			label: 'Website',
			id: 'website',
			help: 'Include https://',
			error: 'must be a valid URL',
			required: true,
			children: input
		});
		const control = screen.getByLabelText(/Website/);
		expect(control.id).toBe('website');
		expect(control.getAttribute('aria-invalid')).toBe('true');
		expect(control.hasAttribute('required')).toBe(true);
		expect(control.getAttribute('aria-describedby')).toBe('website-error website-help');
		expect(document.getElementById('website-error')?.textContent).toBe('must be a valid URL');
	});
});

describe('Badge', () => {
	it('maps tiers and statuses to tones and labels', () => {
		expect(tierTone(1)).toBe('danger');
		expect(tierTone(4)).toBe('neutral');
		expect(tierLabel(2)).toBe('Tier 2 · High');
		expect(statusTone('in_review')).toBe('info');
		expect(statusTone('REJECTED')).toBe('danger');
		expect(statusTone('something-new')).toBe('neutral');
		expect(statusLabel('approved_with_conditions')).toBe('Approved with conditions');
	});

	it('renders a tier badge with its tone', () => {
		render(Badge, { tier: 1 });
		const badge = screen.getByText('Tier 1 · Critical');
		expect(badge.classList.contains('danger')).toBe(true);
	});

	it('renders a status badge', () => {
		render(Badge, { status: 'in_review' });
		expect(screen.getByText('In review').classList.contains('info')).toBe(true);
	});
});

describe('ErrorBanner', () => {
	it("leads with what is wrong, lists an ApiError's field errors in words and shows the request id", () => {
		const error = new ApiError({
			type: 'about:blank',
			title: 'Unprocessable Entity',
			status: 422,
			detail: 'Check the highlighted fields.',
			request_id: 'req-7',
			errors: [{ field: 'website', message: 'must be a valid URL' }]
		});
		render(ErrorBanner, { error, showFieldErrors: true });
		const alert = screen.getByRole('alert');
		expect(alert.querySelector('.title')?.textContent).toBe('1 field needs attention');
		expect(alert.textContent).not.toContain('Unprocessable');
		expect(alert.textContent).toContain('Website must be a valid URL');
		expect(alert.textContent).toContain('req-7');
	});

	it('names the fields in its first line when it does not list them', () => {
		const error = new ApiError({
			type: 'urn:rampart:problem:validation',
			title: 'Unprocessable Entity',
			status: 422,
			detail: 'The request has invalid fields; see errors.',
			errors: [
				{ field: 'name', message: 'is required' },
				{ field: 'website', message: 'must be a URL' }
			]
		});
		render(ErrorBanner, { error });
		const alert = screen.getByRole('alert');
		expect(alert.querySelector('.title')?.textContent).toBe('2 fields need attention: Name is required; Website must be a URL');
		expect(alert.textContent).not.toContain('Unprocessable');
		expect(alert.textContent).not.toContain('see errors');
	});

	it('renders nothing without an error and offers retry when asked', async () => {
		const { unmount } = render(ErrorBanner, { error: null });
		expect(screen.queryByRole('alert')).toBeNull();
		unmount();

		const onretry = vi.fn();
		render(ErrorBanner, { error: new Error('boom'), onretry });
		expect(screen.getByRole('alert').textContent).toContain('Something went wrong');
		await fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
		expect(onretry).toHaveBeenCalledOnce();
	});
});

describe('EmptyState', () => {
	it('is a labelled region with a heading', () => {
		render(EmptyState, { title: 'No vendors yet', description: 'Add one to start.', icon: 'vendors' });
		const region = screen.getByRole('region', { name: 'No vendors yet' });
		expect(region.querySelector('h2')?.textContent).toBe('No vendors yet');
	});
});

describe('DataTable', () => {
	type Vendor = { id: string; name: string; tier: number };
	const columns = [
		{ key: 'name', label: 'Name', sortable: true },
		{ key: 'tier', label: 'Tier', sortable: true, align: 'end' as const },
		{ key: 'owner', label: 'Owner' }
	];
	const rows: Vendor[] = [
		{ id: '1', name: 'Acme', tier: 2 },
		{ id: '2', name: 'Globex', tier: 1 }
	];

	it('renders rows and marks the sorted column', () => {
		render(DataTable<Vendor>, {
			columns,
			rows,
			caption: 'Vendors',
			rowKey: (r: Vendor) => r.id,
			sort: { key: 'name', direction: 'asc' }
		});
		const table = screen.getByRole('table', { name: 'Vendors' });
		expect(table.querySelectorAll('tbody tr')).toHaveLength(2);
		expect(screen.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe(
			'ascending'
		);
		expect(screen.getByRole('columnheader', { name: /Tier/ }).getAttribute('aria-sort')).toBe('none');
		expect(screen.getByRole('columnheader', { name: 'Owner' }).hasAttribute('aria-sort')).toBe(false);
		expect(screen.getAllByText('—')).toHaveLength(2);
	});

	it('emits the next sort when a header is pressed', async () => {
		const onsort = vi.fn();
		render(DataTable<Vendor>, {
			columns,
			rows,
			caption: 'Vendors',
			rowKey: (r: Vendor) => r.id,
			sort: { key: 'name', direction: 'asc' },
			onsort
		});
		await fireEvent.click(screen.getByRole('button', { name: /Name/ }));
		expect(onsort).toHaveBeenLastCalledWith({ key: 'name', direction: 'desc' });
		await fireEvent.click(screen.getByRole('button', { name: /Tier/ }));
		expect(onsort).toHaveBeenLastCalledWith({ key: 'tier', direction: 'asc' });
	});

	it('makes itself a focusable region only while it scrolls sideways', async () => {
		const callbacks: (() => void)[] = [];
		vi.stubGlobal(
			'ResizeObserver',
			class {
				constructor(cb: () => void) {
					callbacks.push(cb);
				}
				observe() {}
				disconnect() {}
			}
		);
		const scrollWidth = vi.spyOn(Element.prototype, 'scrollWidth', 'get').mockReturnValue(900);
		vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(600);
		try {
			render(DataTable<Vendor>, { columns, rows, caption: 'Vendors', rowKey: (r: Vendor) => r.id });
			await tick();
			const region = screen.getByRole('region', { name: 'Vendors (scrolls sideways)' });
			expect(region.getAttribute('tabindex')).toBe('0');

			scrollWidth.mockReturnValue(600);
			for (const cb of callbacks) cb();
			await tick();
			expect(screen.queryByRole('region')).toBeNull();
			expect(screen.getByRole('table').parentElement?.hasAttribute('tabindex')).toBe(false);
		} finally {
			vi.restoreAllMocks();
			vi.unstubAllGlobals();
		}
	});

	it('shows the empty snippet when there are no rows', () => {
		const empty = createRawSnippet(() => ({ render: () => '<p>No vendors match.</p>' }));
		render(DataTable<Vendor>, {
			columns,
			rows: [],
			caption: 'Vendors',
			rowKey: (r: Vendor) => r.id,
			empty
		});
		expect(screen.getByText('No vendors match.')).toBeTruthy();
		expect(screen.getByRole('table').querySelector('tbody')).toBeNull();
	});
});

describe('ErrorBanner overrides', () => {
	it('can say what the user was doing and hide the request id', () => {
		const error = new ApiError({
			type: 'about:blank',
			title: 'Unauthorized',
			status: 401,
			detail: 'Email or password is incorrect.',
			request_id: 'req-9'
		});
		render(ErrorBanner, { error, title: "Couldn't sign you in", showRequestId: false });
		const alert = screen.getByRole('alert');
		expect(alert.textContent).toContain("Couldn't sign you in");
		expect(alert.textContent).not.toContain('Unauthorized');
		expect(alert.textContent).toContain('Email or password is incorrect.');
		expect(alert.textContent).not.toContain('req-9');
	});
});

describe('Notice', () => {
	it('is a polite status by default and an alert when asked', () => {
		const { unmount } = render(Notice, { tone: 'success', title: 'Saved' });
		expect(screen.getByRole('status').textContent).toContain('Saved');
		unmount();
		render(Notice, { tone: 'danger', title: 'Broken', live: 'alert' });
		expect(screen.getByRole('alert').classList.contains('danger')).toBe(true);
	});
});

describe('Pagination', () => {
	const base = { noun: 'users', one: 'user', onprevious: () => {}, onnext: () => {} };

	it('summarises the page and disables what cannot be used', () => {
		render(Pagination, { ...base, offset: 25, count: 25, total: 60, hasPrevious: true, hasNext: true });
		expect(screen.getByText('26–50 of 60 users')).toBeTruthy();
		expect((screen.getByRole('button', { name: /Previous/ }) as HTMLButtonElement).disabled).toBe(false);
	});

	it('says a capped total is a lower bound', () => {
		render(Pagination, { ...base, offset: 50, count: 50, total: 10000, totalCapped: true, hasPrevious: true, hasNext: true });
		expect(screen.getByText(`51–100 of ${(10000).toLocaleString()}+ users`)).toBeTruthy();
	});

	it('counts a single page plainly, in the singular for one', () => {
		const { unmount } = render(Pagination, {
			...base,
			offset: 0,
			count: 1,
			total: 1,
			hasPrevious: false,
			hasNext: false
		});
		expect(screen.getByText('1 user')).toBeTruthy();
		expect(screen.queryByRole('button')).toBeNull();
		unmount();
		render(Pagination, { ...base, offset: 0, count: 0, total: 0, hasPrevious: false, hasNext: false });
		expect(screen.getByText('No users')).toBeTruthy();
	});

	it('asks for the next page', async () => {
		const onnext = vi.fn();
		render(Pagination, { ...base, onnext, offset: 0, count: 25, total: 60, hasPrevious: false, hasNext: true });
		expect((screen.getByRole('button', { name: /Previous/ }) as HTMLButtonElement).disabled).toBe(true);
		await fireEvent.click(screen.getByRole('button', { name: /Next/ }));
		expect(onnext).toHaveBeenCalledOnce();
	});
});
