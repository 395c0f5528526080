// The fake's model of Discord: users, guilds, channels, roles, members, messages, reactions and
// application commands, plus the JSON shapes Discord uses for each. Mutations that Discord would
// announce on the gateway are announced from here, so REST routes and test helpers stay in step.
import { EmbedType } from 'discord-api-types/v10';
import { Intent, type FakeContext } from './context.js';
import { DiscordApiError, ErrorCode } from './errors.js';
import { allPermissions, defaultBotPermissions, dmUserPermissions, effectivePermissions, ordinaryMemberPermissions } from './permissions.js';
import { guildSnowflake, snowflakeNow } from './snowflake.js';
import type { AddGuildSpec, AddThreadSpec, FakeChannel, FakeGuild, FakeMessage, FakeUser, ReactionEvent } from './types.js';
import { assertNotEmpty, computeMentions, MessageFlag, toAllowedMentions } from './validation.js';

type Json = Record<string, unknown>;

export interface RoleRecord {
	id: string;
	name: string;
	permissions: bigint;
	position: number;
	managed: boolean;
	botId: string | null;
}

export interface MemberRecord {
	userId: string;
	roleIds: string[];
	joinedAt: string;
	/** Roles the bot gave through REST (PUT …/roles/{role}): kept when a test's interaction sets the member's permissions again. */
	grantedRoleIds?: Set<string>;
}

export interface ChannelRecord {
	id: string;
	name: string;
	type: number;
	guildId: string | null;
	position: number;
	/** The bot's permissions in this channel when they differ from its guild role (rendered as a member overwrite). */
	botPermissionsOverride: bigint | null;
	recipientId: string | null;
	messages: FakeMessage[];
	lastMessageId: string | null;
	/** Set on threads only (types 10, 11, 12). */
	thread: ThreadRecord | null;
	/** Age-restricted ("NSFW") channel; a thread is as its parent. */
	nsfw?: boolean;
}

/**
 * What a thread has beyond a channel. A thread has no overwrites of its own: Discord computes its
 * permissions from the parent channel's, with Send Messages in Threads in place of Send Messages.
 */
export interface ThreadRecord {
	parentId: string;
	ownerId: string;
	archived: boolean;
	locked: boolean;
	autoArchiveDuration: number;
	archiveTimestamp: string;
	createTimestamp: string;
	/** Who is in the thread: its owner, and whoever posted in it (posting joins a thread on Discord). */
	memberIds: Set<string>;
}

export interface GuildRecord {
	id: string;
	name: string;
	ownerId: string;
	joinedAt: string;
	roles: Map<string, RoleRecord>;
	channels: ChannelRecord[];
	/** Threads, active and archived; GUILD_CREATE carries only the active ones. */
	threads: ChannelRecord[];
	members: Map<string, MemberRecord>;
	botRoleId: string;
	emojis: Array<{ id: string; name: string }>;
	/** Discord locale code: GUILD_CREATE's `preferred_locale`, interactions' `guild_locale`. */
	preferredLocale: string;
	/** Members get their permissions from one role per permission set, so discord.js computes the same bits the fake sends. */
	roleIdByPermissions: Map<bigint, string>;
}

export type CommandRecord = Json & { id: string; name: string; type: number; guild_id?: string };

export interface ParsedEmoji {
	id: string | null;
	name: string | null;
	animated?: boolean;
}

export const ChannelType = {
	GuildText: 0,
	DM: 1,
	GuildVoice: 2,
	GuildCategory: 4,
	GuildAnnouncement: 5,
	AnnouncementThread: 10,
	PublicThread: 11,
	PrivateThread: 12,
	GuildStageVoice: 13,
	GuildForum: 15,
	GuildMedia: 16,
} as const;

const messageableChannelTypes = new Set<number>([0, 1, 2, 5, 10, 11, 12, 13]);

/** The thread types each parent type can hold, as on Discord. */
const threadTypesByParent = new Map<number, number[]>([
	[ChannelType.GuildText, [ChannelType.PublicThread, ChannelType.PrivateThread]],
	[ChannelType.GuildAnnouncement, [ChannelType.AnnouncementThread]],
]);

export function isMessageable(channel: ChannelRecord): boolean {
	return messageableChannelTypes.has(channel.type);
}

export function cloneMessage(message: FakeMessage): FakeMessage {
	return structuredClone(message);
}

/** The colours a super reaction's animation uses ("#rrggbb"); Discord derives them from the emoji, the fake uses one set. */
const BURST_COLORS = ['#ff7b9c', '#ffd1dc'];

/** '👍' or 'name:id' / 'a:name:id' as used in reaction routes; null for things that are not emoji. */
export function parseEmoji(text: string): ParsedEmoji | null {
	const custom = /^(a:)?([\w~]{1,32}):(\d{15,21})$/.exec(text);
	if (custom) return { id: custom[3] ?? null, name: custom[2] ?? null, ...(custom[1] ? { animated: true } : {}) };
	if (/[\p{Extended_Pictographic}\p{Regional_Indicator}\u20e3]/u.test(text) && !/[A-Za-z]/.test(text)) {
		return { id: null, name: text };
	}
	return null;
}

export function emojiKey(emoji: { id: string | null; name: string | null }): string {
	return emoji.id ?? emoji.name ?? '';
}

/** Embeds as Discord stores and returns them: `type` 'rich' and every field's `inline` filled in. */
function storedEmbeds(embeds: unknown[]): FakeMessage['embeds'] {
	return (structuredClone(embeds) as Json[]).map((embed) => ({
		type: 'rich',
		...embed,
		...(Array.isArray(embed.fields) ? { fields: (embed.fields as Json[]).map((field) => ({ ...field, inline: field.inline ?? false })) } : {}),
	})) as FakeMessage['embeds'];
}

/**
 * Components as Discord stores and returns them: each one without an `id` gets the next unused
 * number, counting from 1 in document order (https://discord.com/developers/docs/components/reference#anatomy-of-a-component).
 */
function storedComponents(components: unknown[]): FakeMessage['components'] {
	const copy = structuredClone(components) as Json[];
	const all: Json[] = [];
	const walk = (component: unknown): void => {
		if (typeof component !== 'object' || component === null) return;
		const record = component as Json;
		all.push(record);
		if (Array.isArray(record.components)) record.components.forEach(walk);
		if (record.accessory !== undefined) walk(record.accessory);
		if (record.component !== undefined) walk(record.component);
	};
	copy.forEach(walk);
	const used = new Set(all.map((component) => component.id).filter((id): id is number => typeof id === 'number'));
	let next = 1;
	for (const component of all) {
		if (typeof component.id === 'number') continue;
		while (used.has(next)) next += 1;
		component.id = next;
		used.add(next);
	}
	return copy as FakeMessage['components'];
}

/** The fields of a message create body (channel message, interaction reply or follow-up). */
export function messageFieldsFrom(body: Json): {
	content: string;
	embeds: FakeMessage['embeds'];
	components: FakeMessage['components'];
	allowed_mentions: FakeMessage['allowed_mentions'];
	tts: boolean;
	flags: number;
	message_reference: FakeMessage['message_reference'];
} {
	const reference = body.message_reference;
	return {
		content: typeof body.content === 'string' ? body.content : '',
		embeds: Array.isArray(body.embeds) ? storedEmbeds(body.embeds) : [],
		components: Array.isArray(body.components) ? storedComponents(body.components) : [],
		allowed_mentions: toAllowedMentions(body.allowed_mentions),
		tts: body.tts === true,
		flags: typeof body.flags === 'number' ? body.flags : 0,
		message_reference: typeof reference === 'object' && reference !== null ? (structuredClone(reference) as FakeMessage['message_reference']) : null,
	};
}

/** The fields an edit body changes: present means replace (null clears), absent means keep. */
export function editFieldsFrom(body: Json): { embeds?: FakeMessage['embeds']; components?: FakeMessage['components']; allowed_mentions?: FakeMessage['allowed_mentions'] } {
	return {
		...('embeds' in body ? { embeds: Array.isArray(body.embeds) ? storedEmbeds(body.embeds) : [] } : {}),
		...('components' in body ? { components: Array.isArray(body.components) ? storedComponents(body.components) : [] } : {}),
		...('allowed_mentions' in body ? { allowed_mentions: toAllowedMentions(body.allowed_mentions) } : {}),
	};
}

/** Applies an edit body unless it would leave the message empty, which Discord refuses with 50006. */
export function applyMessageEdit(world: World, message: FakeMessage, body: Json): FakeMessage {
	const fields = editFieldsFrom(body);
	const content = 'content' in body ? (typeof body.content === 'string' ? body.content : '') : message.content;
	assertNotEmpty({ content, embeds: fields.embeds ?? message.embeds, components: fields.components ?? message.components }, body);
	return world.editMessage(message, body, fields);
}

export class World {
	readonly users = new Map<string, FakeUser>();
	readonly guilds = new Map<string, GuildRecord>();
	readonly channels = new Map<string, ChannelRecord>();
	readonly messages = new Map<string, FakeMessage>();
	readonly dmChannelIdByUser = new Map<string, string>();
	globalCommands: CommandRecord[] = [];
	readonly guildCommands = new Map<string, CommandRecord[]>();
	readonly botUser: FakeUser;
	/** Every guild's owner: a person, not the bot, so the bot never gets owner powers by accident. */
	readonly owner: FakeUser;
	private readerCount = 0;

	constructor(private readonly context: () => FakeContext, botUserId: string, botUsername: string) {
		this.botUser = this.addUser({ id: botUserId, username: botUsername, bot: true });
		this.owner = this.addUser({ id: snowflakeNow(), username: 'server-owner', bot: false });
	}

	private get ctx(): FakeContext {
		return this.context();
	}

	// ---- users -------------------------------------------------------------------------------

	addUser({ id, username, bot }: { id: string; username: string; bot: boolean }): FakeUser {
		const user: FakeUser = { id, username, global_name: bot ? null : username, discriminator: '0', avatar: null, bot, public_flags: 0 };
		this.users.set(id, user);
		return user;
	}

	createReader(name?: string): FakeUser {
		this.readerCount += 1;
		return this.addUser({ id: snowflakeNow(), username: name ?? `reader-${this.readerCount}`, bot: false });
	}

	resolveUser(user: FakeUser | string): FakeUser {
		if (typeof user === 'string') {
			const known = this.users.get(user);
			if (!known) throw new Error(`fake-discord: unknown user id ${user}; make readers with fake.user()`);
			return known;
		}
		// Tests may hand in a user object they built themselves; adopt it so REST lookups find it.
		if (!this.users.has(user.id)) this.users.set(user.id, { ...user });
		return this.users.get(user.id) ?? user;
	}

	// ---- guilds, channels, roles, members ----------------------------------------------------------

	addGuild(spec: AddGuildSpec): GuildRecord {
		const id = spec.id ?? guildSnowflake();
		if (this.guilds.has(id)) throw new Error(`fake-discord: guild ${id} already exists`);
		const now = new Date().toISOString();
		const botRoleId = snowflakeNow();
		const guild: GuildRecord = {
			id,
			name: spec.name ?? `Guild ${this.guilds.size + 1}`,
			ownerId: this.owner.id,
			joinedAt: now,
			roles: new Map([
				// @everyone grants nothing: members get their permissions from explicit roles, so the
				// bot's and each member's permissions are exactly what the test asked for.
				[id, { id, name: '@everyone', permissions: 0n, position: 0, managed: false, botId: null }],
				[botRoleId, { id: botRoleId, name: this.botUser.username, permissions: spec.botPermissions ?? defaultBotPermissions, position: 1, managed: true, botId: this.botUser.id }],
			]),
			channels: [],
			threads: [],
			members: new Map([[this.botUser.id, { userId: this.botUser.id, roleIds: [botRoleId], joinedAt: now }]]),
			botRoleId,
			emojis: (spec.emojis ?? []).map((name) => ({ id: snowflakeNow(), name })),
			preferredLocale: spec.preferredLocale ?? 'en-US',
			roleIdByPermissions: new Map(),
		};
		const channelSpecs = spec.channels ?? [{ name: 'general', type: ChannelType.GuildText }];
		channelSpecs.forEach((channelSpec, position) => {
			const channel: ChannelRecord = {
				id: channelSpec.id ?? snowflakeNow(),
				name: channelSpec.name ?? `channel-${position + 1}`,
				type: channelSpec.type ?? ChannelType.GuildText,
				guildId: id,
				position,
				botPermissionsOverride: null,
				recipientId: null,
				messages: [],
				lastMessageId: null,
				thread: null,
				nsfw: channelSpec.nsfw === true,
			};
			if (this.channels.has(channel.id)) throw new Error(`fake-discord: channel ${channel.id} already exists`);
			guild.channels.push(channel);
			this.channels.set(channel.id, channel);
		});
		this.guilds.set(id, guild);
		return guild;
	}

	toFakeGuild(guild: GuildRecord): FakeGuild {
		const channels: FakeChannel[] = guild.channels.map((channel) => ({ id: channel.id, name: channel.name, type: channel.type, guildId: guild.id }));
		const textChannel = guild.channels.find((channel) => channel.type === ChannelType.GuildText);
		return {
			id: guild.id,
			name: guild.name,
			channels,
			textChannelId: textChannel?.id ?? '',
			everyoneRoleId: guild.id,
			botRoleId: guild.botRoleId,
			ownerId: guild.ownerId,
		};
	}

	requireGuild(guildId: string): GuildRecord {
		const guild = this.guilds.get(guildId);
		if (!guild) throw new DiscordApiError(404, ErrorCode.UnknownGuild);
		return guild;
	}

	requireChannel(channelId: string): ChannelRecord {
		const channel = this.channels.get(channelId);
		if (!channel) throw new DiscordApiError(404, ErrorCode.UnknownChannel);
		return channel;
	}

	requireMessage(channel: ChannelRecord, messageId: string): FakeMessage {
		const message = this.messages.get(messageId);
		if (!message || message.deleted || message.channel_id !== channel.id || message.ephemeral) {
			throw new DiscordApiError(404, ErrorCode.UnknownMessage);
		}
		return message;
	}

	guildOf(channel: ChannelRecord): GuildRecord | null {
		return channel.guildId === null ? null : (this.guilds.get(channel.guildId) ?? null);
	}

	/** For test helpers: the channel, checked against the guild the test named (if it named one). */
	channelForTest(channelId: string, guildId?: string): { channel: ChannelRecord; guild: GuildRecord | null } {
		const channel = this.channels.get(channelId);
		if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
		const guild = this.guildOf(channel);
		if (guildId !== undefined && guild?.id !== guildId) {
			throw new Error(`fake-discord: channel ${channelId} is not in guild ${guildId}`);
		}
		return { channel, guild };
	}

	/**
	 * A text channel of a server the bot is not in (for user-installed commands): known to the fake so
	 * interaction answers have somewhere to go, never announced to the bot.
	 */
	foreignChannel(guildId?: string, channelId?: string): ChannelRecord {
		const existing = channelId === undefined ? undefined : this.channels.get(channelId);
		if (existing) return existing;
		if (guildId !== undefined && this.guilds.has(guildId)) throw new Error(`fake-discord: the bot is in guild ${guildId}; use runCommand there`);
		const channel: ChannelRecord = {
			id: channelId ?? snowflakeNow(),
			name: 'elsewhere',
			type: ChannelType.GuildText,
			guildId: guildId ?? guildSnowflake(),
			position: 0,
			botPermissionsOverride: null,
			recipientId: null,
			messages: [],
			lastMessageId: null,
			thread: null,
		};
		this.channels.set(channel.id, channel);
		return channel;
	}

	dmChannelFor(user: FakeUser): ChannelRecord {
		const existingId = this.dmChannelIdByUser.get(user.id);
		const existing = existingId === undefined ? undefined : this.channels.get(existingId);
		if (existing) return existing;
		const channel: ChannelRecord = {
			id: snowflakeNow(),
			name: '',
			type: ChannelType.DM,
			guildId: null,
			position: 0,
			botPermissionsOverride: null,
			recipientId: user.id,
			messages: [],
			lastMessageId: null,
			thread: null,
		};
		this.channels.set(channel.id, channel);
		this.dmChannelIdByUser.set(user.id, channel.id);
		return channel;
	}

	botGuildPermissions(guild: GuildRecord): bigint {
		return effectivePermissions(guild.roles.get(guild.botRoleId)?.permissions ?? 0n);
	}

	botPermissionsIn(channel: ChannelRecord): bigint {
		// A thread's permissions are its parent's (Send Messages in Threads is checked in its place by the routes).
		const parent = channel.thread === null ? undefined : this.channels.get(channel.thread.parentId);
		if (parent) return this.botPermissionsIn(parent);
		const guild = this.guildOf(channel);
		if (!guild) return dmUserPermissions;
		const guildLevel = this.botGuildPermissions(guild);
		if (guildLevel === allPermissions) return allPermissions;
		return channel.botPermissionsOverride ?? guildLevel;
	}

	memberPermissions(guild: GuildRecord, member: MemberRecord): bigint {
		if (member.userId === guild.ownerId) return allPermissions;
		let permissions = guild.roles.get(guild.id)?.permissions ?? 0n;
		for (const roleId of member.roleIds) permissions |= guild.roles.get(roleId)?.permissions ?? 0n;
		return effectivePermissions(permissions);
	}

	/**
	 * Makes `user` a member whose guild permissions are exactly `permissions`, creating the role that
	 * grants them if needed. Returns roles that were created, which the caller announces first so
	 * discord.js has them cached before an interaction mentions them.
	 */
	ensureMember(guild: GuildRecord, user: FakeUser, permissions: bigint | undefined, extraRoleIds: string[] = []): { member: MemberRecord; createdRoles: RoleRecord[] } {
		const createdRoles: RoleRecord[] = [];
		const wanted = permissions ?? ordinaryMemberPermissions;
		let permissionRoleId = guild.roleIdByPermissions.get(wanted);
		if (permissionRoleId === undefined) {
			permissionRoleId = snowflakeNow();
			const role: RoleRecord = {
				id: permissionRoleId,
				name: wanted === ordinaryMemberPermissions ? 'Member' : `perms-${wanted.toString(16)}`,
				permissions: wanted,
				position: guild.roles.size,
				managed: false,
				botId: null,
			};
			guild.roles.set(role.id, role);
			guild.roleIdByPermissions.set(wanted, role.id);
			createdRoles.push(role);
		}
		for (const roleId of extraRoleIds) {
			if (!guild.roles.has(roleId)) {
				const role: RoleRecord = { id: roleId, name: `role-${roleId}`, permissions: 0n, position: guild.roles.size, managed: false, botId: null };
				guild.roles.set(roleId, role);
				createdRoles.push(role);
			}
		}
		const roleIds = [permissionRoleId, ...extraRoleIds.filter((roleId) => roleId !== permissionRoleId)];
		const existing = guild.members.get(user.id);
		const member: MemberRecord = existing ?? { userId: user.id, roleIds, joinedAt: new Date().toISOString() };
		member.roleIds = [...roleIds, ...[...(member.grantedRoleIds ?? [])].filter((roleId) => !roleIds.includes(roleId))];
		guild.members.set(user.id, member);
		for (const role of createdRoles) {
			void this.ctx.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guild.id, role: this.renderRole(role) }, guild.id, Intent.Guilds);
		}
		return { member, createdRoles };
	}

	/** Readers who only react keep whatever roles they have; new ones become ordinary members. */
	ensureReaderMember(guild: GuildRecord, user: FakeUser): MemberRecord {
		const existing = guild.members.get(user.id);
		if (existing) return existing;
		return this.ensureMember(guild, user, undefined).member;
	}

	setChannelBotPermissions(channel: ChannelRecord, permissions: bigint): void {
		const guild = this.guildOf(channel);
		if (!guild) throw new Error('fake-discord: DM channels have no permissions to set');
		if (channel.thread !== null) throw new Error('fake-discord: a thread has no permissions of its own; set its parent channel\'s');
		channel.botPermissionsOverride = permissions;
		void this.ctx.gateway.dispatch('CHANNEL_UPDATE', this.renderChannel(channel), guild.id, Intent.Guilds);
	}

	/** A plain role (no permissions) at `position`, announced with GUILD_ROLE_CREATE. */
	addRole(guild: GuildRecord, name: string, position: number): RoleRecord {
		const role: RoleRecord = { id: snowflakeNow(), name, permissions: 0n, position, managed: false, botId: null };
		guild.roles.set(role.id, role);
		void this.ctx.gateway.dispatch('GUILD_ROLE_CREATE', { guild_id: guild.id, role: this.renderRole(role) }, guild.id, Intent.Guilds);
		return role;
	}

	/** Moves the bot's managed role to `position` (GUILD_ROLE_UPDATE): it may manage only roles below it. */
	setBotRolePosition(guild: GuildRecord, position: number): void {
		const role = guild.roles.get(guild.botRoleId);
		if (!role) return;
		role.position = position;
		void this.ctx.gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: guild.id, role: this.renderRole(role) }, guild.id, Intent.Guilds);
	}

	setBotGuildPermissions(guild: GuildRecord, permissions: bigint): void {
		const role = guild.roles.get(guild.botRoleId);
		if (!role) return;
		role.permissions = permissions;
		void this.ctx.gateway.dispatch('GUILD_ROLE_UPDATE', { guild_id: guild.id, role: this.renderRole(role) }, guild.id, Intent.Guilds);
	}

	// ---- threads -------------------------------------------------------------------------------------

	/**
	 * A thread in a text or announcement channel, announced with THREAD_CREATE. One made archived is
	 * an old thread the bot was never told about: no event, and not in GUILD_CREATE.
	 */
	addThread(guild: GuildRecord, parent: ChannelRecord, spec: AddThreadSpec): ChannelRecord {
		const allowed = threadTypesByParent.get(parent.type);
		if (parent.guildId !== guild.id || !allowed) {
			throw new Error(`fake-discord: threads start in a text or announcement channel of the guild; ${parent.id} is type ${parent.type}`);
		}
		const type = spec.type ?? allowed[0]!;
		if (!allowed.includes(type)) throw new Error(`fake-discord: a channel of type ${parent.type} holds threads of type ${allowed.join(' or ')}, not ${type}`);
		const owner = spec.owner === undefined ? this.owner : this.resolveUser(spec.owner);
		const now = new Date().toISOString();
		const channel: ChannelRecord = {
			id: spec.id ?? snowflakeNow(),
			name: spec.name ?? `thread-${guild.threads.length + 1}`,
			type,
			guildId: guild.id,
			position: 0,
			botPermissionsOverride: null,
			recipientId: null,
			messages: [],
			lastMessageId: null,
			thread: {
				parentId: parent.id,
				ownerId: owner.id,
				archived: spec.archived ?? false,
				locked: spec.locked ?? false,
				autoArchiveDuration: spec.autoArchiveDuration ?? 1440,
				archiveTimestamp: now,
				createTimestamp: now,
				memberIds: new Set([owner.id]),
			},
		};
		guild.threads.push(channel);
		this.channels.set(channel.id, channel);
		if (!channel.thread!.archived) {
			void this.ctx.gateway.dispatch('THREAD_CREATE', { ...this.renderChannel(channel), newly_created: true }, guild.id, Intent.Guilds);
		}
		return channel;
	}

	/** Archives or unarchives a thread (and may lock it) and announces it with THREAD_UPDATE, as Discord does. */
	setThreadArchived(channel: ChannelRecord, archived: boolean, locked?: boolean): void {
		const thread = channel.thread;
		if (thread === null) throw new Error(`fake-discord: channel ${channel.id} is not a thread`);
		if (thread.archived === archived && (locked === undefined || thread.locked === locked)) return;
		if (thread.archived !== archived) thread.archiveTimestamp = new Date().toISOString();
		thread.archived = archived;
		if (locked !== undefined) thread.locked = locked;
		void this.ctx.gateway.dispatch('THREAD_UPDATE', this.renderChannel(channel), channel.guildId, Intent.Guilds);
	}

	// ---- JSON shapes ---------------------------------------------------------------------------------

	renderUser(user: FakeUser): Json {
		return {
			id: user.id,
			username: user.username,
			global_name: user.global_name,
			discriminator: user.discriminator,
			avatar: user.avatar,
			avatar_decoration_data: null,
			banner: null,
			accent_color: null,
			public_flags: user.public_flags,
			flags: user.public_flags,
			primary_guild: null,
			collectibles: null,
			bot: user.bot,
			...(user.bot ? { system: false } : {}),
		};
	}

	renderRole(role: RoleRecord): Json {
		return {
			id: role.id,
			name: role.name,
			color: 0,
			colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
			hoist: false,
			icon: null,
			unicode_emoji: null,
			position: role.position,
			permissions: role.permissions.toString(),
			managed: role.managed,
			mentionable: false,
			flags: 0,
			...(role.botId !== null ? { tags: { bot_id: role.botId } } : {}),
		};
	}

	renderMember(member: MemberRecord, options: { includeUser?: boolean; permissions?: bigint } = {}): Json {
		const user = this.users.get(member.userId);
		return {
			...(options.includeUser !== false && user ? { user: this.renderUser(user) } : {}),
			nick: null,
			avatar: null,
			banner: null,
			roles: [...member.roleIds],
			joined_at: member.joinedAt,
			premium_since: null,
			deaf: false,
			mute: false,
			flags: 0,
			pending: false,
			communication_disabled_until: null,
			unusual_dm_activity_until: null,
			...(options.permissions !== undefined ? { permissions: options.permissions.toString() } : {}),
		};
	}

	private renderOverwrites(channel: ChannelRecord, guild: GuildRecord): Json[] {
		if (channel.botPermissionsOverride === null) return [];
		const base = this.botGuildPermissions(guild);
		if (base === allPermissions) return [];
		const wanted = channel.botPermissionsOverride;
		return [{ id: this.botUser.id, type: 1, allow: (wanted & ~base).toString(), deny: (base & ~wanted).toString() }];
	}

	renderChannel(channel: ChannelRecord, options: { includeGuildId?: boolean } = {}): Json {
		if (channel.thread !== null) return this.renderThread(channel, channel.thread);
		if (channel.type === ChannelType.DM) {
			const recipient = channel.recipientId === null ? undefined : this.users.get(channel.recipientId);
			return { id: channel.id, type: channel.type, last_message_id: channel.lastMessageId, flags: 0, recipients: recipient ? [this.renderUser(recipient)] : [] };
		}
		const guild = this.guildOf(channel);
		const common: Json = {
			id: channel.id,
			type: channel.type,
			...(options.includeGuildId !== false ? { guild_id: channel.guildId } : {}),
			name: channel.name,
			position: channel.position,
			permission_overwrites: guild ? this.renderOverwrites(channel, guild) : [],
			parent_id: null,
			flags: 0,
		};
		if (channel.type === ChannelType.GuildCategory) return common;
		if (channel.type === ChannelType.GuildVoice || channel.type === ChannelType.GuildStageVoice) {
			return { ...common, bitrate: 64000, user_limit: 0, rtc_region: null, nsfw: channel.nsfw === true, last_message_id: channel.lastMessageId, rate_limit_per_user: 0 };
		}
		return { ...common, topic: null, nsfw: channel.nsfw === true, last_message_id: channel.lastMessageId, rate_limit_per_user: 0 };
	}

	/** Threads carry guild_id everywhere (GUILD_CREATE's `threads` too), no overwrites and no position. */
	private renderThread(channel: ChannelRecord, thread: ThreadRecord): Json {
		const sent = channel.messages.filter((message) => !message.ephemeral);
		return {
			id: channel.id,
			type: channel.type,
			guild_id: channel.guildId,
			parent_id: thread.parentId,
			owner_id: thread.ownerId,
			name: channel.name,
			last_message_id: channel.lastMessageId,
			rate_limit_per_user: 0,
			flags: 0,
			message_count: sent.filter((message) => !message.deleted).length,
			total_message_sent: sent.length,
			// Discord stops counting at 50.
			member_count: Math.min(50, thread.memberIds.size),
			thread_metadata: {
				archived: thread.archived,
				auto_archive_duration: thread.autoArchiveDuration,
				archive_timestamp: thread.archiveTimestamp,
				locked: thread.locked,
				create_timestamp: thread.createTimestamp,
				...(channel.type === ChannelType.PrivateThread ? { invitable: true } : {}),
			},
		};
	}

	renderGuild(guild: GuildRecord, options: { forGateway: boolean }): Json {
		const textChannel = guild.channels.find((channel) => channel.type === ChannelType.GuildText);
		const base: Json = {
			id: guild.id,
			name: guild.name,
			icon: null,
			icon_hash: null,
			splash: null,
			discovery_splash: null,
			owner_id: guild.ownerId,
			afk_channel_id: null,
			afk_timeout: 300,
			widget_enabled: false,
			widget_channel_id: null,
			verification_level: 0,
			default_message_notifications: 1,
			explicit_content_filter: 0,
			roles: [...guild.roles.values()].map((role) => this.renderRole(role)),
			emojis: guild.emojis.map(({ id, name }) => ({ id, name, roles: [], require_colons: true, managed: false, animated: false, available: true })),
			stickers: [],
			features: [],
			mfa_level: 0,
			application_id: null,
			system_channel_id: textChannel?.id ?? null,
			system_channel_flags: 0,
			rules_channel_id: null,
			max_presences: null,
			max_members: 500000,
			vanity_url_code: null,
			description: null,
			banner: null,
			premium_tier: 0,
			premium_subscription_count: 0,
			preferred_locale: guild.preferredLocale,
			public_updates_channel_id: null,
			max_video_channel_users: 25,
			max_stage_video_channel_users: 50,
			nsfw_level: 0,
			premium_progress_bar_enabled: false,
			safety_alerts_channel_id: null,
			incidents_data: null,
			home_header: null,
			region: 'deprecated',
			nsfw: false,
		};
		if (!options.forGateway) return base;
		const botMember = guild.members.get(this.botUser.id);
		return {
			...base,
			joined_at: guild.joinedAt,
			large: false,
			unavailable: false,
			member_count: guild.members.size + 1,
			voice_states: [],
			members: botMember ? [this.renderMember(botMember)] : [],
			// Channels inside GUILD_CREATE carry no guild_id on Discord; discord.js fills it in.
			channels: guild.channels.map((channel) => this.renderChannel(channel, { includeGuildId: false })),
			// Only active threads; archived ones are not synced up front, as on Discord.
			threads: guild.threads.filter((thread) => !thread.thread?.archived).map((thread) => this.renderChannel(thread)),
			presences: [],
			stage_instances: [],
			guild_scheduled_events: [],
			soundboard_sounds: [],
			lazy: true,
			hub_type: null,
			version: Date.now(),
		};
	}

	renderMessage(message: FakeMessage, options: { includeGuildId?: boolean } = {}): Json {
		const rendered: Json = {
			id: message.id,
			channel_id: message.channel_id,
			type: message.type,
			content: message.content,
			author: this.renderUser(message.author),
			attachments: [],
			embeds: message.embeds,
			mentions: message.mentions.flatMap((userId) => {
				const user = this.users.get(userId);
				return user ? [this.renderUser(user)] : [];
			}),
			mention_roles: message.mention_roles,
			mention_everyone: message.mention_everyone,
			pinned: false,
			tts: message.tts,
			timestamp: message.timestamp,
			edited_timestamp: message.edited_timestamp,
			flags: message.flags,
			components: message.components,
		};
		if (message.reactions.length > 0) {
			rendered.reactions = message.reactions.map((reaction) => ({
				count: reaction.count,
				count_details: { burst: reaction.burstUsers.length, normal: reaction.users.length },
				me: reaction.me,
				me_burst: reaction.burstUsers.includes(this.botUser.id),
				burst_colors: reaction.burstUsers.length > 0 ? BURST_COLORS : [],
				emoji: reaction.emoji,
			}));
		}
		if (message.webhook_id !== null) {
			rendered.webhook_id = message.webhook_id;
			rendered.application_id = this.ctx.options.applicationId;
		}
		if (message.message_reference !== null) rendered.message_reference = { type: 0, ...message.message_reference };
		const interaction = message.interaction_id === null ? undefined : this.ctx.interactions.get(message.interaction_id);
		if (interaction) {
			const user = this.users.get(interaction.userId);
			const owners = interaction.guildId === null ? { '0': '0' } : { '0': interaction.guildId };
			rendered.interaction_metadata = {
				id: interaction.id,
				type: interaction.type,
				user: user ? this.renderUser(user) : null,
				authorizing_integration_owners: owners,
				...(interaction.originalMessageId !== null && interaction.originalMessageId !== message.id ? { original_response_message_id: interaction.originalMessageId } : {}),
				...(interaction.componentMessageId !== null ? { interacted_message_id: interaction.componentMessageId } : {}),
				...(interaction.commandName !== null ? { name: interaction.commandName, command_type: 1 } : {}),
			};
			if (interaction.commandName !== null) {
				rendered.interaction = { id: interaction.id, type: interaction.type, name: interaction.commandName, user: user ? this.renderUser(user) : null };
			}
		}
		if (options.includeGuildId && message.guild_id !== null) rendered.guild_id = message.guild_id;
		return rendered;
	}

	// ---- messages -----------------------------------------------------------------------------------

	createMessage(channel: ChannelRecord, fields: {
		content: string;
		embeds: FakeMessage['embeds'];
		components: FakeMessage['components'];
		flags: number;
		allowed_mentions: FakeMessage['allowed_mentions'];
		tts: boolean;
		message_reference: FakeMessage['message_reference'];
		type: number;
		webhook_id: string | null;
		interaction_id: string | null;
	}): FakeMessage {
		const id = snowflakeNow();
		const repliedUserId = this.repliedUserId(fields.message_reference);
		const message: FakeMessage = {
			id,
			channel_id: channel.id,
			guild_id: channel.guildId,
			type: fields.type,
			content: fields.content,
			embeds: fields.embeds.map((embed) => ({ type: EmbedType.Rich, ...embed })),
			components: fields.components,
			flags: fields.flags,
			author: this.botUser,
			timestamp: new Date().toISOString(),
			edited_timestamp: null,
			allowed_mentions: fields.allowed_mentions,
			...computeMentions(fields.content, fields.allowed_mentions, repliedUserId),
			reactions: [],
			ephemeral: (fields.flags & MessageFlag.Ephemeral) !== 0,
			tts: fields.tts,
			webhook_id: fields.webhook_id,
			interaction_id: fields.interaction_id,
			message_reference: fields.message_reference,
			deleted: false,
		};
		this.messages.set(id, message);
		channel.messages.push(message);
		channel.thread?.memberIds.add(message.author.id);
		if (!message.ephemeral) channel.lastMessageId = id;
		this.announceMessage(message, 'create');
		return message;
	}

	private repliedUserId(reference: FakeMessage['message_reference']): string | null {
		const referenced = reference?.message_id === undefined ? undefined : this.messages.get(reference.message_id);
		return referenced ? referenced.author.id : null;
	}

	/** Applies the message fields present in an edit body (absent fields stay, null clears). */
	editMessage(message: FakeMessage, body: Json, parsed: { embeds?: FakeMessage['embeds']; components?: FakeMessage['components']; allowed_mentions?: FakeMessage['allowed_mentions'] }): FakeMessage {
		if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
		if (parsed.embeds !== undefined) message.embeds = parsed.embeds.map((embed) => ({ type: EmbedType.Rich, ...embed }));
		if (parsed.components !== undefined) message.components = parsed.components;
		if (parsed.allowed_mentions !== undefined) message.allowed_mentions = parsed.allowed_mentions;
		if (typeof body.flags === 'number') {
			// Only the flags a sender may toggle change; ephemeral and loading belong to Discord.
			const togglable = MessageFlag.SuppressEmbeds | MessageFlag.IsComponentsV2;
			message.flags = (message.flags & ~togglable) | (body.flags & togglable);
		}
		message.flags &= ~MessageFlag.Loading;
		Object.assign(message, computeMentions(message.content, message.allowed_mentions, this.repliedUserId(message.message_reference)));
		message.edited_timestamp = new Date().toISOString();
		this.announceMessage(message, 'edit');
		return message;
	}

	deleteMessage(message: FakeMessage): void {
		message.deleted = true;
		this.announceMessage(message, 'delete');
	}

	private announceMessage(message: FakeMessage, change: 'create' | 'edit' | 'delete'): void {
		this.ctx.events.emit('message', cloneMessage(message), change);
		// Ephemeral messages exist only for their reader; the bot gets no events for them.
		if (message.ephemeral) return;
		const intent = message.guild_id === null ? Intent.DirectMessages : Intent.GuildMessages;
		if (change === 'delete') {
			const data = { id: message.id, channel_id: message.channel_id, ...(message.guild_id !== null ? { guild_id: message.guild_id } : {}) };
			void this.ctx.gateway.dispatch('MESSAGE_DELETE', data, message.guild_id, intent);
			return;
		}
		const data = this.renderMessage(message, { includeGuildId: true });
		if (message.guild_id !== null) {
			const guild = this.guilds.get(message.guild_id);
			const botMember = guild?.members.get(this.botUser.id);
			if (guild && botMember) data.member = this.renderMember(botMember, { includeUser: false });
		}
		void this.ctx.gateway.dispatch(change === 'create' ? 'MESSAGE_CREATE' : 'MESSAGE_UPDATE', data, message.guild_id, intent);
	}

	visibleMessages(channelId: string, includeEphemeral: boolean): FakeMessage[] {
		const channel = this.channels.get(channelId);
		if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
		return channel.messages.filter((message) => !message.deleted && (includeEphemeral || !message.ephemeral)).map(cloneMessage);
	}

	// ---- reactions ----------------------------------------------------------------------------------

	/**
	 * Adds a reaction and announces it. Returns null when the user already had it, unless
	 * `resendIfPresent`, which sends the event again without changing the count (how a replayed
	 * gateway event looks to the bot).
	 */
	addReaction(message: FakeMessage, userId: string, emoji: ParsedEmoji, options: { byBot: boolean; resendIfPresent?: boolean; burst?: boolean }): Promise<void> | null {
		const key = emojiKey(emoji);
		const burst = options.burst ?? false;
		let reaction = message.reactions.find((existing) => emojiKey(existing.emoji) === key);
		const alreadyThere = (burst ? reaction?.burstUsers : reaction?.users)?.includes(userId) ?? false;
		if (alreadyThere && !options.resendIfPresent) return null;
		if (!alreadyThere) {
			if (!reaction) {
				reaction = { emoji: { id: emoji.id, name: emoji.name }, count: 0, me: false, users: [], burstUsers: [] };
				message.reactions.push(reaction);
			}
			(burst ? reaction.burstUsers : reaction.users).push(userId);
			reaction.count = reaction.users.length + reaction.burstUsers.length;
			reaction.me = reaction.users.includes(this.botUser.id);
		}

		const guild = message.guild_id === null ? null : this.guilds.get(message.guild_id);
		const member = guild?.members.get(userId);
		const data: Json = {
			user_id: userId,
			channel_id: message.channel_id,
			message_id: message.id,
			...(guild ? { guild_id: guild.id } : {}),
			...(member ? { member: this.renderMember(member) } : {}),
			emoji: this.renderEmoji(emoji),
			message_author_id: message.author.id,
			burst,
			burst_colors: burst ? BURST_COLORS : [],
			type: burst ? 1 : 0,
		};
		this.announceReaction({ kind: 'add', channelId: message.channel_id, messageId: message.id, userId, emoji: { id: emoji.id, name: emoji.name }, burst, byBot: options.byBot });
		return this.ctx.gateway.dispatch('MESSAGE_REACTION_ADD', data, message.guild_id, this.reactionIntent(message));
	}

	/** Removes a reaction and announces it; like addReaction, `resendIfAbsent` sends the event even when there was nothing to remove. */
	removeReaction(message: FakeMessage, userId: string, emoji: ParsedEmoji, options: { byBot: boolean; resendIfAbsent?: boolean; burst?: boolean }): Promise<void> | null {
		const key = emojiKey(emoji);
		const burst = options.burst ?? false;
		const reaction = message.reactions.find((existing) => emojiKey(existing.emoji) === key);
		const present = (burst ? reaction?.burstUsers : reaction?.users)?.includes(userId) ?? false;
		if (!present && !options.resendIfAbsent) return null;
		if (reaction && present) {
			if (burst) reaction.burstUsers = reaction.burstUsers.filter((id) => id !== userId);
			else reaction.users = reaction.users.filter((id) => id !== userId);
			reaction.count = reaction.users.length + reaction.burstUsers.length;
			reaction.me = reaction.users.includes(this.botUser.id);
			if (reaction.count === 0) message.reactions = message.reactions.filter((existing) => existing !== reaction);
		}
		const data: Json = {
			user_id: userId,
			channel_id: message.channel_id,
			message_id: message.id,
			...(message.guild_id !== null ? { guild_id: message.guild_id } : {}),
			emoji: this.renderEmoji(emoji),
			burst,
			type: burst ? 1 : 0,
		};
		this.announceReaction({ kind: 'remove', channelId: message.channel_id, messageId: message.id, userId, emoji: { id: emoji.id, name: emoji.name }, burst, byBot: options.byBot });
		return this.ctx.gateway.dispatch('MESSAGE_REACTION_REMOVE', data, message.guild_id, this.reactionIntent(message));
	}

	removeAllReactions(message: FakeMessage, byBot: boolean): Promise<void> {
		message.reactions = [];
		const data: Json = { channel_id: message.channel_id, message_id: message.id, ...(message.guild_id !== null ? { guild_id: message.guild_id } : {}) };
		this.announceReaction({ kind: 'remove-all', channelId: message.channel_id, messageId: message.id, userId: null, emoji: null, byBot });
		return this.ctx.gateway.dispatch('MESSAGE_REACTION_REMOVE_ALL', data, message.guild_id, this.reactionIntent(message));
	}

	removeEmojiReactions(message: FakeMessage, emoji: ParsedEmoji, byBot: boolean): Promise<void> {
		const key = emojiKey(emoji);
		message.reactions = message.reactions.filter((existing) => emojiKey(existing.emoji) !== key);
		const data: Json = {
			channel_id: message.channel_id,
			...(message.guild_id !== null ? { guild_id: message.guild_id } : {}),
			message_id: message.id,
			emoji: this.renderEmoji(emoji),
		};
		this.announceReaction({ kind: 'remove-emoji', channelId: message.channel_id, messageId: message.id, userId: null, emoji: { id: emoji.id, name: emoji.name }, byBot });
		return this.ctx.gateway.dispatch('MESSAGE_REACTION_REMOVE_EMOJI', data, message.guild_id, this.reactionIntent(message));
	}

	private renderEmoji(emoji: ParsedEmoji): Json {
		return { id: emoji.id, name: emoji.name, ...(emoji.animated ? { animated: true } : {}) };
	}

	private reactionIntent(message: FakeMessage): number {
		return message.guild_id === null ? Intent.DirectMessageReactions : Intent.GuildMessageReactions;
	}

	private announceReaction(event: ReactionEvent): void {
		this.ctx.events.emit('reaction', event);
	}

	// ---- application commands -------------------------------------------------------------------------

	commandsFor(guildId: string | null): CommandRecord[] {
		if (guildId === null) return this.globalCommands;
		return this.guildCommands.get(guildId) ?? [];
	}

	setCommands(guildId: string | null, commands: CommandRecord[]): void {
		if (guildId === null) this.globalCommands = commands;
		else this.guildCommands.set(guildId, commands);
	}

	/** A command as Discord stores it, keeping the id of an existing command with the same name and type. */
	buildCommand(definition: Json, guildId: string | null, existing: CommandRecord | undefined): CommandRecord {
		const type = typeof definition.type === 'number' ? definition.type : 1;
		// Echo what was registered (null when unset), so a bot comparing its definitions with GET sees no drift.
		const contexts = Array.isArray(definition.contexts) ? definition.contexts : null;
		return {
			id: existing?.id ?? snowflakeNow(),
			application_id: this.ctx.options.applicationId,
			version: snowflakeNow(),
			default_member_permissions: definition.default_member_permissions === undefined || definition.default_member_permissions === null ? null : String(definition.default_member_permissions),
			type,
			name: String(definition.name),
			name_localizations: definition.name_localizations ?? null,
			description: type === 1 ? String(definition.description ?? '') : '',
			description_localizations: definition.description_localizations ?? null,
			...(Array.isArray(definition.options) && definition.options.length > 0 ? { options: definition.options } : {}),
			...(guildId === null ? { dm_permission: definition.dm_permission !== false } : {}),
			contexts: guildId === null ? contexts : null,
			integration_types: Array.isArray(definition.integration_types) ? definition.integration_types : [0],
			nsfw: definition.nsfw === true,
			...(guildId !== null ? { guild_id: guildId } : {}),
		};
	}

	findCommand(name: string, guildId: string | null): CommandRecord | null {
		const matches = (command: CommandRecord): boolean => command.name === name && command.type === 1;
		if (guildId !== null) {
			const guildCommand = this.commandsFor(guildId).find(matches);
			if (guildCommand) return guildCommand;
		}
		return this.globalCommands.find(matches) ?? null;
	}

	hasAnyCommands(): boolean {
		if (this.globalCommands.length > 0) return true;
		for (const commands of this.guildCommands.values()) if (commands.length > 0) return true;
		return false;
	}

	/** The members a session may ask for with REQUEST_GUILD_MEMBERS (op 8). */
	membersMatching(guild: GuildRecord, query: { userIds: string[] | null; prefix: string | null; limit: number }): { members: Json[]; notFound: string[] } {
		const found: Json[] = [];
		const notFound: string[] = [];
		if (query.userIds !== null) {
			for (const userId of query.userIds) {
				const member = guild.members.get(userId);
				if (member) found.push(this.renderMember(member));
				else notFound.push(userId);
			}
			return { members: found, notFound };
		}
		for (const member of guild.members.values()) {
			const user = this.users.get(member.userId);
			if (!user) continue;
			if (query.prefix && !user.username.toLowerCase().startsWith(query.prefix.toLowerCase())) continue;
			found.push(this.renderMember(member));
			if (query.limit > 0 && found.length >= query.limit) break;
		}
		return { members: found, notFound };
	}
}
