import type { RateLimitOptions } from './rate-limits.js';
import type { APIEmbed } from 'discord-api-types/v10';

export interface FakeDiscordOptions {
	/** The bot token the fake accepts. Default 'test-token'. */
	token?: string;
	applicationId?: string;
	botUserId?: string;
	botUsername?: string;
	/** The first interaction callback must arrive within this many ms of dispatch. Default 3000. */
	interactionDeadlineMs?: number;
	/** Interaction tokens (follow-ups, edits) stop working after this. Default 15 minutes. */
	interactionTokenLifetimeMs?: number;
	/** HELLO heartbeat_interval. Default 41250 like Discord. */
	heartbeatIntervalMs?: number;
	/** `shards` in GET /gateway/bot. Default: 1 per started 1000 guilds (so 1 for small tests). */
	recommendedShards?: number;
	/** session_start_limit.max_concurrency. Default 1, what a typical bot gets: discord.js then waits 5 s between shard identifies, as on Discord; a multi-shard test that must not wait passes 16. */
	maxConcurrency?: number;
	/** IDENTIFY is closed with 4011 (sharding required) when a shard would hold more guilds. Default 2500; 0 disables. */
	maxGuildsPerShard?: number;
	/** How many dispatches per session are kept for RESUME replay. Default 10000. */
	replayLimit?: number;
	/** Port to listen on (127.0.0.1). Default: a free one. */
	port?: number;
	/**
	 * Two processes on one token (an overlapping deploy, an orphaned `npm start`): a new IDENTIFY for
	 * a shard leaves the shard's other sessions connected, and every event, interactions included,
	 * goes to each of them. Default false: a new IDENTIFY replaces the shard's session.
	 */
	everySession?: boolean;
	/**
	 * Unicode emoji Discord does not know, spelled exactly: the bot adding one as a reaction gets 400
	 * 10014 Unknown Emoji, as Discord answers for emoji newer than its set or spelled without U+FE0F.
	 */
	unknownEmoji?: string[];
	/**
	 * Discord's rate limits (rate-limits.ts): 50 requests/s per bot token, interaction endpoints
	 * exempt, and per-route buckets per channel, guild or webhook, answered with Discord's headers
	 * and 429s. Default off: generous headers and no refusals. `true` for Discord's figures.
	 */
	rateLimits?: boolean | RateLimitOptions;
}

export interface FakeUser {
	id: string;
	username: string;
	global_name: string | null;
	discriminator: string;
	avatar: string | null;
	bot: boolean;
	public_flags: number;
}

export interface FakeChannel {
	id: string;
	name: string;
	type: number;
	guildId: string | null;
}

export interface FakeGuild {
	id: string;
	name: string;
	channels: FakeChannel[];
	/** The first text channel (type 0), handy for single-channel tests. */
	textChannelId: string;
	everyoneRoleId: string;
	botRoleId: string;
	ownerId: string;
}

export interface AddGuildSpec {
	id?: string;
	name?: string;
	/** `nsfw`: an age-restricted channel. */
	channels?: Array<{ id?: string; name?: string; type?: number; nsfw?: boolean }>;
	botPermissions?: bigint;
	/** Custom emoji names the server has; GUILD_CREATE carries them, as Discord's does. */
	emojis?: string[];
	/**
	 * The server's preferred locale (a Discord locale code), sent as the guild's `preferred_locale`
	 * and as interactions' `guild_locale`. Default `en-US`, as for a server that never set one.
	 */
	preferredLocale?: string;
}

export interface AddThreadSpec {
	name?: string;
	/** 11 public (default in a text channel), 12 private, 10 announcement (the only kind in an announcement channel). */
	type?: number;
	/** An archived thread is one the bot was never told about: no THREAD_CREATE, and not in GUILD_CREATE. */
	archived?: boolean;
	/** Locked by a moderator: without Manage Threads the bot cannot post in it (160005; 50083 while it is archived). */
	locked?: boolean;
	/** Who started it. Default: the guild's owner. */
	owner?: FakeUser | string;
	/** A thread started from a message has that message's id (Discord's rule). Default: a new id. */
	id?: string;
	/** Minutes of inactivity before Discord archives it: 60, 1440, 4320 or 10080. Default 1440. */
	autoArchiveDuration?: number;
}

/** A message component as the bot sent it (action rows, buttons, selects, v2 containers...). */
export interface FakeComponent {
	type: number;
	id?: number;
	custom_id?: string;
	label?: string;
	style?: number;
	disabled?: boolean;
	url?: string;
	emoji?: { id?: string | null; name?: string | null; animated?: boolean };
	components?: FakeComponent[];
	content?: string;
	[key: string]: unknown;
}

/**
 * A top-level component. In classic messages it is an action row whose `components` are the
 * buttons/selects; Components V2 top-level items (text displays, separators) may have no
 * `components` at runtime although the type says they do, which keeps row access short in tests.
 */
export interface FakeActionRow extends FakeComponent {
	components: FakeComponent[];
}

export interface FakeAllowedMentions {
	parse?: Array<'everyone' | 'users' | 'roles'>;
	users?: string[];
	roles?: string[];
	replied_user?: boolean;
}

export interface FakeReaction {
	emoji: { id: string | null; name: string | null };
	/** Normal and super reactions together, as Discord's `count`. */
	count: number;
	/** Whether the bot itself reacted. */
	me: boolean;
	/** User ids in the order they reacted (normal reactions). */
	users: string[];
	/** User ids of super (burst) reactions, in order; Discord lists them apart (`count_details.burst`, GET reactions `type=1`). */
	burstUsers: string[];
}

/** A message as stored by the fake. Everything returned to tests is a snapshot copy. */
export interface FakeMessage {
	id: string;
	channel_id: string;
	guild_id: string | null;
	type: number;
	content: string;
	embeds: APIEmbed[];
	components: FakeActionRow[];
	flags: number;
	author: FakeUser;
	timestamp: string;
	edited_timestamp: string | null;
	/** Exactly what the bot sent (null when it sent none, which means Discord's default: parse everything). */
	allowed_mentions: FakeAllowedMentions | null;
	/** Whether the message pings @everyone/@here, from content + allowed_mentions (the Mention Everyone permission is not checked, so this errs on the side of reporting a ping). */
	mention_everyone: boolean;
	/** User ids the message pings. */
	mentions: string[];
	/** Role ids the message pings. */
	mention_roles: string[];
	reactions: FakeReaction[];
	ephemeral: boolean;
	tts: boolean;
	/** Set on interaction responses and follow-ups (the application id), like Discord. */
	webhook_id: string | null;
	/** The interaction this message answers, if any. */
	interaction_id: string | null;
	message_reference: { message_id?: string; channel_id?: string; guild_id?: string } | null;
	deleted: boolean;
}

export interface RecordedRequest {
	method: string;
	/** Decoded path without the /api/v10 prefix and without the query string. */
	path: string;
	/** The matched route pattern, e.g. 'POST /channels/:channelId/messages'; null for unknown routes. */
	route: string | null;
	query: Record<string, string>;
	// Request bodies are whatever JSON the bot sent; `any` keeps assertions in tests short.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	status: number;
	response: unknown;
	/** The answer came from failNext, not from the fake's logic. */
	injected: boolean;
	at: number;
}

export interface InteractionCallback {
	type: number;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	data?: any;
}

export interface InteractionError {
	method: string;
	path: string;
	status: number;
	code: number;
}

export interface InteractionHandle {
	readonly id: string;
	readonly token: string;
	/** The first callback the bot made (4 reply, 5 deferred, 6 deferred update, 7 update, 8 autocomplete, 9 modal). Rejects if none arrives within the interaction deadline. */
	readonly acknowledged: Promise<InteractionCallback>;
	/** The visible answer: the type-4 message, the updated message for type 7, or for a deferred one the first edit of @original (or first follow-up). */
	reply(options?: { timeoutMs?: number }): Promise<FakeMessage>;
	/** Follow-up messages (POST /webhooks/:app/:token) that became their own message. */
	followUps(): FakeMessage[];
	/** The current state of @original, if there is one. */
	original(): FakeMessage | null;
	/** Failed REST calls made for this interaction (40060 second callbacks, 10062 late callbacks, 50035 ...). */
	readonly errors: InteractionError[];
}

export type OptionValue = string | number | boolean;

export interface InteractionUserSpec {
	/** The reader doing it: a FakeUser from fake.user(), or a user id. */
	user: FakeUser | string;
	/**
	 * The language of the reader's Discord client, sent as the interaction's `locale`
	 * (https://discord.com/developers/docs/reference#locales: `fr`, `es-ES`, `pt-BR`...). Default `en-US`.
	 */
	locale?: string;
}

export interface RunCommandSpec extends InteractionUserSpec {
	guildId?: string;
	channelId: string;
	name: string;
	subcommandGroup?: string;
	subcommand?: string;
	options?: Record<string, OptionValue>;
	/** Guild-level permissions of the member. Default: an ordinary member (no Manage Guild). */
	memberPermissions?: bigint;
	/** Extra role ids for the member (created with no permissions if unknown). */
	roles?: string[];
}

export interface AutocompleteSpec extends RunCommandSpec {
	/** Name of the option being typed in. */
	focused: string;
	/** What the user has typed so far. */
	value: string;
}

export interface ClickButtonSpec extends InteractionUserSpec {
	guildId?: string;
	channelId: string;
	messageId: string;
	customId: string;
	memberPermissions?: bigint;
	roles?: string[];
}

export interface ChooseFromMenuSpec extends ClickButtonSpec {
	/** The values chosen, as the menu's options give them (one, unless the menu allows more). */
	values: string[];
}

export interface RunCommandInDMSpec extends InteractionUserSpec {
	name: string;
	subcommandGroup?: string;
	subcommand?: string;
	options?: Record<string, OptionValue>;
}

/** A command of the app installed to the user, run in a server the bot is not a member of. */
export interface RunUserInstalledCommandSpec extends RunCommandInDMSpec {
	/** The server; default a new one. The bot never hears of it (no GUILD_CREATE). */
	guildId?: string;
	/** The channel in it; default one per server. */
	channelId?: string;
}

export interface ReactionSpec extends InteractionUserSpec {
	guildId?: string;
	channelId: string;
	messageId: string;
	/** A unicode emoji ('👍') or a custom one ('name:id'). */
	emoji: string;
	/** A super reaction (Nitro "burst"): the event carries `burst: true` and `type: 1`. A reader may hold a normal and a super reaction with the same emoji. */
	burst?: boolean;
}

export interface ReactionEvent {
	kind: 'add' | 'remove' | 'remove-all' | 'remove-emoji';
	channelId: string;
	messageId: string;
	userId: string | null;
	emoji: { id: string | null; name: string | null } | null;
	/** A super reaction (add/remove only). */
	burst?: boolean;
	/** The bot did it through REST (rather than a reader through the fake). */
	byBot: boolean;
}

export interface FailNextSpec {
	method?: string;
	path: RegExp;
	status: 429 | 500 | 502 | 503 | 400 | 403 | 404;
	times?: number;
	/** For 429. Default 0.05 (fractional seconds keep tests fast; discord.js honours them). */
	retryAfterSeconds?: number;
	/** For 429: a global rate limit (x-ratelimit-global) instead of a per-route one. */
	global?: boolean;
	/** Discord JSON error code for 400/403/404 bodies. */
	code?: number;
}

export interface HoldNextSpec {
	method?: string;
	path: RegExp;
}

/** A REST request the fake keeps unanswered (holdNext): Discord being slow, for as long as the test needs. */
export interface HeldRequest {
	/** Resolves once the request has come in (method and path as recorded), before any answer. */
	arrived: Promise<{ method: string; path: string }>;
	/** Lets the fake answer it, as it would have (fault injection and rate limits included). */
	release(): void;
}

export interface IdentifyEvent {
	shard: [number, number];
	intents: number;
	properties: unknown;
}

export interface ResumeEvent {
	sessionId: string;
	seq: number;
	/** false when the fake answered INVALID_SESSION. */
	accepted: boolean;
}

export interface ReadyEvent {
	sessionId: string;
	shard: [number, number];
	guildCount: number;
}

export type MessageChange = 'create' | 'edit' | 'delete';

export interface FakeDiscordEventMap {
	request: [RecordedRequest];
	message: [FakeMessage, MessageChange];
	reaction: [ReactionEvent];
	identify: [IdentifyEvent];
	resume: [ResumeEvent];
	ready: [ReadyEvent];
}
