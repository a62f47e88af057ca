/// <reference types="vitest/config" />
import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vite';

// `vite dev` proxies the API to a running Rampart binary (`rampart serve --demo`).
// SvelteKit's own options (adapter, CSP, version) live in svelte.config.js.
const apiTarget = process.env.RAMPART_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
	plugins: [sveltekit(), svelteTesting()],
	server: {
		proxy: {
			'/api': { target: apiTarget, changeOrigin: false },
			'/readyz': { target: apiTarget },
			'/healthz': { target: apiTarget }
		}
	},
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'jsdom'
	}
});
