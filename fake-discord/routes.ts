// Discord's REST v10 routes that a discord.js bot uses, with Discord's permission checks, error
// codes and JSON shapes. Paths are matched on decoded segments; ':name' segments are parameters.
import type { FakeContext, RouteRequest, RouteResult } from './context.js';
import { DiscordApiError, ErrorCode, FormErrors, invalidFormBody } from './errors.js';
import { Permission } from './permissions.js';
import { assertNotEmpty, MessageFlag, validateCommands, validateMessageFields } from './validation.js';
import { applyMessageEdit, isMessageable, messageFieldsFrom, parseEmoji, type ChannelRecord, type CommandRecord, type ParsedEmoji } from './world.js';

type Json = Record<string, unknown>;

export interface Route {
	method: string;
	pattern: string;
	segments: string[];
	/** Needs `Authorization: Bot <token>`; interaction callbacks and webhook routes do not. */
	auth: boolean;
	handler: (request: RouteRequest) => RouteResult;
}

function asJson(value: unknown): Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function ok(body: unknown): RouteResult {
	return { status: 200, body };
}

const noContent: RouteResult = { status: 204 };

/** Discord compares snowflakes numerically; string order breaks when lengths differ. */
function compareSnowflakes(left: string, right: string): number {
	const difference = BigInt(left) - BigInt(right);
	return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** A command, option or choice without its `name_localizations` / `description_localizations`, all the way down. */
function withoutLocalizations(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutLocalizations);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value as Record<string, unknown>)
			.filter(([key]) => key !== 'name_localizations' && key !== 'description_localizations')
			.map(([key, inner]) => [key, key === 'options' || key === 'choices' ? withoutLocalizations(inner) : inner]),
	);
}

function clampedLimit(query: URLSearchParams, fallback: number, max: number): number {
	const raw = query.get('limit');
	if (raw === null) return fallback;
	const limit = Number(raw);
	if (!Number.isInteger(limit) || limit < 1 || limit > max) {
		throw invalidFormBody({ limit: { _errors: [{ code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${max}.` }] } });
	}
	return limit;
}

export function buildRoutes(context: () => FakeContext): Route[] {
	const ctx = (): FakeContext => context();
	const routes: Route[] = [];
	const add = (method: string, pattern: string, handler: Route['handler'], auth = true): void => {
		routes.push({ method, pattern, segments: pattern.split('/').slice(1), auth, handler });
	};

	// ---- shared checks ---------------------------------------------------------------------------------

	const requireBotAccess = (channel: ChannelRecord, needed: bigint): void => {
		if (channel.guildId === null) return;
		const permissions = ctx().world.botPermissionsIn(channel);
		// Send Messages has no effect in a thread: Send Messages in Threads is what counts there.
		const wanted = channel.thread !== null && (needed & Permission.SendMessages) !== 0n ? (needed & ~Permission.SendMessages) | Permission.SendMessagesInThreads : needed;
		if ((permissions & Permission.ViewChannel) === 0n) throw new DiscordApiError(403, ErrorCode.MissingAccess);
		if ((permissions & wanted) !== wanted) throw new DiscordApiError(403, ErrorCode.MissingPermissions);
	};

	/** Archived threads are read-only: no edits, no reactions (posting a message is handled where it happens). */
	const requireActiveThread = (channel: ChannelRecord): void => {
		if (channel.thread?.archived) throw new DiscordApiError(400, ErrorCode.ThreadArchived);
	};

	const requireEmoji = (text: string | undefined): ParsedEmoji => {
		const emoji = parseEmoji(text ?? '');
		if (!emoji) throw new DiscordApiError(400, ErrorCode.UnknownEmoji);
		return emoji;
	};

	const requireOwnApplication = (applicationId: string | undefined): void => {
		if (applicationId !== ctx().options.applicationId) throw new DiscordApiError(403, ErrorCode.NotApplicationOwner);
	};

	const messageTarget = (request: RouteRequest): { channel: ChannelRecord; message: ReturnType<FakeContext['world']['requireMessage']> } => {
		const { world } = ctx();
		const channel = world.requireChannel(request.params.channelId ?? '');
		requireBotAccess(channel, 0n);
		return { channel, message: world.requireMessage(channel, request.params.messageId ?? '') };
	};

	// ---- gateway, users, applications ----------------------------------------------------------------

	add('GET', '/gateway', () => ok({ url: ctx().gateway.url }), false);
	add('GET', '/gateway/bot', () => {
		const { gateway, options, world } = ctx();
		return ok({
			url: gateway.url,
			shards: options.recommendedShards ?? Math.max(1, Math.ceil(world.guilds.size / 1000)),
			session_start_limit: { total: 1000, remaining: Math.max(0, 1000 - gateway.identifyCount), reset_after: 14_400_000, max_concurrency: options.maxConcurrency },
		});
	});
	add('GET', '/users/@me', () => {
		const { world } = ctx();
		return ok({ ...world.renderUser(world.botUser), verified: true, mfa_enabled: false, locale: 'en-US', email: null });
	});
	add('POST', '/users/@me/channels', (request) => {
		const { world } = ctx();
		const recipientId = String(asJson(request.body).recipient_id ?? '');
		const user = world.users.get(recipientId);
		if (!user) throw invalidFormBody({ recipient_id: { _errors: [{ code: 'USER_NOT_FOUND', message: 'Unknown user' }] } });
		return ok(world.renderChannel(world.dmChannelFor(user)));
	});
	add('GET', '/users/:userId', (request) => {
		const { world } = ctx();
		const user = world.users.get(request.params.userId ?? '');
		if (!user) throw new DiscordApiError(404, ErrorCode.UnknownUser);
		return ok(world.renderUser(user));
	});
	const application = (): RouteResult => {
		const { world, options } = ctx();
		return ok({
			id: options.applicationId,
			name: world.botUser.username,
			icon: null,
			description: '',
			summary: '',
			type: null,
			bot_public: true,
			bot_require_code_grant: false,
			verify_key: 'fake-verify-key',
			flags: 0,
			flags_new: '0',
			owner: world.renderUser(world.owner),
			team: null,
			bot: world.renderUser(world.botUser),
			approximate_guild_count: world.guilds.size,
			approximate_user_install_count: 0,
			approximate_user_authorization_count: 0,
			explicit_content_filter: 0,
			role_connections_verification_url: null,
			eligible_oauth2_scopes: ['bot', 'applications.commands'],
			redirect_uris: [],
			interactions_endpoint_url: null,
			tags: [],
			integration_types_config: { '0': {} },
		});
	};
	add('GET', '/applications/@me', application);
	add('GET', '/oauth2/applications/@me', application);

	// ---- application commands -------------------------------------------------------------------------

	const commandScope = (request: RouteRequest): string | null => {
		requireOwnApplication(request.params.applicationId);
		const guildId = request.params.guildId;
		if (guildId === undefined) return null;
		if (!ctx().world.guilds.has(guildId)) throw new DiscordApiError(403, ErrorCode.MissingAccess);
		return guildId;
	};
	const findCommandById = (scope: string | null, commandId: string | undefined): CommandRecord => {
		const command = ctx().world.commandsFor(scope).find((candidate) => candidate.id === commandId);
		if (!command) throw new DiscordApiError(404, ErrorCode.UnknownApplicationCommand);
		return command;
	};
	for (const base of ['/applications/:applicationId/commands', '/applications/:applicationId/guilds/:guildId/commands']) {
		// The localization maps only with ?with_localizations=true, as Discord lists them
		// (https://discord.com/developers/docs/interactions/application-commands#get-global-application-commands).
		add('GET', base, (request) => {
			const commands = ctx().world.commandsFor(commandScope(request));
			return ok(request.query.get('with_localizations') === 'true' ? commands : commands.map((command) => withoutLocalizations(command) as CommandRecord));
		});
		add('PUT', base, (request) => {
			const scope = commandScope(request);
			const { world } = ctx();
			if (!Array.isArray(request.body)) throw invalidFormBody({ _errors: [{ code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }] });
			const errors = new FormErrors();
			validateCommands(request.body, errors, true);
			errors.throwIfAny();
			const previous = world.commandsFor(scope);
			const commands = (request.body as Json[]).map((definition) => {
				const type = typeof definition.type === 'number' ? definition.type : 1;
				return world.buildCommand(definition, scope, previous.find((command) => command.name === definition.name && command.type === type));
			});
			world.setCommands(scope, commands);
			return ok(commands);
		});
		add('POST', base, (request) => {
			const scope = commandScope(request);
			const { world } = ctx();
			const definition = asJson(request.body);
			const errors = new FormErrors();
			validateCommands([definition], errors, false);
			errors.throwIfAny();
			const type = typeof definition.type === 'number' ? definition.type : 1;
			const previous = world.commandsFor(scope);
			const existing = previous.find((command) => command.name === definition.name && command.type === type);
			const command = world.buildCommand(definition, scope, existing);
			world.setCommands(scope, existing ? previous.map((candidate) => (candidate === existing ? command : candidate)) : [...previous, command]);
			return { status: existing ? 200 : 201, body: command };
		});
		add('GET', `${base}/:commandId`, (request) => ok(findCommandById(commandScope(request), request.params.commandId)));
		add('PATCH', `${base}/:commandId`, (request) => {
			const scope = commandScope(request);
			const { world } = ctx();
			const existing = findCommandById(scope, request.params.commandId);
			const definition = { ...existing, ...asJson(request.body) };
			const errors = new FormErrors();
			validateCommands([definition], errors, false);
			errors.throwIfAny();
			const command = world.buildCommand(definition, scope, existing);
			world.setCommands(scope, world.commandsFor(scope).map((candidate) => (candidate === existing ? command : candidate)));
			return ok(command);
		});
		add('DELETE', `${base}/:commandId`, (request) => {
			const scope = commandScope(request);
			const { world } = ctx();
			const existing = findCommandById(scope, request.params.commandId);
			world.setCommands(scope, world.commandsFor(scope).filter((candidate) => candidate !== existing));
			return noContent;
		});
	}

	// ---- interactions and their webhooks ----------------------------------------------------------------

	add('POST', '/interactions/:interactionId/:token/callback', (request) => ctx().interactions.callback(request), false);
	add('POST', '/webhooks/:applicationId/:token', (request) => ctx().interactions.followUp(request), false);
	add('GET', '/webhooks/:applicationId/:token/messages/:messageId', (request) => ctx().interactions.getWebhookMessage(request), false);
	add('PATCH', '/webhooks/:applicationId/:token/messages/:messageId', (request) => ctx().interactions.editWebhookMessage(request), false);
	add('DELETE', '/webhooks/:applicationId/:token/messages/:messageId', (request) => ctx().interactions.deleteWebhookMessage(request), false);

	// ---- channels and messages ----------------------------------------------------------------------------

	add('GET', '/channels/:channelId', (request) => {
		const { world } = ctx();
		const channel = world.requireChannel(request.params.channelId ?? '');
		requireBotAccess(channel, 0n);
		return ok(world.renderChannel(channel));
	});
	add('POST', '/channels/:channelId/typing', (request) => {
		const channel = ctx().world.requireChannel(request.params.channelId ?? '');
		requireBotAccess(channel, Permission.SendMessages);
		return noContent;
	});
	add('GET', '/channels/:channelId/messages', (request) => {
		const { world } = ctx();
		const channel = world.requireChannel(request.params.channelId ?? '');
		requireBotAccess(channel, Permission.ReadMessageHistory);
		const limit = clampedLimit(request.query, 50, 100);
		const visible = channel.messages.filter((message) => !message.deleted && !message.ephemeral);
		const before = request.query.get('before');
		const after = request.query.get('after');
		const around = request.query.get('around');
		let selected = visible;
		if (before) selected = visible.filter((message) => compareSnowflakes(message.id, before) < 0).slice(-limit);
		else if (after) selected = visible.filter((message) => compareSnowflakes(message.id, after) > 0).slice(0, limit);
		else if (around) {
			const index = visible.findIndex((message) => compareSnowflakes(message.id, around) >= 0);
			const start = Math.max(0, (index < 0 ? visible.length : index) - Math.floor(limit / 2));
			selected = visible.slice(start, start + limit);
		} else selected = visible.slice(-limit);
		return ok([...selected].reverse().map((message) => world.renderMessage(message)));
	});
	add('POST', '/channels/:channelId/messages', (request) => {
		const { world } = ctx();
		const channel = world.requireChannel(request.params.channelId ?? '');
		requireBotAccess(channel, Permission.SendMessages);
		if (!isMessageable(channel)) throw new DiscordApiError(400, ErrorCode.CannotSendInNonTextChannel);
		const body = asJson(request.body);
		const errors = new FormErrors();
		validateMessageFields(body, errors);
		const flags = typeof body.flags === 'number' ? body.flags : 0;
		const allowedFlags = MessageFlag.SuppressEmbeds | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2;
		if ((flags & ~allowedFlags) !== 0) errors.add(['flags'], 'MESSAGE_FLAGS_INVALID', 'Invalid flags for a new message');
		const fields = messageFieldsFrom(body);
		const referencedId = fields.message_reference?.message_id;
		if (referencedId !== undefined) {
			const referenced = world.messages.get(referencedId);
			const failIfMissing = asJson(body.message_reference).fail_if_not_exists !== false;
			if ((!referenced || referenced.deleted || referenced.channel_id !== channel.id) && failIfMissing) {
				errors.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
			}
		}
		errors.throwIfAny();
		// Discord silently drops embeds without Embed Links; refusing instead makes the mistake visible.
		if (fields.embeds.length > 0) requireBotAccess(channel, Permission.EmbedLinks);
		if (referencedId !== undefined) requireBotAccess(channel, Permission.ReadMessageHistory);
		assertNotEmpty(fields, body);
		// Posting in an archived thread unarchives it (THREAD_UPDATE first). A thread a moderator locked
		// takes no posts from anyone without Manage Threads, and stays archived.
		if (channel.thread?.locked && (world.botPermissionsIn(channel) & Permission.ManageThreads) === 0n) {
			throw new DiscordApiError(400, channel.thread.archived ? ErrorCode.ThreadArchived : ErrorCode.ThreadLocked);
		}
		if (channel.thread?.archived) world.setThreadArchived(channel, false);
		const message = world.createMessage(channel, {
			...fields,
			message_reference: referencedId === undefined ? null : { message_id: referencedId, channel_id: channel.id, ...(channel.guildId !== null ? { guild_id: channel.guildId } : {}) },
			type: referencedId === undefined ? 0 : 19,
			webhook_id: null,
			interaction_id: null,
		});
		return ok(world.renderMessage(message));
	});
	add('GET', '/channels/:channelId/messages/:messageId', (request) => {
		const { world } = ctx();
		const channel = world.requireChannel(request.params.channelId ?? '');
		requireBotAccess(channel, Permission.ReadMessageHistory);
		return ok(world.renderMessage(world.requireMessage(channel, request.params.messageId ?? '')));
	});
	add('PATCH', '/channels/:channelId/messages/:messageId', (request) => {
		const { world } = ctx();
		const { channel, message } = messageTarget(request);
		if (message.author.id !== world.botUser.id) throw new DiscordApiError(403, ErrorCode.CannotEditOthersMessage);
		requireActiveThread(channel);
		const body = asJson(request.body);
		const errors = new FormErrors();
		validateMessageFields(body, errors);
		errors.throwIfAny();
		if (Array.isArray(body.embeds) && body.embeds.length > 0) requireBotAccess(channel, Permission.EmbedLinks);
		return ok(world.renderMessage(applyMessageEdit(world, message, body)));
	});
	add('DELETE', '/channels/:channelId/messages/:messageId', (request) => {
		const { world } = ctx();
		const { channel, message } = messageTarget(request);
		if (message.author.id !== world.botUser.id) requireBotAccess(channel, Permission.ManageMessages);
		world.deleteMessage(message);
		return noContent;
	});

	// A public thread under a message (https://discord.com/developers/docs/resources/channel#start-thread-from-message):
	// Create Public Threads, not inside a thread, one per message; the thread takes the message's id.
	add('POST', '/channels/:channelId/messages/:messageId/threads', (request) => {
		const { world } = ctx();
		const { channel, message } = messageTarget(request);
		requireBotAccess(channel, Permission.CreatePublicThreads);
		const guild = world.guildOf(channel);
		if (!guild || channel.thread !== null) throw new DiscordApiError(400, ErrorCode.CannotExecuteOnChannelType);
		if (world.channels.has(message.id)) throw new DiscordApiError(400, ErrorCode.ThreadAlreadyCreated);
		const body = asJson(request.body);
		const duration = typeof body.auto_archive_duration === 'number' ? body.auto_archive_duration : undefined;
		const thread = world.addThread(guild, channel, { id: message.id, name: String(body.name), owner: world.botUser, ...(duration !== undefined ? { autoArchiveDuration: duration } : {}) });
		return { status: 201, body: world.renderChannel(thread) };
	});

	// ---- reactions ---------------------------------------------------------------------------------------

	const reactionBase = '/channels/:channelId/messages/:messageId/reactions';
	add('PUT', `${reactionBase}/:emoji/@me`, (request) => {
		const { world } = ctx();
		const { channel, message } = messageTarget(request);
		const emoji = requireEmoji(request.params.emoji);
		if (emoji.id === null && ctx().options.unknownEmoji.has(emoji.name ?? '')) throw new DiscordApiError(400, ErrorCode.UnknownEmoji);
		const key = emoji.id ?? emoji.name;
		const existing = message.reactions.find((reaction) => (reaction.emoji.id ?? reaction.emoji.name) === key);
		// Joining an existing reaction needs only Read Message History; starting a new one needs Add Reactions too.
		requireBotAccess(channel, Permission.ReadMessageHistory | (existing ? 0n : Permission.AddReactions));
		requireActiveThread(channel);
		if (!existing && message.reactions.length >= 20) throw new DiscordApiError(400, ErrorCode.MaximumReactions);
		void world.addReaction(message, world.botUser.id, emoji, { byBot: true });
		return noContent;
	});
	add('DELETE', `${reactionBase}/:emoji/@me`, (request) => {
		const { world } = ctx();
		const { message } = messageTarget(request);
		void world.removeReaction(message, world.botUser.id, requireEmoji(request.params.emoji), { byBot: true });
		return noContent;
	});
	add('DELETE', `${reactionBase}/:emoji/:userId`, (request) => {
		const { world } = ctx();
		const { channel, message } = messageTarget(request);
		const userId = request.params.userId ?? '';
		if (userId !== world.botUser.id) requireBotAccess(channel, Permission.ManageMessages);
		void world.removeReaction(message, userId, requireEmoji(request.params.emoji), { byBot: true });
		return noContent;
	});
	add('GET', `${reactionBase}/:emoji`, (request) => {
		const { world } = ctx();
		const { channel, message } = messageTarget(request);
		requireBotAccess(channel, Permission.ReadMessageHistory);
		const emoji = requireEmoji(request.params.emoji);
		const key = emoji.id ?? emoji.name;
		const limit = clampedLimit(request.query, 25, 100);
		const after = request.query.get('after');
		// Discord lists normal (type=0, the default) and super (type=1) reactions apart.
		const reaction = message.reactions.find((candidate) => (candidate.emoji.id ?? candidate.emoji.name) === key);
		const type = request.query.get('type') ?? '0';
		if (type !== '0' && type !== '1') throw invalidFormBody({ type: { _errors: [{ code: 'BASE_TYPE_CHOICES', message: 'Value must be one of {0, 1}.' }] } });
		const userIds = [...((type === '1' ? reaction?.burstUsers : reaction?.users) ?? [])].sort(compareSnowflakes).filter((id) => after === null || compareSnowflakes(id, after) > 0).slice(0, limit);
		return ok(userIds.flatMap((id) => {
			const user = world.users.get(id);
			return user ? [world.renderUser(user)] : [];
		}));
	});
	add('DELETE', `${reactionBase}/:emoji`, (request) => {
		const { world } = ctx();
		const { channel, message } = messageTarget(request);
		requireBotAccess(channel, Permission.ManageMessages);
		void world.removeEmojiReactions(message, requireEmoji(request.params.emoji), true);
		return noContent;
	});
	add('DELETE', reactionBase, (request) => {
		const { world } = ctx();
		const { channel, message } = messageTarget(request);
		requireBotAccess(channel, Permission.ManageMessages);
		void world.removeAllReactions(message, true);
		return noContent;
	});

	// ---- guilds -------------------------------------------------------------------------------------------

	add('GET', '/guilds/:guildId', (request) => {
		const { world } = ctx();
		const guild = world.requireGuild(request.params.guildId ?? '');
		const counts = request.query.get('with_counts') === 'true' ? { approximate_member_count: guild.members.size + 1, approximate_presence_count: 1 } : {};
		return ok({ ...world.renderGuild(guild, { forGateway: false }), ...counts });
	});
	add('GET', '/guilds/:guildId/channels', (request) => {
		const { world } = ctx();
		const guild = world.requireGuild(request.params.guildId ?? '');
		return ok(guild.channels.map((channel) => world.renderChannel(channel)));
	});
	add('GET', '/guilds/:guildId/roles', (request) => {
		const { world } = ctx();
		const guild = world.requireGuild(request.params.guildId ?? '');
		return ok([...guild.roles.values()].map((role) => world.renderRole(role)));
	});
	add('GET', '/guilds/:guildId/members/:userId', (request) => {
		const { world } = ctx();
		const guild = world.requireGuild(request.params.guildId ?? '');
		const member = guild.members.get(request.params.userId ?? '');
		if (!member) throw new DiscordApiError(404, ErrorCode.UnknownMember);
		return ok(world.renderMember(member));
	});

	// Discord: Manage Roles, and only roles below the bot's highest role, never a managed one
	// (https://discord.com/developers/docs/topics/permissions#permission-hierarchy). No GUILD_MEMBER_UPDATE:
	// that needs the privileged GuildMembers intent.
	const memberRole = (request: RouteRequest) => {
		const { world } = ctx();
		const guild = world.requireGuild(request.params.guildId ?? '');
		const member = guild.members.get(request.params.userId ?? '');
		if (!member) throw new DiscordApiError(404, ErrorCode.UnknownMember);
		const role = guild.roles.get(request.params.roleId ?? '');
		if (!role) throw new DiscordApiError(404, ErrorCode.UnknownRole);
		const bot = guild.roles.get(guild.botRoleId);
		const botPermissions = world.memberPermissions(guild, { userId: world.botUser.id, roleIds: [guild.botRoleId], joinedAt: '' });
		if ((botPermissions & Permission.ManageRoles) === 0n || !bot || role.position >= bot.position || role.managed) throw new DiscordApiError(403, ErrorCode.MissingPermissions);
		return { member, role };
	};
	add('PUT', '/guilds/:guildId/members/:userId/roles/:roleId', (request) => {
		const { member, role } = memberRole(request);
		if (!member.roleIds.includes(role.id)) member.roleIds.push(role.id);
		(member.grantedRoleIds ??= new Set()).add(role.id);
		return noContent;
	});
	add('DELETE', '/guilds/:guildId/members/:userId/roles/:roleId', (request) => {
		const { member, role } = memberRole(request);
		member.roleIds = member.roleIds.filter((id) => id !== role.id);
		member.grantedRoleIds?.delete(role.id);
		return noContent;
	});

	return routes;
}

export type RouteMatch = { route: Route; params: Record<string, string> } | 'method-not-allowed' | null;

export function matchRoute(routes: Route[], method: string, segments: string[]): RouteMatch {
	let pathMatched = false;
	for (const route of routes) {
		if (route.segments.length !== segments.length) continue;
		const params: Record<string, string> = {};
		let matches = true;
		for (const [index, expected] of route.segments.entries()) {
			const actual = segments[index] ?? '';
			if (expected.startsWith(':')) {
				if (actual.length === 0) {
					matches = false;
					break;
				}
				params[expected.slice(1)] = actual;
			} else if (expected !== actual) {
				matches = false;
				break;
			}
		}
		if (!matches) continue;
		if (route.method === method) return { route, params };
		pathMatched = true;
	}
	return pathMatched ? 'method-not-allowed' : null;
}
