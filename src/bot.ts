import {
	Client,
	GatewayIntentBits,
	LimitedCollection,
	MessageFlags,
	Options,
	Partials,
	type CacheFactory,
	type CacheWithLimitsOptions,
	type ClientOptions,
	type Interaction,
} from 'discord.js';
import { StoryLibrary, type BotContext } from './context.js';
import { wordsForApiError } from './discord/api-errors.js';
import { clearGuildCopiesAtStart } from './discord/commands-at-start.js';
import { syncCommands } from './discord/command-sync.js';
import { dispatchInteraction } from './discord/dispatch.js';
import { reconcileReading } from './discord/feedback.js';
import { listenForFeedback } from './discord/reactions.js';
import type { Env } from './env.js';
import { inviteUrl } from './invite.js';
import { KeyedLock } from './keyed-lock.js';
import { dispatchMessagesIn, languageFor, scheduleMessagesIn } from './messages/index.js';
import { ReadingService } from './reading/service.js';
import { nextLabel } from './discord/reading.js';
import { pacedMakeRequest } from './discord/rest-pacing.js';
import { createScheduler, loadSchedules } from './discord/schedule.js';
import { realClock, type Clock } from './schedule/clock.js';
import { fileClock } from './schedule/file-clock.js';
import type { Logger } from './logger.js';
import { checkStore, loginWithin } from './startup-checks.js';
import { explainDiscordError } from './startup-errors.js';
import { placeKey } from './reading/place.js';
import { openStore } from './store.js';
import { loadLibrary } from './story/load.js';
import { watchStoryDir, type Reload } from './story/watch.js';
import { logRefusedAtStart, logReload, watchDefaultStory } from './reload-log.js';
import { TallySync } from './tally-sync.js';

/** What the bot keeps of each server: channels and roles (permissions), its own member, nothing per reader. */
export const CACHE_LIMITS: CacheWithLimitsOptions = {
	...Options.DefaultMakeCacheSettings,
	GuildMemberManager: { maxSize: 0, keepOverLimit: (member) => member.id === member.client.user.id },
	UserManager: { maxSize: 0, keepOverLimit: (user) => user.id === user.client.user.id },
	MessageManager: 0,
	PresenceManager: 0,
	VoiceStateManager: 0,
	GuildEmojiManager: 0,
	BaseGuildEmojiManager: 0,
	GuildStickerManager: 0,
	GuildScheduledEventManager: 0,
	GuildInviteManager: 0,
	GuildBanManager: 0,
	StageInstanceManager: 0,
	ThreadMemberManager: 0,
	ReactionUserManager: 0,
	AutoModerationRuleManager: 0,
	ApplicationCommandManager: 0,
	// Per-server managers that discord.js 14.28's typings leave out of CacheWithLimitsOptions.
	...({ GuildApplicationCommandManager: 0, GuildSoundboardSoundManager: 0 } as CacheWithLimitsOptions),
};

/**
 * Options.cacheWithLimits, except that every cache limited to 0 is one shared empty collection. A
 * cache of size 0 never stores anything, yet discord.js makes one per manager per server: about
 * fifteen per server, 30 MB of empty Maps at 10,000 servers (measured with a heap snapshot).
 */
export function makeCache(limits: CacheWithLimitsOptions): CacheFactory {
	const limited = Options.cacheWithLimits(limits);
	const keepsNothing = new LimitedCollection({ maxSize: 0 });
	const settings = limits as Record<string, unknown>;
	return ((managerType, holds, manager) => {
		// The same lookup as cacheWithLimits: the manager's own name first, then the type it caches as.
		const setting = settings[manager.name] ?? settings[managerType.name];
		return setting === 0 ? keepsNothing : limited(managerType, holds, manager);
	}) as CacheFactory;
}

/** Client options: the intents and partials the bot needs, caches from CACHE_LIMITS, explicit shards. */
export function clientOptions(env: Env): ClientOptions {
	return {
		intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
		// Reactions on scenes posted before a restart arrive for messages the client never cached.
		partials: [Partials.Message, Partials.Reaction, Partials.User, Partials.Channel],
		allowedMentions: { parse: [] },
		// Explicit, so a SHARD_COUNT or SHARDS variable meant for something else never reaches the
		// Client (it reads them itself); under the ShardingManager, the shards it assigned.
		shards: env.shardingChild?.shards ?? [0],
		shardCount: env.shardingChild?.shardCount ?? 1,
		// Requests with the bot's token go out evenly spaced under Discord's global limit, so a minute
		// when many schedules fall due gets no 429s (src/rest-pacer.ts).
		rest: { ...(env.discordApiUrl ? { api: env.discordApiUrl } : {}), makeRequest: pacedMakeRequest() },
		makeCache: makeCache(CACHE_LIMITS),
		sweepers: { ...Options.DefaultSweeperSettings, threads: { interval: 3_600, lifetime: 14_400 } },
	};
}

async function answerWhileStopping(interaction: Interaction): Promise<void> {
	if (interaction.isAutocomplete()) return interaction.respond([]);
	if (!interaction.isRepliable()) return;
	await interaction.reply({ content: dispatchMessagesIn(languageFor(interaction.locale, interaction.guildLocale)).restarting, flags: MessageFlags.Ephemeral });
}

export interface Bot {
	client: Client;
	ctx: BotContext;
	/** Stops taking interactions, finishes those in flight, closes the store and logs out. */
	stop(): Promise<void>;
}

/**
 * Loads the stories, opens the store and logs in. Throws (StoryLoadError, EnvError-like) before
 * touching Discord when set-up is wrong: no good story at all, among others. A story file with a
 * mistake is left out with a warning (logRefusedAtStart) and the others are served.
 */
export async function startBot(env: Env, logger: Logger): Promise<Bot> {
	const loadStarted = performance.now();
	const loaded = await loadLibrary(env.storyDir);
	logRefusedAtStart(logger, loaded.errors, env.watchStories, loaded.duplicates);
	const stories = new StoryLibrary(loaded.stories, { defaultId: env.defaultStory, refused: loaded.refused });
	logger.info({ event: 'storiesLoaded', stories: stories.all.length, refused: loaded.errors.length > 0 ? new Set(loaded.errors.map((error) => error.file)).size : 0, ms: Math.round(performance.now() - loadStarted), watching: env.watchStories }, 'stories loaded');
	let storeChecked = false;
	const store = await openStore(env.keyvUrl, {
		// Until the start-up check has passed, its own failure is the one line a user sees.
		onBackgroundError: (error) => {
			if (storeChecked) logger.warn({ err: error }, 'store connection problem');
		},
		onMigrated: (event) =>
			'migrated' in event
				? logger.info({ event: 'storeMigrated', readings: event.migrated }, 'moved schema-1 readings to their channels (schema 2)')
				: logger.warn({ err: event.error, key: event.skipped }, 'left an unreadable schema-1 reading where it was'),
		onReconnected: () => logger.info({ event: 'storeReconnected' }, 'store connection restored'),
		// Schema 3's migration notes what schema 2's part numbers meant, from the stories as loaded now.
		partKeys: () => new Map(stories.all.map((story) => [story.id, stories.partKeys(story)])),
	});
	try {
		await checkStore(store, logger);
		storeChecked = true;
	} catch (error) {
		await store.close().catch(() => undefined);
		throw error;
	}
	const shutdown = new AbortController();
	const defaultStory = watchDefaultStory(logger, stories, env.defaultStory);
	const onReload = (reload: Reload): void => {
		logReload(logger, reload);
		defaultStory.check(reload);
	};
	const watcher = env.watchStories ? watchStoryDir(env.storyDir, stories, { duplicates: loaded.duplicates, onReload, onError: (error) => logger.warn({ err: error, event: 'storyWatchStopped' }, `stopped watching ${env.storyDir}: stories are no longer reloaded`) }) : undefined;
	const readingLocks = new KeyedLock();
	const client = new Client(clientOptions(env));
	const readings = new ReadingService({
		store,
		stories,
		locks: readingLocks,
		nextLabel: (story, position, language) => nextLabel({ stories }, story, position, language),
		threadName: (story, part, language) => scheduleMessagesIn(language).threadName(story.meta.title, stories.describePart(story, part, language)),
		onPositionFallback: (record, fallback) =>
			logger.warn(
				{ event: 'readingPositionFallback', place: placeKey(record.place), storyId: record.storyId, key: fallback.key, part: fallback.part },
				`the part a reading was at (key "${fallback.key}") is no longer in its story: it goes on from part ${fallback.part} by number`,
			),
		onToBeContinuedFailed: (story, error) => logger.warn({ err: error, storyId: story.id }, 'could not post "to be continued" after a saved part'),
		// The end card's tally counts reactions made while the bot was down, as /feedback's does.
		beforeTally: async (record, story) => {
			if (record.place.kind !== 'channel') return;
			const channel = await client.channels.fetch(record.place.channelId).catch(() => null);
			if (channel?.isTextBased() && !channel.isDMBased()) await reconcileReading(ctx, channel, story, record);
		},
	});
	let clock: Clock = realClock;
	let stopTestClock = () => undefined as void;
	if (env.testClockFile) {
		const test = fileClock(env.testClockFile, (atMs) => logger.info({ event: 'clockSet', at: new Date(atMs).toISOString() }, 'test clock moved'));
		clock = test.clock;
		stopTestClock = test.stop;
	}
	const base = { env, logger, store, stories, readings, readingLocks, clock, background: new Set<Promise<unknown>>(), tallySync: new TallySync(), shutdown: shutdown.signal };
	const ctx: BotContext = { ...base, schedules: createScheduler(base, client, clock) };
	// A store that is down at start-up only delays the schedules: loading is tried again a minute later.
	const watchSchedules = (guildIds: string[]): Promise<void> =>
		loadSchedules(ctx, guildIds)
			.then((count) => logger.info({ event: 'schedulesLoaded', guilds: guildIds.length, schedules: count }, 'schedules loaded'))
			.catch((error: unknown) => {
				logger.error({ err: error }, 'could not load schedules; trying again in a minute');
				if (!shutdown.signal.aborted) setTimeout(() => void watchSchedules(guildIds), 60_000).unref();
			});
	const inFlight = new Set<Promise<void>>();
	let stopping = false;

	client.on('interactionCreate', (interaction) => {
		// Discord does not resend an interaction, so one that arrives while stopping gets an answer too.
		const work = stopping ? answerWhileStopping(interaction) : dispatchInteraction(interaction, ctx);
		const run = work.catch((error: unknown) => logger.error({ err: error }, 'dispatch failed'));
		inFlight.add(run);
		void run.finally(() => inFlight.delete(run));
	});
	const stopListeningForFeedback = listenForFeedback(client, ctx);
	client.on('guildCreate', (guild) => {
		logger.info({ event: 'guildCreate', guildId: guild.id }, 'added to a server');
		void watchSchedules([guild.id]);
	});
	client.on('guildDelete', (guild) => logger.info({ event: 'guildDelete', guildId: guild.id }, 'removed from a server or server unavailable'));
	client.on('error', (error) => logger.error({ err: error }, 'client error'));
	client.on('warn', (message) => logger.warn(message));
	client.on('shardDisconnect', (event, shardId) => logger.warn({ shardId, code: event.code }, 'gateway disconnected'));
	client.on('shardReconnecting', (shardId) => logger.info({ shardId }, 'gateway reconnecting'));
	client.on('shardResume', (shardId, replayed) => logger.info({ shardId, replayed }, 'gateway resumed'));
	client.once('clientReady', (ready) => {
		logger.info(
			{ event: 'ready', user: ready.user.tag, guilds: ready.guilds.cache.size, stories: stories.all.map((s) => s.id), store: store.kind },
			'ready',
		);
		void watchSchedules([...ready.guilds.cache.keys()]);
		if (ready.guilds.cache.size === 0) {
			logger.info({ event: 'invite', url: inviteUrl(ready.application.id) }, `in no server yet: add me with ${inviteUrl(ready.application.id)}`);
		}
		syncCommands(ready.rest, ready.application.id, env.devGuildId)
			.then(async (result) => {
				logger.info(result, result.changed ? 'slash commands registered' : 'slash commands up to date');
				if (result.scope === 'global') await clearGuildCopiesAtStart(ready, logger);
			})
			.catch((error: unknown) => {
				// Discord's own failure (5xx) or a refused token: one line; anything else is a bug, with its stack.
				const words = explainDiscordError(error);
				if (words) logger.error({ event: 'commandSyncFailed' }, `could not register slash commands: ${words}`);
				else logger.error({ err: error, event: 'commandSyncFailed', explanation: wordsForApiError(error) }, 'could not register slash commands');
			});
	});

	try {
		await loginWithin(client, env.discordToken, env.loginTimeoutMs, env.discordApiUrl);
	} catch (error) {
		watcher?.close();
		await store.close();
		await client.destroy();
		throw error;
	}

	return {
		client,
		ctx,
		async stop() {
			stopping = true;
			shutdown.abort();
			stopTestClock();
			watcher?.close();
			await ctx.schedules.stop();
			// Reactions from now on are left to /feedback's reconciliation rather than to a closing store.
			stopListeningForFeedback();
			await Promise.allSettled([...inFlight]);
			await Promise.allSettled([...ctx.background]);
			await store.close();
			await client.destroy();
		},
	};
}
