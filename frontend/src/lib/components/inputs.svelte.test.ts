import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet, tick } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import CheckboxGroup from './CheckboxGroup.svelte';
import ListInput from './ListInput.svelte';
import MultiSelect from './MultiSelect.svelte';
import ProgressBar from './ProgressBar.svelte';
import Tabs from './Tabs.svelte';

const OPTIONS = [
	{ value: 'active', label: 'Active' },
	{ value: 'in_review', label: 'In review' },
	{ value: 'rejected', label: 'Rejected' }
];

describe('MultiSelect', () => {
	it('summarises the choice and reports changes in the options’ order', async () => {
		const onchange = vi.fn();
		render(MultiSelect, { label: 'Status', options: OPTIONS, value: ['rejected'], onchange, placeholder: 'Any status' });
		const button = screen.getByRole('button', { name: 'Status Rejected' });
		expect(button.getAttribute('aria-expanded')).toBe('false');
		await fireEvent.click(button);
		expect(button.getAttribute('aria-expanded')).toBe('true');
		const group = screen.getByRole('group', { name: 'Status' });
		expect(group.hidden).toBe(false);
		await fireEvent.click(screen.getByLabelText('Active'));
		expect(onchange).toHaveBeenLastCalledWith(['active', 'rejected']);
		await fireEvent.keyDown(screen.getByLabelText('Active'), { key: 'Escape' });
		expect(button.getAttribute('aria-expanded')).toBe('false');
	});

	it('says "Any" when nothing is chosen and counts long choices', () => {
		const { unmount } = render(MultiSelect, { label: 'Status', options: OPTIONS, value: [], onchange: () => {}, placeholder: 'Any status' });
		expect(screen.getByRole('button', { name: 'Status Any status' })).toBeTruthy();
		unmount();
		render(MultiSelect, { label: 'Status', options: OPTIONS, value: ['active', 'in_review', 'rejected'], onchange: () => {} });
		expect(screen.getByRole('button', { name: 'Status 3 selected' })).toBeTruthy();
	});
});

describe('Tabs', () => {
	const panel = createRawSnippet(() => ({ render: () => '<p>Panel</p>' }));
	const tabs = [
		{ id: 'overview', label: 'Overview' },
		{ id: 'risk', label: 'Risk' },
		{ id: 'activity', label: 'Activity', count: 3 }
	];

	it('marks the selected tab and links the panel to it', () => {
		render(Tabs, { tabs, selected: 'risk', onselect: () => {}, label: 'Vendor sections', children: panel });
		const risk = screen.getByRole('tab', { name: 'Risk' });
		expect(risk.getAttribute('aria-selected')).toBe('true');
		expect(risk.getAttribute('tabindex')).toBe('0');
		expect(screen.getByRole('tab', { name: 'Overview' }).getAttribute('tabindex')).toBe('-1');
		expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(risk.id);
		expect(screen.getByRole('tab', { name: 'Activity 3' })).toBeTruthy();
	});

	it('moves with the arrow keys, Home and End, wrapping around', async () => {
		const onselect = vi.fn();
		render(Tabs, { tabs, selected: 'overview', onselect, label: 'Vendor sections', children: panel });
		const overview = screen.getByRole('tab', { name: 'Overview' });
		await fireEvent.keyDown(overview, { key: 'ArrowLeft' });
		expect(onselect).toHaveBeenLastCalledWith('activity');
		await fireEvent.keyDown(overview, { key: 'ArrowRight' });
		expect(onselect).toHaveBeenLastCalledWith('risk');
		await fireEvent.keyDown(overview, { key: 'End' });
		expect(onselect).toHaveBeenLastCalledWith('activity');
		await fireEvent.click(screen.getByRole('tab', { name: 'Risk' }));
		expect(onselect).toHaveBeenLastCalledWith('risk');
	});
});

describe('ListInput', () => {
	it('adds values on Enter and comma, normalised and without repeats, and removes them', async () => {
		const props = $state({
			attrs: { id: 'tags' },
			values: ['gdpr'],
			noun: 'tag',
			normalise: (v: string) => v.toLowerCase()
		});
		render(ListInput, props);
		const input = screen.getByRole('textbox') as HTMLInputElement;
		await fireEvent.input(input, { target: { value: 'SOC2' } });
		await fireEvent.keyDown(input, { key: 'Enter' });
		await fireEvent.input(input, { target: { value: 'gdpr, pci' } });
		await fireEvent.keyDown(input, { key: ',' });
		expect(props.values).toEqual(['gdpr', 'soc2', 'pci']);
		expect(input.value).toBe('');
		await fireEvent.click(screen.getByRole('button', { name: 'Remove tag soc2' }));
		expect(props.values).toEqual(['gdpr', 'pci']);
		await fireEvent.keyDown(input, { key: 'Backspace' });
		expect(props.values).toEqual(['gdpr']);
	});
});

describe('CheckboxGroup', () => {
	it('is a named group whose error describes it', async () => {
		const props = $state({ legend: 'Data it handles', options: OPTIONS, value: [] as string[], error: 'Pick one' });
		render(CheckboxGroup, props);
		const group = screen.getByRole('group', { name: 'Data it handles' });
		expect(document.getElementById(group.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Pick one');
		await fireEvent.click(screen.getByLabelText('Rejected'));
		await fireEvent.click(screen.getByLabelText('Active'));
		await tick();
		expect(props.value).toEqual(['active', 'rejected']);
	});
});

describe('ProgressBar', () => {
	it('reports a percentage, or no value while the amount is unknown', async () => {
		const props = $state({ label: 'Uploading', value: 0.456 as number | null, text: undefined as string | undefined });
		render(ProgressBar, props);
		const bar = screen.getByRole('progressbar', { name: 'Uploading' });
		expect(bar.getAttribute('aria-valuenow')).toBe('46');
		expect(bar.getAttribute('aria-valuetext')).toBe('46%');
		props.value = null;
		props.text = 'Checking rows…';
		await tick();
		expect(bar.hasAttribute('aria-valuenow')).toBe(false);
		expect(bar.getAttribute('aria-valuetext')).toBe('Checking rows…');
	});
});
