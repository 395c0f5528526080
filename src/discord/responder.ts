import {
	MessageFlags,
	type ButtonInteraction,
	type ChatInputCommandInteraction,
	type StringSelectMenuInteraction,
	type InteractionReplyOptions,
	type Message,
} from 'discord.js';

type RepliableInteraction = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction;

/** Discord drops an interaction not acknowledged within 3 s; deferring at 2 s leaves room for the round trip. */
export const AUTO_DEFER_AFTER_MS = 2_000;
const MIN_DEFER_DELAY_MS = 500;

export type Payload = Omit<InteractionReplyOptions, 'flags' | 'withResponse' | 'fetchReply' | 'ephemeral'>;

/**
 * The one place that decides between reply, edit and follow-up. Every answer to an interaction goes
 * through here, one at a time, so nothing is acknowledged twice even when the auto-defer timer
 * fires while a handler is answering.
 */
export class Responder {
	#state: 'fresh' | 'deferred' | 'replied' = 'fresh';
	#chain: Promise<unknown> = Promise.resolve();
	#timer: NodeJS.Timeout | undefined;

	constructor(readonly interaction: RepliableInteraction) {}

	/**
	 * Defers publicly if nothing has been sent `ms` after Discord created the interaction: every slow
	 * answer here is a post for the channel; a private answer after a public deferral is handled in
	 * sendEphemeral.
	 */
	autoDefer(ms = AUTO_DEFER_AFTER_MS, options: { ephemeral?: boolean } = {}): void {
		// Time already spent on the way here (gateway, a busy event loop) counts against Discord's 3 s;
		// the floor keeps a clock that runs ahead of Discord's from deferring everything at once.
		const age = Math.max(0, Date.now() - this.interaction.createdTimestamp);
		const delay = Math.max(MIN_DEFER_DELAY_MS, ms - age);
		this.#timer = setTimeout(() => {
			void this.#serial(async () => {
				if (this.#state !== 'fresh') return;
				await this.interaction.deferReply(options.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
				this.#state = 'deferred';
			}).catch(() => undefined);
		}, delay);
		this.#timer.unref();
	}

	/** Another process answers this interaction: send nothing, not even the automatic deferral. */
	abandon(): void {
		this.#stopTimer();
		this.#state = 'replied';
	}

	get acknowledged(): boolean {
		return this.#state !== 'fresh';
	}

	/**
	 * Posts a message everyone in the channel sees and returns it. After a deferral the post replaces
	 * the "thinking…" placeholder: by editing it, or with `asNewMessage`, by deleting it and posting
	 * anew, so the post is dated by its own id rather than the placeholder's older one. With
	 * `ephemeral`, only the person who used the command sees it (a private reading where the bot is
	 * not present).
	 */
	send(payload: Payload, options: { asNewMessage?: boolean; ephemeral?: boolean } = {}): Promise<Message> {
		const flags = options.ephemeral ? { flags: MessageFlags.Ephemeral as const } : {};
		return this.#serial(async () => {
			this.#stopTimer();
			if (this.#state === 'fresh') {
				const response = await this.interaction.reply({ ...payload, ...flags, withResponse: true });
				this.#state = 'replied';
				const message = response.resource?.message;
				if (!message) throw new Error('Discord did not return the reply message');
				return message;
			}
			if (this.#state === 'deferred') {
				this.#state = 'replied';
				if (!options.asNewMessage) return this.interaction.editReply(payload);
				// Deleted first: Discord turns a follow-up into an edit while the placeholder still loads.
				await this.interaction.deleteReply().catch(() => undefined);
			}
			return this.interaction.followUp({ ...payload, ...flags });
		});
	}

	/** Answers only the person who used the command. */
	sendEphemeral(payload: Payload | string): Promise<unknown> {
		const body = typeof payload === 'string' ? { content: payload } : payload;
		return this.#serial(async () => {
			this.#stopTimer();
			if (this.#state === 'fresh') {
				await this.interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
				this.#state = 'replied';
				return;
			}
			if (this.#state === 'deferred') {
				this.#state = 'replied';
				// A public "thinking…" placeholder cannot become private: remove it, answer privately.
				await this.interaction.deleteReply().catch(() => undefined);
			}
			await this.interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
		});
	}

	/**
	 * Replaces the message a button or menu belongs to (a page of `/library` turning), for the person
	 * who used it; after a deferral, edits the deferred answer instead.
	 */
	update(payload: Payload): Promise<unknown> {
		const interaction = this.interaction;
		if (interaction.isChatInputCommand()) throw new Error('update() is for buttons and menus');
		return this.#serial(async () => {
			this.#stopTimer();
			const state = this.#state;
			this.#state = 'replied';
			if (state === 'fresh') await interaction.update(payload);
			else await interaction.editReply(payload);
		});
	}

	#stopTimer(): void {
		clearTimeout(this.#timer);
	}

	#serial<T>(task: () => Promise<T>): Promise<T> {
		const run = this.#chain.then(task, task);
		this.#chain = run.catch(() => undefined);
		return run;
	}
}
