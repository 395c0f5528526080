// A fake Discord (REST v10 + gateway) on 127.0.0.1 that the real discord.js Client talks to
// unchanged. See README.md in this folder for what it covers and how tests use it.
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_WAIT_MS, type FakeContext, type ResolvedOptions } from './context.js';
import { Gateway } from './gateway.js';
import { Interactions } from './interactions.js';
import type { RateLimitHits } from './rate-limits.js';
import { RestApi } from './rest.js';
import { snowflakeNow } from './snowflake.js';
import type { SpecViolation } from './spec.js';
import type {
	AddGuildSpec,
	AddThreadSpec,
	AutocompleteSpec,
	ChooseFromMenuSpec,
	ClickButtonSpec,
	FailNextSpec,
	FakeDiscordEventMap,
	FakeDiscordOptions,
	FakeGuild,
	FakeMessage,
	FakeUser,
	HeldRequest,
	HoldNextSpec,
	InteractionHandle,
	ReactionSpec,
	RecordedRequest,
	RunCommandInDMSpec,
	RunUserInstalledCommandSpec,
	RunCommandSpec,
} from './types.js';
import { cloneMessage, parseEmoji, World, type CommandRecord, type ParsedEmoji } from './world.js';

export type * from './types.js';
export type { CommandRecord } from './world.js';
export type { SpecViolation } from './spec.js';
export { ROUTE_LIMITS, DEFAULT_ROUTE_LIMIT, type RateLimitHits, type RateLimitOptions, type RouteLimit } from './rate-limits.js';
export { Permission, defaultBotPermissions, ordinaryMemberPermissions, allPermissions } from './permissions.js';

export class FakeDiscord extends EventEmitter<FakeDiscordEventMap> {
	/** 'http://127.0.0.1:<port>/api': pass as discord.js `rest.api` / DISCORD_API_URL. */
	restUrl = '';
	/** 'ws://127.0.0.1:<port>': what GET /gateway/bot hands out. */
	gatewayUrl = '';
	readonly token: string;
	readonly applicationId: string;
	readonly botUser: FakeUser;

	private readonly options: ResolvedOptions;
	private readonly server: Server;
	private readonly world: World;
	private readonly gateway: Gateway;
	private readonly interactions: Interactions;
	private readonly rest: RestApi;

	constructor(options: FakeDiscordOptions = {}) {
		super();
		// Every pending waitForMessage / waitForRequest listens here; a test waiting on 120 channels at
		// once is normal use, not a leak.
		this.setMaxListeners(0);
		const botUserId = options.botUserId ?? snowflakeNow();
		this.options = {
			token: options.token ?? 'test-token',
			applicationId: options.applicationId ?? botUserId,
			botUserId,
			botUsername: options.botUsername ?? 'Serial Fiction',
			interactionDeadlineMs: options.interactionDeadlineMs ?? 3000,
			interactionTokenLifetimeMs: options.interactionTokenLifetimeMs ?? 15 * 60 * 1000,
			heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
			recommendedShards: options.recommendedShards ?? null,
			maxConcurrency: options.maxConcurrency ?? 1,
			maxGuildsPerShard: options.maxGuildsPerShard ?? 2500,
			replayLimit: options.replayLimit ?? 10_000,
			port: options.port ?? 0,
			everySession: options.everySession ?? false,
			unknownEmoji: new Set(options.unknownEmoji ?? []),
			rateLimits: options.rateLimits === true ? {} : options.rateLimits || null,
		};
		const context: FakeContext = {
			options: this.options,
			get world() {
				return world;
			},
			get gateway() {
				return gateway;
			},
			get interactions() {
				return interactions;
			},
			events: this,
		};
		const getContext = (): FakeContext => context;
		const world = new World(getContext, this.options.botUserId, this.options.botUsername);
		const interactions = new Interactions(getContext);
		const rest = new RestApi(getContext);
		this.server = createServer((request, response) => {
			rest.handle(request, response).catch((error: unknown) => {
				console.error('fake-discord: request handling failed', error);
				if (!response.headersSent) response.writeHead(500).end();
			});
		});
		// Discord keeps connections alive; so does undici. Short idle timeouts would only add reconnects.
		this.server.keepAliveTimeout = 30_000;
		const gateway = new Gateway(getContext, this.server);
		this.world = world;
		this.gateway = gateway;
		this.interactions = interactions;
		this.rest = rest;
		this.token = this.options.token;
		this.applicationId = this.options.applicationId;
		this.botUser = world.botUser;
	}

	/** @internal Use startFakeDiscord(). */
	async listen(): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port, '127.0.0.1', () => {
				this.server.off('error', reject);
				resolve();
			});
		});
		const { port } = this.server.address() as AddressInfo;
		this.restUrl = `http://127.0.0.1:${port}/api`;
		this.gatewayUrl = `ws://127.0.0.1:${port}`;
		this.gateway.url = this.gatewayUrl;
	}

	// ---- world ---------------------------------------------------------------------------------

	/** A guild the bot is in. Announced with GUILD_CREATE when a session is live; otherwise it arrives in READY. */
	addGuild(spec: AddGuildSpec = {}): FakeGuild {
		const guild = this.world.addGuild(spec);
		// Without a session the guild simply arrives in the next READY; rendering it now would be waste.
		if (this.gateway.hasSessionFor(guild.id)) void this.gateway.dispatch('GUILD_CREATE', this.world.renderGuild(guild, { forGateway: true }), guild.id, 0);
		return this.world.toFakeGuild(guild);
	}

	/** `count` guilds with one text channel each, for benchmarks. */
	addGuilds(count: number, spec: Omit<AddGuildSpec, 'id' | 'channels'> = {}): FakeGuild[] {
		return Array.from({ length: count }, () => this.addGuild({ ...spec }));
	}

	/**
	 * A thread in a text or announcement channel of the guild; returns its id. It is announced with
	 * THREAD_CREATE and is in GUILD_CREATE's `threads` while active. Its permissions are the parent's.
	 */
	addThread(guildId: string, parentChannelId: string, spec: AddThreadSpec = {}): string {
		const guild = this.world.guilds.get(guildId);
		if (!guild) throw new Error(`fake-discord: unknown guild ${guildId}`);
		const { channel } = this.world.channelForTest(parentChannelId, guildId);
		return this.world.addThread(guild, channel, spec).id;
	}

	/**
	 * Archives a thread (THREAD_UPDATE): it leaves GUILD_CREATE, and takes no commands, reactions or
	 * edits. `locked`, as a moderator may do it: then posting no longer unarchives it.
	 */
	archiveThread(threadId: string, options: { locked?: boolean } = {}): void {
		this.world.setThreadArchived(this.world.channelForTest(threadId).channel, true, options.locked);
	}

	/** Unarchives a thread (THREAD_UPDATE), as a reader's message in it would. */
	unarchiveThread(threadId: string): void {
		this.world.setThreadArchived(this.world.channelForTest(threadId).channel, false);
	}

	/** The bot's permissions in one channel (app_permissions of later interactions, and REST checks); sent as CHANNEL_UPDATE. */
	setChannelPermissions(channelId: string, botPermissions: bigint): void {
		const { channel } = this.world.channelForTest(channelId);
		this.world.setChannelBotPermissions(channel, botPermissions);
	}

	/** The bot's guild-wide permissions (its managed role); sent as GUILD_ROLE_UPDATE. */
	setBotPermissions(guildId: string, botPermissions: bigint): void {
		const guild = this.world.guilds.get(guildId);
		if (!guild) throw new Error(`fake-discord: unknown guild ${guildId}`);
		this.world.setBotGuildPermissions(guild, botPermissions);
	}

	/** A role with no permissions at `position` (the bot's own role is at 1 unless moved with setBotRolePosition). */
	addRole(guildId: string, name: string, position = 1): { id: string } {
		const guild = this.world.guilds.get(guildId);
		if (!guild) throw new Error(`fake-discord: unknown guild ${guildId}`);
		return { id: this.world.addRole(guild, name, position).id };
	}

	/** Moves the bot's managed role: it may give roles only below it. */
	setBotRolePosition(guildId: string, position: number): void {
		const guild = this.world.guilds.get(guildId);
		if (!guild) throw new Error(`fake-discord: unknown guild ${guildId}`);
		this.world.setBotRolePosition(guild, position);
	}

	/** The threads of a guild the bot or a test started: id, name, parent, auto-archive minutes, owner. */
	threads(guildId: string): Array<{ id: string; name: string; parentId: string; autoArchiveDuration: number; ownerId: string }> {
		const guild = this.world.guilds.get(guildId);
		return (guild?.threads ?? []).map((t) => ({ id: t.id, name: t.name, parentId: t.thread!.parentId, autoArchiveDuration: t.thread!.autoArchiveDuration, ownerId: t.thread!.ownerId }));
	}

	/** The role ids a member has now (empty when not a member). */
	memberRoles(guildId: string, userId: string): string[] {
		return [...(this.world.guilds.get(guildId)?.members.get(userId)?.roleIds ?? [])];
	}

	/** A reader (a person, not a bot). */
	user(name?: string): FakeUser {
		return this.world.createReader(name);
	}

	// ---- interactions --------------------------------------------------------------------------

	runCommand(spec: RunCommandSpec): InteractionHandle {
		return this.interactions.runCommand(spec);
	}

	/** Resolves with the choices the bot answered with (callback type 8). */
	autocomplete(spec: AutocompleteSpec): Promise<Array<{ name: string; value: string | number }>> {
		return this.interactions.autocomplete(spec);
	}

	clickButton(spec: ClickButtonSpec): InteractionHandle {
		return this.interactions.clickButton(spec);
	}

	/** A reader's choice from a string select menu on a message (see Interactions.chooseFromMenu). */
	chooseFromMenu(spec: ChooseFromMenuSpec): InteractionHandle {
		return this.interactions.chooseFromMenu(spec);
	}

	runCommandInDM(spec: RunCommandInDMSpec): InteractionHandle {
		return this.interactions.runCommandInDM(spec);
	}

	/** A command of the app installed to the user, in a server the bot is not in (see Interactions.runUserInstalledCommand). */
	runUserInstalledCommand(spec: RunUserInstalledCommandSpec): InteractionHandle & { guildId: string; channelId: string } {
		return this.interactions.runUserInstalledCommand(spec);
	}

	// ---- reactions by readers ------------------------------------------------------------------

	private reactionTarget(spec: { guildId?: string; channelId: string; messageId: string }): FakeMessage {
		const { channel } = this.world.channelForTest(spec.channelId, spec.guildId);
		const message = this.world.messages.get(spec.messageId);
		if (!message || message.deleted || message.channel_id !== channel.id || message.ephemeral) {
			throw new Error(`fake-discord: no message ${spec.messageId} in channel ${spec.channelId} that readers can react to`);
		}
		if (channel.thread?.archived) throw new Error(`fake-discord: thread ${channel.id} is archived; readers cannot react there`);
		return message;
	}

	private emojiFor(text: string): ParsedEmoji {
		const emoji = parseEmoji(text);
		if (!emoji) throw new Error(`fake-discord: ${JSON.stringify(text)} is not an emoji ('👍' or 'name:id')`);
		return emoji;
	}

	/**
	 * A reader adds a reaction. Resolves once MESSAGE_REACTION_ADD is written to the bot's socket.
	 * Reacting again with the same emoji changes nothing stored but sends the event again, which is
	 * what a replayed gateway event looks like to the bot.
	 */
	react(spec: ReactionSpec): Promise<void> {
		const message = this.reactionTarget(spec);
		const emoji = this.emojiFor(spec.emoji);
		const user = this.world.resolveUser(spec.user);
		const guild = message.guild_id === null ? undefined : this.world.guilds.get(message.guild_id);
		if (guild) this.world.ensureReaderMember(guild, user);
		const isNew = !message.reactions.some((reaction) => (reaction.emoji.id ?? reaction.emoji.name) === (emoji.id ?? emoji.name));
		if (isNew && message.reactions.length >= 20) throw new Error('fake-discord: a message holds at most 20 different reactions');
		return this.world.addReaction(message, user.id, emoji, { byBot: false, resendIfPresent: true, burst: spec.burst ?? false }) ?? Promise.resolve();
	}

	/** A reader removes their reaction (MESSAGE_REACTION_REMOVE, which carries no member). Sent even if they had none, like a replay. */
	unreact(spec: ReactionSpec): Promise<void> {
		const message = this.reactionTarget(spec);
		const user = this.world.resolveUser(spec.user);
		return this.world.removeReaction(message, user.id, this.emojiFor(spec.emoji), { byBot: false, resendIfAbsent: true, burst: spec.burst ?? false }) ?? Promise.resolve();
	}

	/** A moderator clears every reaction (MESSAGE_REACTION_REMOVE_ALL). */
	removeAllReactions(spec: { guildId?: string; channelId: string; messageId: string }): Promise<void> {
		return this.world.removeAllReactions(this.reactionTarget(spec), false);
	}

	/** A moderator clears one emoji (MESSAGE_REACTION_REMOVE_EMOJI). */
	removeEmoji(spec: { guildId?: string; channelId: string; messageId: string; emoji: string }): Promise<void> {
		return this.world.removeEmojiReactions(this.reactionTarget(spec), this.emojiFor(spec.emoji), false);
	}

	// ---- reading what happened -----------------------------------------------------------------

	/**
	 * Every message in the channel in order, as snapshots. Ephemeral ones are included (flagged
	 * `ephemeral: true`, as the reader who triggered them sees them) unless `{ ephemeral: false }`.
	 */
	messages(channelId: string, options: { ephemeral?: boolean } = {}): FakeMessage[] {
		return this.world.visibleMessages(channelId, options.ephemeral ?? true);
	}

	/** The current state of one message, or null. */
	message(messageId: string): FakeMessage | null {
		const message = this.world.messages.get(messageId);
		return message ? cloneMessage(message) : null;
	}

	/** Every REST request so far, in order. */
	get requests(): RecordedRequest[] {
		return this.rest.requests;
	}

	/** Requests to routes the fake does not know (each answered 404); tests can assert there are none. */
	unknownRequests(): RecordedRequest[] {
		return this.rest.requests.filter((request) => request.route === null);
	}

	/** The 429s the fake's rate limits sent (`rateLimits` option), by X-RateLimit-Scope; injected ones are not counted. */
	get rateLimitHits(): RateLimitHits {
		return this.rest.rateLimitHits;
	}

	/** Exceptions inside the fake itself (answered 500); should always be empty. */
	get internalErrors(): Error[] {
		return this.rest.internalErrors;
	}

	/** 2xx answers the fake gave that Discord's OpenAPI spec does not allow: a bug in the fake. */
	get specViolations(): SpecViolation[] {
		return this.rest.specViolations;
	}

	/** Registered application commands: global ones, or a guild's. */
	commands(guildId?: string): CommandRecord[] {
		return structuredClone(this.world.commandsFor(guildId ?? null));
	}

	/** The first matching request from now on (or already made, with includePast). */
	waitForRequest(match: (request: RecordedRequest) => boolean, options: { timeoutMs?: number; includePast?: boolean } = {}): Promise<RecordedRequest> {
		const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
		if (options.includePast) {
			const seen = this.rest.requests.find(match);
			if (seen) return Promise.resolve(seen);
		}
		return new Promise((resolve, reject) => {
			const listener = (request: RecordedRequest): void => {
				if (!match(request)) return;
				clearTimeout(timer);
				this.off('request', listener);
				resolve(request);
			};
			const timer = setTimeout(() => {
				this.off('request', listener);
				const recent = this.rest.requests.slice(-15).map((request) => `  ${request.method} ${request.path} -> ${request.status}`).join('\n');
				reject(new Error(`fake-discord: no matching request within ${timeoutMs} ms. Recent requests:\n${recent || '  (none)'}`));
			}, timeoutMs);
			this.on('request', listener);
		});
	}

	/**
	 * The first message in the channel that matches, counting messages already there (unless
	 * includePast is false) and later creates and edits (a deferred reply gets its content by edit).
	 */
	waitForMessage(channelId: string, match: (message: FakeMessage) => boolean = () => true, options: { timeoutMs?: number; includePast?: boolean } = {}): Promise<FakeMessage> {
		const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
		if (options.includePast ?? true) {
			const seen = this.world.visibleMessages(channelId, true).find(match);
			if (seen) return Promise.resolve(seen);
		}
		return new Promise((resolve, reject) => {
			const listener = (message: FakeMessage, change: string): void => {
				if (message.channel_id !== channelId || change === 'delete' || !match(message)) return;
				clearTimeout(timer);
				this.off('message', listener);
				resolve(message);
			};
			const timer = setTimeout(() => {
				this.off('message', listener);
				const present = this.world.visibleMessages(channelId, true).slice(-10).map((message) => `  ${message.id}${message.ephemeral ? ' (ephemeral)' : ''}: ${JSON.stringify(message.content.slice(0, 80))}`).join('\n');
				reject(new Error(`fake-discord: no matching message in channel ${channelId} within ${timeoutMs} ms. Last messages:\n${present || '  (none)'}`));
			}, timeoutMs);
			this.on('message', listener);
		});
	}

	// ---- faults --------------------------------------------------------------------------------

	/** Answers the next matching REST request(s) with a Discord-shaped error; rules are used in the order given. */
	failNext(spec: FailNextSpec): void {
		this.rest.failNext(spec);
	}

	/**
	 * Keeps the next matching REST request unanswered until the test calls `release()`: Discord slow
	 * to answer, for exactly as long as the test needs to act meanwhile (a fixed Retry-After would
	 * race the test on a busy machine). Other requests, on the same route too, are answered as usual.
	 */
	holdNext(spec: HoldNextSpec): HeldRequest {
		return this.rest.holdNext(spec);
	}

	/** Closes the bot's gateway socket(s). 4000 is resumable: discord.js reconnects to resume_gateway_url and sends RESUME. */
	dropConnection(code = 4000, shardId?: number): Promise<void> {
		return this.gateway.dropConnection(code, shardId);
	}

	/** Sends INVALID_SESSION; with resumable false the bot must IDENTIFY again. */
	invalidateSession(options: { resumable?: boolean; shardId?: number } = {}): void {
		this.gateway.invalidateSession(options.resumable ?? false, options.shardId);
	}

	/** Sends RECONNECT (op 7): the bot closes and resumes. */
	requestReconnect(shardId?: number): void {
		this.gateway.requestReconnect(shardId);
	}

	/** Sends op 1; resolves when the bot heartbeats back. */
	requestHeartbeat(shardId?: number): Promise<void> {
		return this.gateway.requestHeartbeat(shardId);
	}

	get identifyCount(): number {
		return this.gateway.identifyCount;
	}

	get resumeCount(): number {
		return this.gateway.resumeCount;
	}

	get connected(): boolean {
		return this.gateway.connected;
	}

	/** Resolves once every shard has a connected session that got READY + all GUILD_CREATEs (or RESUMED). */
	waitForReady(options: { timeoutMs?: number } = {}): Promise<void> {
		if (this.gateway.ready) return Promise.resolve();
		const timeoutMs = options.timeoutMs ?? 15_000;
		return new Promise((resolve, reject) => {
			const check = (): void => {
				if (!this.gateway.ready) return;
				clearTimeout(timer);
				this.gateway.changes.off('change', check);
				resolve();
			};
			const timer = setTimeout(() => {
				this.gateway.changes.off('change', check);
				reject(new Error(`fake-discord: no ready gateway session within ${timeoutMs} ms (identifies: ${this.identifyCount}, resumes: ${this.resumeCount}, REST requests: ${this.rest.requests.length})`));
			}, timeoutMs);
			this.gateway.changes.on('change', check);
		});
	}

	async close(): Promise<void> {
		this.interactions.clearTimers();
		this.rest.releaseHolds();
		await this.gateway.close();
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
	const fake = new FakeDiscord(options);
	await fake.listen();
	return fake;
}
