import { ActionRowBuilder, ButtonBuilder } from '@discordjs/builders';
import {
	ButtonStyle,
	ChannelType,
	PermissionFlagsBits,
	SnowflakeUtil,
	channelMention,
	hyperlink,
	messageLink,
	time,
	userMention,
	type Guild,
	type GuildTextBasedChannel,
	type Message,
	type PermissionsBitField,
} from 'discord.js';
import type { BotContext } from '../context.js';
import { UserError } from '../errors.js';
import {
	describePosition,
	isOver,
	newestMessageId,
	nextStep,
	startReading,
	withEndPosted,
	withScenePosted,
} from '../progress.js';
import { inlineLabel, linkToPartStart, nextButtonLabel, renderEndCard, renderTitleCard, type MessagePayload } from '../render/index.js';
import { StoreUnavailableError, type ProgressRecord } from '../store.js';
import type { Story } from '../story/types.js';
import type { Responder } from './responder.js';

/** What the bot needs in a reading's channel, with the names Discord's settings use. */
export const READING_PERMISSIONS = [
	[PermissionFlagsBits.ViewChannel, 'View Channel'],
	[PermissionFlagsBits.SendMessages, 'Send Messages'],
	[PermissionFlagsBits.EmbedLinks, 'Embed Links'],
	[PermissionFlagsBits.AddReactions, 'Add Reactions'],
	[PermissionFlagsBits.ReadMessageHistory, 'Read Message History'],
] as const;

export const READABLE_CHANNEL_TYPES: ReadonlySet<ChannelType> = new Set([
	ChannelType.GuildText,
	ChannelType.GuildAnnouncement,
	ChannelType.PublicThread,
	ChannelType.PrivateThread,
	ChannelType.AnnouncementThread,
	ChannelType.GuildVoice,
]);

const NEXT_PREFIX = 'next';

/** The Next button under a scene remembers which position it was posted at, so an old one cannot skip ahead. */
export function nextButtonRow(story: Story, position: number): ActionRowBuilder<ButtonBuilder> {
	const label = nextButtonLabel(story, position);
	return new ActionRowBuilder<ButtonBuilder>().addComponents(
		new ButtonBuilder().setCustomId(`${NEXT_PREFIX}:${story.id}:${position}`).setLabel(label).setStyle(ButtonStyle.Primary),
	);
}

export function parseNextButton(customId: string): { storyId: string; position: number } | undefined {
	const [prefix, storyId, position] = customId.split(':');
	if (prefix !== NEXT_PREFIX || !storyId || !position || !/^\d+$/.test(position)) return undefined;
	return { storyId, position: Number(position) };
}

export function missingPermissionNames(permissions: Readonly<PermissionsBitField>, inThread = false): string[] {
	return READING_PERMISSIONS.map(([flag, name]) =>
		inThread && flag === PermissionFlagsBits.SendMessages ? ([PermissionFlagsBits.SendMessagesInThreads, 'Send Messages in Threads'] as const) : ([flag, name] as const),
	)
		.filter(([flag]) => !permissions.has(flag, false))
		.map(([, name]) => name);
}

function assertPermissions(permissions: Readonly<PermissionsBitField> | null, channel: GuildTextBasedChannel): void {
	const channelId = channel.id;
	// Discord lets only those who may manage threads post in a locked one.
	if (channel.isThread() && channel.locked && !permissions?.has(PermissionFlagsBits.ManageThreads)) {
		throw new UserError(
			`The reading's thread ${channelMention(channelId)} is locked, so I can't post in it. ` +
				'A moderator can unlock it, or someone with Manage Server can start over elsewhere with `/read restart:True`.',
		);
	}
	const missing = permissions ? missingPermissionNames(permissions, channel.isThread()) : READING_PERMISSIONS.map(([, name]) => name);
	if (missing.length === 0) return;
	throw new UserError(
		`I can't post the reading in ${channelMention(channelId)}: I'm missing ${listInWords(missing)} there. ` +
			'Ask a server admin to grant them to my role (Server Settings › Roles) or in the channel\'s permissions.',
	);
}

export function listInWords(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Where a reading currently stands, in one or two lines with a link to the newest message. */
export function describeReading(guildId: string, record: ProgressRecord, story: Story): string {
	const link = messageLink(record.channelId, newestMessageId(record), guildId);
	const advanced = new Date(record.advancedAt);
	return (
		`**${inlineLabel(story.meta.title, 200)}** is at ${describePosition(record, story.scenes.length)} in ${channelMention(record.channelId)}` +
		` (${hyperlink('jump to it', link)}); last moved on by ${userMention(record.advancedBy)} ${time(advanced, 'R')}.`
	);
}

/**
 * Posts through the interaction when it was used in the reading's channel (one REST call), and
 * straight into the reading's channel otherwise.
 */
interface Poster {
	post(payload: MessagePayload & { components?: ActionRowBuilder<ButtonBuilder>[] }): Promise<Message>;
	/** True when the reader who used the command is not looking at the reading's channel. */
	elsewhere: boolean;
}

function posterFor(responder: Responder, channel: GuildTextBasedChannel): Poster {
	// New messages only: a /next is told the reading moved on by comparing its time with the newest
	// message's id (advance), and an edited "thinking…" placeholder would carry an older id.
	if (responder.interaction.channelId === channel.id) return { post: (payload) => responder.send(payload, { asNewMessage: true }), elsewhere: false };
	return { post: (payload) => channel.send(payload), elsewhere: true };
}

async function postScene(ctx: BotContext, poster: Poster, guildId: string, story: Story, scene: number): Promise<Message> {
	const payloads = ctx.stories.partMessages(story, scene);
	let first: Message | undefined;
	let last: Message | undefined;
	for (const [index, payload] of payloads.entries()) {
		const isLast = index === payloads.length - 1;
		const linked = first === undefined ? payload : linkToPartStart(payload, first.url);
		last = await poster.post(isLast ? { ...linked, components: [nextButtonRow(story, scene)] } : linked);
		first ??= last;
	}
	const message = last!;
	await afterPosting(ctx, `Scene ${scene}`, () => ctx.store.indexSceneMessage(message.id, { guildId, storyId: story.id, scene }));
	offerFeedbackEmoji(ctx, message, story);
	return message;
}

/** Adds the story's feedback emoji under a scene without holding up the reply to the reader. */
function offerFeedbackEmoji(ctx: BotContext, message: Message, story: Story): void {
	const task = (async () => {
		for (const emoji of story.meta.feedbackEmoji) {
			// On shutdown the emoji still queued are dropped: they are a convenience, the scene is posted.
			if (ctx.shutdown.aborted) return;
			await message.react(emoji);
		}
	})().catch((error: unknown) => {
		ctx.logger.warn({ err: error, guildId: message.guildId, channelId: message.channelId }, 'could not add feedback emoji under a scene');
	});
	ctx.background.add(task);
	void task.finally(() => ctx.background.delete(task));
}

/** The reading's channel; threads may have left the cache (archived, or swept), so fetch on a miss. */
export async function findReadingChannel(guild: Guild, channelId: string): Promise<GuildTextBasedChannel | undefined> {
	const channel = guild.channels.cache.get(channelId) ?? (await guild.client.channels.fetch(channelId).catch(() => null));
	return channel && !channel.isDMBased() && channel.isTextBased() ? channel : undefined;
}

async function readingChannel(guild: Guild, channelId: string): Promise<GuildTextBasedChannel> {
	const channel = await findReadingChannel(guild, channelId);
	if (!channel) {
		throw new UserError(
			`The reading's channel (${channelMention(channelId)}) is gone or hidden from me. ` +
				'Someone with Manage Server can start over in another channel with `/read restart:True`.',
		);
	}
	return channel;
}

function permissionsIn(responder: Responder, channel: GuildTextBasedChannel): Readonly<PermissionsBitField> | null {
	if (responder.interaction.channelId === channel.id) return responder.interaction.appPermissions;
	const me = channel.guild.members.me;
	return me ? channel.permissionsFor(me) : null;
}

/**
 * Saves the reading after something was posted. The post cannot be taken back, so a store that
 * fails now must not be reported as "nothing was changed": say what happened instead.
 */
function savePosted(ctx: BotContext, guildId: string, record: ProgressRecord, what: string): Promise<void> {
	return afterPosting(ctx, what, () => ctx.store.saveProgress(guildId, record));
}

async function afterPosting(ctx: BotContext, what: string, write: () => Promise<void>): Promise<void> {
	try {
		await write();
	} catch (error) {
		if (!(error instanceof StoreUnavailableError)) throw error;
		ctx.logger.error({ err: error, posted: what }, 'posted but could not save the reading');
		throw new UserError(
			`${what} is posted, but I couldn't save the reading's place because my storage is unreachable, ` +
				'so it may be posted again once the storage is back.',
		);
	}
}

export interface StartRequest {
	guild: Guild;
	channel: GuildTextBasedChannel;
	story: Story;
	userId: string;
}

/** Posts the title card and scene 1 in the channel the command was used in, and saves the new reading. */
export async function startNewReading(ctx: BotContext, responder: Responder, request: StartRequest): Promise<void> {
	const { guild, channel, story, userId } = request;
	assertPermissions(permissionsIn(responder, channel), channel);
	const poster = posterFor(responder, channel);
	const titleCard = await poster.post(renderTitleCard(story));
	const record = startReading({ storyId: story.id, channelId: channel.id, titleCardMessageId: titleCard.id, userId, now: new Date() });
	await savePosted(ctx, guild.id, record, 'The title card');
	const scene = await postScene(ctx, poster, guild.id, story, 1);
	await savePosted(ctx, guild.id, withScenePosted(record, 1, scene.id, userId, new Date()), 'Scene 1');
}

export interface AdvanceRequest {
	guild: Guild;
	userId: string;
	/** When the reader pressed Next or sent /next (the interaction's snowflake time). */
	pressedAt: number;
	/** The position the pressed button was posted at; absent for /next. */
	buttonPosition?: { storyId: string; position: number };
}

/** `/next` and the Next button: post the next scene, or the end card after the last one. */
export async function advance(ctx: BotContext, responder: Responder, request: AdvanceRequest): Promise<void> {
	const { guild, userId } = request;
	await ctx.readingLocks.run(guild.id, async () => {
		const record = await ctx.store.getProgress(guild.id);
		if (!record) throw new UserError('There is no reading in this server yet. Start one with `/read`.');
		const story = ctx.stories.get(record.storyId);
		if (!story) {
			throw new UserError(
				`This server's reading is of a story that is no longer available (\`${record.storyId}\`). ` +
					'Someone with Manage Server can start another with `/read restart:True`.',
			);
		}
		const newestId = newestMessageId(record);
		const newestLink = messageLink(record.channelId, newestId, guild.id);
		const button = request.buttonPosition;
		if (button && (button.storyId !== record.storyId || button.position !== record.position)) {
			await responder.sendEphemeral(
				`That Next button belongs to an earlier scene. The reading is at ${describePosition(record, ctx.stories.partCount(story))}: ${hyperlink('jump to the newest', newestLink)}.`,
			);
			return;
		}
		// Someone else's /next was served while this one waited: it must not post a second scene. Both
		// times are Discord's, and every post is a new message, so its id says when readers could see it.
		if (!button && request.pressedAt < SnowflakeUtil.timestampFrom(newestId)) {
			await responder.sendEphemeral(
				`${userMention(record.advancedBy)} just posted ${describePosition(record, ctx.stories.partCount(story))}: ${hyperlink('read it here', newestLink)}.`,
			);
			return;
		}
		if (isOver(record, ctx.stories.partCount(story))) {
			throw new UserError(
				`The reading of **${inlineLabel(story.meta.title, 200)}** is over: all ${ctx.stories.partCount(story)} scenes and the ending are posted ` +
					`(${hyperlink('see the ending', newestLink)}). Start it again with \`/read\`.`,
			);
		}
		const channel = await readingChannel(guild, record.channelId);
		assertPermissions(permissionsIn(responder, channel), channel);
		const poster = posterFor(responder, channel);
		const step = nextStep(record, ctx.stories.partCount(story));
		let posted: Message;
		if (step.kind === 'scene') {
			posted = await postScene(ctx, poster, guild.id, story, step.scene);
			await savePosted(ctx, guild.id, withScenePosted(record, step.scene, posted.id, userId, new Date()), `Scene ${step.scene}`);
		} else {
			const counts = await ctx.store.countVotes(guild.id, story.id, ctx.stories.partCount(story), story.meta.feedbackEmoji);
			posted = await poster.post(renderEndCard(story, { emojis: [...story.meta.feedbackEmoji], counts }));
			await savePosted(ctx, guild.id, withEndPosted(record, ctx.stories.partCount(story), posted.id, userId, new Date()), 'The ending');
		}
		if (poster.elsewhere) {
			const what = step.kind === 'scene' ? `scene ${step.scene} of ${ctx.stories.partCount(story)}` : 'the ending';
			await responder.sendEphemeral(`Posted ${what} in ${channelMention(channel.id)}: ${hyperlink('read it', posted.url)}.`);
		}
	});
}

export function canRestart(ctx: BotContext, member: { permissions: Readonly<PermissionsBitField>; roles: readonly string[] }): boolean {
	if (member.permissions.has(PermissionFlagsBits.ManageGuild)) return true;
	const hostRole = ctx.env.readerHostRoleId;
	return hostRole !== undefined && member.roles.includes(hostRole);
}
