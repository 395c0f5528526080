// Interactions: building INTERACTION_CREATE payloads the way Discord does, and the REST side that
// answers them (callbacks, @original, follow-ups) with Discord's rules: one callback within the
// deadline, 40060 for a second one, 10062 for a late one, tokens that expire.
import { randomBytes } from 'node:crypto';
import { DEFAULT_WAIT_MS, type FakeContext, type RouteRequest, type RouteResult } from './context.js';
import { DiscordApiError, ErrorCode, FormErrors, invalidFormBody } from './errors.js';
import { botDmAppPermissions, userAppPermissions } from './permissions.js';
import { snowflakeNow } from './snowflake.js';
import type {
	AutocompleteSpec,
	ChooseFromMenuSpec,
	ClickButtonSpec,
	FakeMessage,
	FakeUser,
	InteractionCallback,
	InteractionError,
	InteractionHandle,
	OptionValue,
	RunCommandInDMSpec,
	RunCommandSpec,
	RunUserInstalledCommandSpec,
} from './types.js';
import { assertNotEmpty, findComponent, MessageFlag, validateAutocompleteChoices, validateMessageFields } from './validation.js';
import { applyMessageEdit, cloneMessage, editFieldsFrom, messageFieldsFrom, type ChannelRecord, type GuildRecord, type MemberRecord } from './world.js';

type Json = Record<string, unknown>;

export const InteractionType = { ApplicationCommand: 2, MessageComponent: 3, Autocomplete: 4 } as const;

export const CallbackType = {
	Pong: 1,
	ChannelMessageWithSource: 4,
	DeferredChannelMessageWithSource: 5,
	DeferredUpdateMessage: 6,
	UpdateMessage: 7,
	AutocompleteResult: 8,
	Modal: 9,
} as const;

const allowedCallbacks: Record<number, number[]> = {
	[InteractionType.ApplicationCommand]: [4, 5, 9],
	[InteractionType.MessageComponent]: [4, 5, 6, 7, 9],
	[InteractionType.Autocomplete]: [8],
};

/** Flags an interaction response may set. */
const responseFlags = MessageFlag.Ephemeral | MessageFlag.SuppressEmbeds | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2;

interface Deferred<T> {
	promise: Promise<T>;
	resolve(value: T): void;
	reject(error: Error): void;
	settled: boolean;
}

function deferred<T>(): Deferred<T> {
	let resolve!: (value: T) => void;
	let reject!: (error: Error) => void;
	const promise = new Promise<T>((innerResolve, innerReject) => {
		resolve = innerResolve;
		reject = innerReject;
	});
	// Nobody has to await these; an unobserved rejection must not fail the run (test/setup.ts throws on those).
	promise.catch(() => undefined);
	const handle: Deferred<T> = {
		promise,
		settled: false,
		resolve(value) {
			if (handle.settled) return;
			handle.settled = true;
			resolve(value);
		},
		reject(error) {
			if (handle.settled) return;
			handle.settled = true;
			reject(error);
		},
	};
	return handle;
}

export interface InteractionRecord {
	id: string;
	token: string;
	type: number;
	commandName: string | null;
	guildId: string | null;
	channelId: string;
	userId: string;
	createdAt: number;
	dispatchedAt: number | null;
	callback: InteractionCallback | null;
	originalMessageId: string | null;
	componentMessageId: string | null;
	followUpIds: string[];
	errors: InteractionError[];
	acknowledged: Deferred<InteractionCallback>;
	replied: Deferred<FakeMessage>;
	description: string;
}

interface CommandOptionDefinition {
	type: number;
	name: string;
	required?: boolean;
	autocomplete?: boolean;
	choices?: Array<{ name: string; value: OptionValue }>;
	options?: CommandOptionDefinition[];
	min_value?: number;
	max_value?: number;
	min_length?: number;
	max_length?: number;
}

const OptionType = { Subcommand: 1, SubcommandGroup: 2, String: 3, Integer: 4, Boolean: 5, User: 6, Channel: 7, Role: 8, Mentionable: 9, Number: 10 } as const;

export class Interactions {
	private readonly byId = new Map<string, InteractionRecord>();
	private readonly byToken = new Map<string, InteractionRecord>();
	private readonly syntheticCommandIds = new Map<string, string>();
	private readonly timers = new Set<NodeJS.Timeout>();

	constructor(private readonly context: () => FakeContext) {}

	private get ctx(): FakeContext {
		return this.context();
	}

	get(id: string): InteractionRecord | undefined {
		return this.byId.get(id);
	}

	// ---- starting interactions ---------------------------------------------------------------------

	runCommand(spec: RunCommandSpec): InteractionHandle {
		const { world } = this.ctx;
		const { channel, guild } = world.channelForTest(spec.channelId, spec.guildId);
		if (!guild) throw new Error('fake-discord: runCommand is for guild channels; use runCommandInDM for DMs');
		const user = world.resolveUser(spec.user);
		const { member } = world.ensureMember(guild, user, spec.memberPermissions, spec.roles);
		const data = this.commandData(spec, guild, channel, null);
		return this.start({ type: InteractionType.ApplicationCommand, commandName: spec.name, guild, channel, user, member, data, message: null, locale: spec.locale });
	}

	autocomplete(spec: AutocompleteSpec): Promise<Array<{ name: string; value: string | number }>> {
		const { world } = this.ctx;
		const { channel, guild } = world.channelForTest(spec.channelId, spec.guildId);
		if (!guild) throw new Error('fake-discord: autocomplete is for guild channels');
		const user = world.resolveUser(spec.user);
		const { member } = world.ensureMember(guild, user, spec.memberPermissions, spec.roles);
		const data = this.commandData(spec, guild, channel, { name: spec.focused, value: spec.value });
		const handle = this.start({ type: InteractionType.Autocomplete, commandName: spec.name, guild, channel, user, member, data, message: null, locale: spec.locale });
		return handle.acknowledged.then((callback) => (callback.data?.choices ?? []) as Array<{ name: string; value: string | number }>);
	}

	runCommandInDM(spec: RunCommandInDMSpec): InteractionHandle {
		const { world } = this.ctx;
		const user = world.resolveUser(spec.user);
		const channel = world.dmChannelFor(user);
		const data = this.commandData(spec, null, channel, null);
		return this.start({ type: InteractionType.ApplicationCommand, commandName: spec.name, guild: null, channel, user, member: null, data, message: null, locale: spec.locale });
	}

	/**
	 * A user-installed command in a server the bot is not in: as Discord sends it
	 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object),
	 * with `guild_id`, a partial `guild` and the `member`, `context` 0 (GUILD), the app authorized by
	 * the user (`authorizing_integration_owners` {"1": user id}), and no guild the bot could have cached.
	 */
	runUserInstalledCommand(spec: RunUserInstalledCommandSpec): InteractionHandle & { guildId: string; channelId: string } {
		const { world } = this.ctx;
		const user = world.resolveUser(spec.user);
		const channel = world.foreignChannel(spec.guildId, spec.channelId);
		const data = this.commandData(spec, null, channel, null);
		const handle = this.start({ type: InteractionType.ApplicationCommand, commandName: spec.name, guild: null, channel, user, member: null, data, message: null, userInstalledIn: channel.guildId!, locale: spec.locale });
		return { ...handle, guildId: channel.guildId!, channelId: channel.id };
	}

	clickButton(spec: ClickButtonSpec): InteractionHandle {
		const { world } = this.ctx;
		const { channel, guild } = world.channelForTest(spec.channelId, spec.guildId);
		const message = world.messages.get(spec.messageId);
		if (!message || message.deleted || message.channel_id !== channel.id) {
			throw new Error(`fake-discord: no message ${spec.messageId} in channel ${channel.id} to click on`);
		}
		const component = findComponent(message.components, spec.customId);
		if (!component || component.type !== 2) {
			throw new Error(`fake-discord: message ${message.id} has no button with custom_id ${JSON.stringify(spec.customId)}`);
		}
		if (component.disabled === true) throw new Error(`fake-discord: button ${spec.customId} is disabled; readers cannot click it`);
		const user = world.resolveUser(spec.user);
		const member = guild ? world.ensureMember(guild, user, spec.memberPermissions, spec.roles).member : null;
		const foreignGuildId = guild === null && channel.guildId !== null ? channel.guildId : undefined;
		const data: Json = { custom_id: spec.customId, component_type: 2, ...(typeof component.id === 'number' ? { id: component.id } : {}) };
		return this.start({ type: InteractionType.MessageComponent, commandName: null, guild, channel, user, member, data, message, locale: spec.locale, ...(foreignGuildId !== undefined ? { userInstalledIn: foreignGuildId } : {}) });
	}

	/**
	 * A reader choosing from a string select menu (component type 3) on a message, as Discord sends it
	 * (https://discord.com/developers/docs/interactions/receiving-and-responding#interaction-object-message-component-data-structure):
	 * `data` has the menu's `custom_id`, `component_type` 3 and the chosen `values`. Throws, as a
	 * Discord client would not let a reader send it, for a value the menu does not offer, or fewer
	 * than its `min_values` (default 1) or more than its `max_values` (default 1).
	 */
	chooseFromMenu(spec: ChooseFromMenuSpec): InteractionHandle {
		const { world } = this.ctx;
		const { channel, guild } = world.channelForTest(spec.channelId, spec.guildId);
		const message = world.messages.get(spec.messageId);
		if (!message || message.deleted || message.channel_id !== channel.id) {
			throw new Error(`fake-discord: no message ${spec.messageId} in channel ${channel.id} to choose from`);
		}
		const menu = findComponent(message.components, spec.customId);
		if (!menu || menu.type !== 3) throw new Error(`fake-discord: message ${message.id} has no string select with custom_id ${JSON.stringify(spec.customId)}`);
		if (menu.disabled === true) throw new Error(`fake-discord: select ${spec.customId} is disabled; readers cannot use it`);
		const offered = new Set(((menu.options ?? []) as Array<{ value: string }>).map((option) => option.value));
		const unknown = spec.values.filter((value) => !offered.has(value));
		if (unknown.length > 0) throw new Error(`fake-discord: select ${spec.customId} offers no ${unknown.map((value) => JSON.stringify(value)).join(', ')}`);
		const min = typeof menu.min_values === 'number' ? menu.min_values : 1;
		const max = typeof menu.max_values === 'number' ? menu.max_values : 1;
		if (spec.values.length < min || spec.values.length > max) throw new Error(`fake-discord: select ${spec.customId} takes ${min} to ${max} values, not ${spec.values.length}`);
		const user = world.resolveUser(spec.user);
		const member = guild ? world.ensureMember(guild, user, spec.memberPermissions, spec.roles).member : null;
		const foreignGuildId = guild === null && channel.guildId !== null ? channel.guildId : undefined;
		const data: Json = { custom_id: spec.customId, component_type: 3, values: [...spec.values], ...(typeof menu.id === 'number' ? { id: menu.id } : {}) };
		return this.start({ type: InteractionType.MessageComponent, commandName: null, guild, channel, user, member, data, message, locale: spec.locale, ...(foreignGuildId !== undefined ? { userInstalledIn: foreignGuildId } : {}) });
	}

	private start(spec: {
		type: number;
		commandName: string | null;
		guild: GuildRecord | null;
		channel: ChannelRecord;
		user: FakeUser;
		member: MemberRecord | null;
		data: Json;
		message: FakeMessage | null;
		/** A server the bot is not in, where the user's own install of the app runs the command. */
		userInstalledIn?: string;
		/** The user's client language (Discord locale code); default `en-US`. */
		locale?: string | undefined;
	}): InteractionHandle {
		const { world, options, gateway } = this.ctx;
		const { guild, channel, user, member } = spec;
		if (channel.thread?.archived) {
			throw new Error(`fake-discord: thread ${channel.id} is archived; Discord offers no commands or buttons there until it is unarchived`);
		}
		const id = snowflakeNow();
		// The colon makes discord.js URL-encode the token (%3A), as with some real tokens.
		const token = `aW50ZXJhY3Rpb246:${id}:${randomBytes(18).toString('base64url')}`;
		const record: InteractionRecord = {
			id,
			token,
			type: spec.type,
			commandName: spec.commandName,
			guildId: guild?.id ?? null,
			channelId: channel.id,
			userId: user.id,
			createdAt: Date.now(),
			dispatchedAt: null,
			callback: null,
			originalMessageId: null,
			componentMessageId: spec.message?.id ?? null,
			followUpIds: [],
			errors: [],
			acknowledged: deferred(),
			replied: deferred(),
			description: spec.commandName !== null ? `/${spec.commandName}` : `${spec.data.component_type === 3 ? 'menu' : 'button'} ${String(spec.data.custom_id)}`,
		};
		this.byId.set(id, record);
		this.byToken.set(token, record);

		const memberPermissions = guild && member ? world.memberPermissions(guild, member) : null;
		const payload: Json = {
			id,
			application_id: options.applicationId,
			type: spec.type,
			token,
			version: 1,
			data: spec.data,
			channel: { ...world.renderChannel(channel), ...(memberPermissions !== null ? { permissions: memberPermissions.toString() } : {}) },
			channel_id: channel.id,
			app_permissions: (guild ? world.botPermissionsIn(channel) : botDmAppPermissions).toString(),
			locale: spec.locale ?? 'en-US',
			entitlements: [],
			authorizing_integration_owners: { '0': guild ? guild.id : '0' },
			context: guild ? 0 : 1,
			attachment_size_limit: 10 * 1024 * 1024,
		};
		if (guild && member && memberPermissions !== null) {
			payload.guild_id = guild.id;
			// The server's preferred locale (Server Settings › Community), sent in both places as Discord does.
			payload.guild = { id: guild.id, locale: guild.preferredLocale, features: [] };
			payload.guild_locale = guild.preferredLocale;
			payload.member = world.renderMember(member, { permissions: memberPermissions });
		} else {
			payload.user = world.renderUser(user);
		}
		if (spec.userInstalledIn !== undefined) {
			const everyone = 0x400n | 0x800n | 0x4000n | 0x8000n | 0x10000n | 0x40n | 0x80000000n; // view, send, embed, attach, history, react, use commands
			payload.guild_id = spec.userInstalledIn;
			payload.guild = { id: spec.userInstalledIn, locale: 'en-US', features: [] };
			payload.guild_locale = 'en-US';
			payload.context = 0;
			payload.authorizing_integration_owners = { '1': user.id };
			// What a user app may do where its bot is absent: answer the interaction, nothing more.
			payload.app_permissions = userAppPermissions.toString();
			payload.member = { user: world.renderUser(user), nick: null, avatar: null, roles: [], joined_at: new Date(0).toISOString(), deaf: false, mute: false, flags: 0, pending: false, permissions: everyone.toString() };
			delete payload.user;
		}
		if (spec.message) payload.message = world.renderMessage(spec.message);

		const failBoth = (error: Error): void => {
			record.acknowledged.reject(error);
			record.replied.reject(error);
		};
		void gateway.dispatch('INTERACTION_CREATE', payload, guild?.id ?? null, 0, {
			// Discord's 3 s start when the interaction is created; the fake starts them when the bot can
			// actually see it, so a slow reconnect in a test does not eat the bot's time.
			onWritten: () => {
				record.dispatchedAt = Date.now();
				const timer = setTimeout(() => {
					this.timers.delete(timer);
					if (record.callback !== null) return;
					failBoth(new Error(`fake-discord: the bot did not acknowledge ${record.description} (interaction ${id}) within ${options.interactionDeadlineMs} ms`));
				}, options.interactionDeadlineMs);
				timer.unref();
				this.timers.add(timer);
			},
			onDropped: () => failBoth(new Error(`fake-discord: ${record.description} (interaction ${id}) never reached the bot: its gateway session ended before delivery`)),
		});
		return this.handleFor(record);
	}

	private handleFor(record: InteractionRecord): InteractionHandle {
		const { world } = this.ctx;
		const snapshot = (messageId: string | null): FakeMessage | null => {
			const message = messageId === null ? undefined : world.messages.get(messageId);
			return message ? cloneMessage(message) : null;
		};
		return {
			id: record.id,
			token: record.token,
			acknowledged: record.acknowledged.promise,
			errors: record.errors,
			reply: ({ timeoutMs = DEFAULT_WAIT_MS } = {}) => withTimeout(record.replied.promise, timeoutMs, () => this.describeWait(record, timeoutMs)),
			followUps: () => record.followUpIds.flatMap((id) => snapshot(id) ?? []),
			original: () => snapshot(record.originalMessageId),
		};
	}

	private describeWait(record: InteractionRecord, timeoutMs: number): string {
		const callback = record.callback === null ? 'no callback yet' : `callback type ${record.callback.type}`;
		const errors = record.errors.map((error) => `${error.method} ${error.path} -> ${error.status} ${error.code}`).join('; ') || 'none';
		return `fake-discord: no visible reply to ${record.description} within ${timeoutMs} ms (${callback}; errors: ${errors})`;
	}

	// ---- command data --------------------------------------------------------------------------------

	private commandData(
		spec: { name: string; subcommandGroup?: string; subcommand?: string; options?: Record<string, OptionValue> },
		guild: GuildRecord | null,
		channel: ChannelRecord,
		focused: { name: string; value: string } | null,
	): Json {
		const { world } = this.ctx;
		const command = world.findCommand(spec.name, guild?.id ?? null);
		if (!command && world.hasAnyCommands()) {
			const known = [...world.globalCommands, ...(guild ? world.commandsFor(guild.id) : [])].map((registered) => `/${registered.name}`).join(', ');
			throw new Error(`fake-discord: /${spec.name} is not registered${guild ? ` for guild ${guild.id}` : ' globally'} (registered: ${known || 'none'})`);
		}
		// Contexts are deliberately not checked for DMs: Discord would hide a guild-only command there,
		// but a bot's guard for that case is still worth testing.
		const resolved: { users: Json; members: Json; channels: Json; roles: Json } = { users: {}, members: {}, channels: {}, roles: {} };

		let definitions = command ? ((command.options as CommandOptionDefinition[] | undefined) ?? []) : null;
		const path: Array<{ type: number; name: string }> = [];
		for (const [type, name] of [[OptionType.SubcommandGroup, spec.subcommandGroup], [OptionType.Subcommand, spec.subcommand]] as const) {
			if (name === undefined) continue;
			if (definitions !== null) {
				const definition = definitions.find((option) => option.type === type && option.name === name);
				if (!definition) throw new Error(`fake-discord: /${spec.name} has no ${type === OptionType.Subcommand ? 'subcommand' : 'subcommand group'} ${name}`);
				definitions = definition.options ?? [];
			}
			path.push({ type, name });
		}

		const leaf: Json[] = [];
		for (const [name, value] of Object.entries(spec.options ?? {})) {
			if (focused && name === focused.name) continue;
			const definition = definitions?.find((option) => option.name === name);
			if (definitions !== null && !definition) throw new Error(`fake-discord: /${spec.name} has no option ${name}`);
			const type = definition?.type ?? inferOptionType(value);
			checkOptionValue(spec.name, name, type, value, definition);
			leaf.push({ name, type, value });
			this.addResolved(resolved, type, value, guild, channel);
		}
		if (focused) {
			const definition = definitions?.find((option) => option.name === focused.name);
			if (definitions !== null && definition?.autocomplete !== true) {
				throw new Error(`fake-discord: option ${focused.name} of /${spec.name} has no autocomplete`);
			}
			leaf.push({ name: focused.name, type: definition?.type ?? OptionType.String, value: focused.value, focused: true });
		} else if (definitions !== null) {
			for (const definition of definitions) {
				if (definition.required === true && !(definition.name in (spec.options ?? {}))) {
					throw new Error(`fake-discord: /${spec.name} needs option ${definition.name}; Discord would not let the reader send it without`);
				}
			}
		}

		let options: Json[] = leaf;
		for (const level of [...path].reverse()) options = [{ type: level.type, name: level.name, options }];

		const hasResolved = Object.values(resolved).some((entries) => Object.keys(entries).length > 0);
		return {
			id: command?.id ?? this.syntheticCommandId(spec.name),
			name: spec.name,
			type: 1,
			...(options.length > 0 ? { options } : {}),
			...(command?.guild_id !== undefined ? { guild_id: command.guild_id } : {}),
			...(hasResolved ? { resolved: Object.fromEntries(Object.entries(resolved).filter(([, entries]) => Object.keys(entries).length > 0)) } : {}),
		};
	}

	private syntheticCommandId(name: string): string {
		const existing = this.syntheticCommandIds.get(name);
		if (existing) return existing;
		const id = snowflakeNow();
		this.syntheticCommandIds.set(name, id);
		return id;
	}

	private addResolved(resolved: { users: Json; members: Json; channels: Json; roles: Json }, type: number, value: OptionValue, guild: GuildRecord | null, channel: ChannelRecord): void {
		const { world } = this.ctx;
		const id = String(value);
		if (type === OptionType.User || type === OptionType.Mentionable) {
			const user = world.users.get(id);
			if (user) {
				resolved.users[id] = world.renderUser(user);
				const member = guild?.members.get(id);
				if (guild && member) resolved.members[id] = world.renderMember(member, { includeUser: false, permissions: world.memberPermissions(guild, member) });
				return;
			}
		}
		if (type === OptionType.Role || type === OptionType.Mentionable) {
			const role = guild?.roles.get(id);
			if (role) resolved.roles[id] = world.renderRole(role);
			return;
		}
		if (type === OptionType.Channel) {
			const target = world.channels.get(id);
			if (target) resolved.channels[id] = { ...world.renderChannel(target), permissions: world.botPermissionsIn(target === channel ? channel : target).toString() };
		}
	}

	// ---- REST: callback ------------------------------------------------------------------------------

	/** Records a body the REST layer refused (Discord's spec, 50035) on the interaction it was for, if any. */
	recordRefused(request: RouteRequest, error: DiscordApiError): void {
		const record = this.byId.get(request.params.interactionId ?? '') ?? this.byToken.get(request.params.token ?? '');
		if (record && (request.params.interactionId === undefined || record.token === request.params.token)) {
			record.errors.push({ method: request.method, path: request.path, status: error.status, code: error.code });
		}
	}

	/** Records a failed REST call on the interaction it concerns, then lets the error answer the request. */
	private recordingErrors(record: InteractionRecord | undefined, request: RouteRequest, run: () => RouteResult): RouteResult {
		try {
			return run();
		} catch (error) {
			if (record && error instanceof DiscordApiError) {
				record.errors.push({ method: request.method, path: request.path, status: error.status, code: error.code });
			}
			throw error;
		}
	}

	callback(request: RouteRequest): RouteResult {
		const record = this.byId.get(request.params.interactionId ?? '');
		return this.recordingErrors(record, request, () => {
			const { options, world } = this.ctx;
			if (!record || record.token !== request.params.token || record.dispatchedAt === null) {
				throw new DiscordApiError(404, ErrorCode.UnknownInteraction);
			}
			if (record.callback !== null) throw new DiscordApiError(400, ErrorCode.InteractionAlreadyAcknowledged);
			if (request.receivedAt - record.dispatchedAt > options.interactionDeadlineMs) throw new DiscordApiError(404, ErrorCode.UnknownInteraction);

			const body = asJson(request.body);
			const type = body.type;
			const data = asJson(body.data);
			if (typeof type !== 'number' || !(allowedCallbacks[record.type] ?? []).includes(type)) {
				throw invalidFormBody({ type: { _errors: [{ code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: `Interaction response type ${String(type)} is not valid for interaction type ${record.type}` }] } });
			}
			const channel = world.requireChannel(record.channelId);
			let responseMessage: FakeMessage | null = null;

			switch (type) {
				case CallbackType.ChannelMessageWithSource: {
					const errors = new FormErrors();
					validateMessageFields(data, errors);
					errors.throwIfAny();
					assertNotEmpty(messageFieldsFrom(data), data);
					responseMessage = this.createResponseMessage(record, channel, data, 0);
					break;
				}
				case CallbackType.DeferredChannelMessageWithSource: {
					const ephemeral = typeof data.flags === 'number' ? data.flags & MessageFlag.Ephemeral : 0;
					responseMessage = this.createResponseMessage(record, channel, { flags: ephemeral }, MessageFlag.Loading);
					break;
				}
				case CallbackType.DeferredUpdateMessage:
					break;
				case CallbackType.UpdateMessage: {
					const errors = new FormErrors();
					validateMessageFields(data, errors);
					errors.throwIfAny();
					const target = this.componentMessage(record);
					world.editMessage(target, data, editFieldsFrom(data));
					responseMessage = target;
					break;
				}
				case CallbackType.AutocompleteResult:
					validateAutocompleteChoices(data);
					break;
				case CallbackType.Modal: {
					const errors = new FormErrors();
					if (typeof data.custom_id !== 'string') errors.add(['data', 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
					if (typeof data.title !== 'string') errors.add(['data', 'title'], 'BASE_TYPE_REQUIRED', 'This field is required');
					errors.throwIfAny();
					break;
				}
			}

			record.callback = { type, ...(body.data !== undefined ? { data: structuredClone(body.data) } : {}) };
			if (type === CallbackType.DeferredUpdateMessage || type === CallbackType.UpdateMessage) record.originalMessageId = record.componentMessageId;
			else if (responseMessage) record.originalMessageId = responseMessage.id;
			record.acknowledged.resolve(record.callback);
			if ((type === CallbackType.ChannelMessageWithSource || type === CallbackType.UpdateMessage) && responseMessage) {
				record.replied.resolve(cloneMessage(responseMessage));
			} else if (type === CallbackType.AutocompleteResult || type === CallbackType.Modal) {
				record.replied.reject(new Error(`fake-discord: ${record.description} was answered with callback type ${type}, which makes no message`));
			}

			if (request.query.get('with_response') !== 'true') return { status: 204 };
			return {
				status: 200,
				body: {
					interaction: {
						id: record.id,
						type: record.type,
						...(responseMessage ? {
							response_message_id: responseMessage.id,
							response_message_loading: (responseMessage.flags & MessageFlag.Loading) !== 0,
							response_message_ephemeral: responseMessage.ephemeral,
						} : {}),
					},
					resource: { type, ...(responseMessage ? { message: world.renderMessage(responseMessage) } : {}) },
				},
			};
		});
	}

	private createResponseMessage(record: InteractionRecord, channel: ChannelRecord, data: Json, extraFlags: number): FakeMessage {
		const fields = messageFieldsFrom(data);
		return this.ctx.world.createMessage(channel, {
			...fields,
			flags: (fields.flags & responseFlags) | extraFlags,
			message_reference: null,
			type: record.type === InteractionType.ApplicationCommand ? 20 : 0,
			webhook_id: this.ctx.options.applicationId,
			interaction_id: record.id,
		});
	}

	private componentMessage(record: InteractionRecord): FakeMessage {
		const message = record.componentMessageId === null ? undefined : this.ctx.world.messages.get(record.componentMessageId);
		if (!message || message.deleted) throw new DiscordApiError(404, ErrorCode.UnknownMessage);
		return message;
	}

	// ---- REST: webhook routes --------------------------------------------------------------------------

	private recordForWebhook(request: RouteRequest): InteractionRecord {
		const { options } = this.ctx;
		if (request.params.applicationId !== options.applicationId) throw new DiscordApiError(404, ErrorCode.UnknownWebhook);
		const record = this.byToken.get(request.params.token ?? '');
		if (!record) throw new DiscordApiError(404, ErrorCode.UnknownWebhook);
		if (Date.now() - record.createdAt > options.interactionTokenLifetimeMs) throw new DiscordApiError(401, ErrorCode.InvalidWebhookToken);
		return record;
	}

	private interactionMessage(record: InteractionRecord, messageId: string): FakeMessage {
		const id = messageId === '@original' ? record.originalMessageId : messageId;
		const belongs = id !== null && (id === record.originalMessageId || record.followUpIds.includes(id));
		const message = belongs ? this.ctx.world.messages.get(id) : undefined;
		if (!message || message.deleted) throw new DiscordApiError(404, ErrorCode.UnknownMessage);
		return message;
	}

	getWebhookMessage(request: RouteRequest): RouteResult {
		const record = this.byToken.get(request.params.token ?? '');
		return this.recordingErrors(record, request, () => {
			const found = this.recordForWebhook(request);
			return { status: 200, body: this.ctx.world.renderMessage(this.interactionMessage(found, request.params.messageId ?? '')) };
		});
	}

	editWebhookMessage(request: RouteRequest): RouteResult {
		const record = this.byToken.get(request.params.token ?? '');
		return this.recordingErrors(record, request, () => {
			const found = this.recordForWebhook(request);
			const message = this.interactionMessage(found, request.params.messageId ?? '');
			const body = asJson(request.body);
			const errors = new FormErrors();
			validateMessageFields(body, errors);
			errors.throwIfAny();
			const { world } = this.ctx;
			const edited = applyMessageEdit(world, message, body);
			if (message.id === found.originalMessageId) this.resolveDeferredReply(found, edited);
			return { status: 200, body: world.renderMessage(edited) };
		});
	}

	deleteWebhookMessage(request: RouteRequest): RouteResult {
		const record = this.byToken.get(request.params.token ?? '');
		return this.recordingErrors(record, request, () => {
			const found = this.recordForWebhook(request);
			this.ctx.world.deleteMessage(this.interactionMessage(found, request.params.messageId ?? ''));
			return { status: 204 };
		});
	}

	followUp(request: RouteRequest): RouteResult {
		const record = this.byToken.get(request.params.token ?? '');
		return this.recordingErrors(record, request, () => {
			const found = this.recordForWebhook(request);
			if (found.callback === null || found.type === InteractionType.Autocomplete) throw new DiscordApiError(404, ErrorCode.UnknownWebhook);
			const body = asJson(request.body);
			const errors = new FormErrors();
			validateMessageFields(body, errors);
			errors.throwIfAny();
			const { world } = this.ctx;
			const wait = request.query.get('wait') === 'true';

			// Discord: a follow-up while the deferred "thinking…" message is still loading resolves that
			// message (keeping the deferral's ephemerality) instead of posting a new one.
			const original = found.originalMessageId === null ? undefined : world.messages.get(found.originalMessageId);
			if (found.callback.type === CallbackType.DeferredChannelMessageWithSource && original && !original.deleted && (original.flags & MessageFlag.Loading) !== 0) {
				const edited = applyMessageEdit(world, original, { content: '', embeds: [], components: [], ...body });
				this.resolveDeferredReply(found, edited);
				return wait ? { status: 200, body: world.renderMessage(edited) } : { status: 204 };
			}

			const channel = world.requireChannel(found.channelId);
			assertNotEmpty(messageFieldsFrom(body), body);
			const message = this.createResponseMessage(found, channel, body, 0);
			found.followUpIds.push(message.id);
			this.resolveDeferredReply(found, message);
			return wait ? { status: 200, body: world.renderMessage(message) } : { status: 204 };
		});
	}

	/** For deferred callbacks (5, 6) the first edit of @original or first follow-up is the visible answer. */
	private resolveDeferredReply(record: InteractionRecord, message: FakeMessage): void {
		if (record.replied.settled) return;
		const type = record.callback?.type;
		if (type === CallbackType.DeferredChannelMessageWithSource || type === CallbackType.DeferredUpdateMessage) {
			record.replied.resolve(cloneMessage(message));
		}
	}

	clearTimers(): void {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}
}

function asJson(value: unknown): Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function inferOptionType(value: OptionValue): number {
	if (typeof value === 'boolean') return OptionType.Boolean;
	if (typeof value === 'number') return Number.isInteger(value) ? OptionType.Integer : OptionType.Number;
	return OptionType.String;
}

/** What Discord's client enforces before a reader can send the command at all. */
function checkOptionValue(command: string, name: string, type: number, value: OptionValue, definition: CommandOptionDefinition | undefined): void {
	const fail = (why: string): never => {
		throw new Error(`fake-discord: /${command} option ${name}: ${why}`);
	};
	const expected: Record<number, string> = { 3: 'string', 4: 'number', 5: 'boolean', 6: 'string', 7: 'string', 8: 'string', 9: 'string', 10: 'number' };
	if (expected[type] !== undefined && typeof value !== expected[type]) fail(`expected a ${expected[type]} for option type ${type}, got ${JSON.stringify(value)}`);
	if (type === OptionType.Integer && !Number.isInteger(value)) fail(`expected an integer, got ${String(value)}`);
	if (!definition) return;
	if (definition.choices && definition.choices.length > 0 && !definition.choices.some((choice) => choice.value === value)) {
		fail(`${JSON.stringify(value)} is not one of the choices ${JSON.stringify(definition.choices.map((choice) => choice.value))}`);
	}
	if (typeof value === 'number') {
		if (definition.min_value !== undefined && value < definition.min_value) fail(`${value} is below min_value ${definition.min_value}`);
		if (definition.max_value !== undefined && value > definition.max_value) fail(`${value} is above max_value ${definition.max_value}`);
	}
	if (typeof value === 'string' && type === OptionType.String) {
		if (definition.min_length !== undefined && value.length < definition.min_length) fail(`shorter than min_length ${definition.min_length}`);
		if (definition.max_length !== undefined && value.length > definition.max_length) fail(`longer than max_length ${definition.max_length}`);
	}
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, describe: () => string): Promise<T> {
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(describe())), timeoutMs);
		promise.then(
			(value) => {
				clearTimeout(timer);
				resolve(value);
			},
			(error: unknown) => {
				clearTimeout(timer);
				reject(error instanceof Error ? error : new Error(String(error)));
			},
		);
	});
}

