// A one-time message carried across a navigation ("User created" shown on the list the form
// returns to). The page that shows it takes it, so a reload or a later visit does not repeat it.

class Flash {
	#message = $state<string | null>(null);

	set(message: string): void {
		this.#message = message;
	}

	/** Returns the message once and forgets it. */
	take(): string | null {
		const m = this.#message;
		this.#message = null;
		return m;
	}
}

export const flash = new Flash();
