// Plays one whole reading of a story with the real bot (dist/src/main.js, as `npm start` runs it)
// against the fake Discord, and returns what the fake recorded: every message as readers see it at
// the end, grouped by the action that made it, with the REST calls each action cost. `npm run demo`
// prints it and `npm run preview` draws it; neither needs a token, a .env or the network.
//
// The bot is driven only through the fake's public helpers (runCommand, clickButton, react), and
// "next" is whatever button the newest message offers, so the tools keep working when the bot's
// wording or the way it splits a story changes. How many presses a reading takes comes from the
// bot's own rules (partCount, nextStep): a story still being written ends at "To be continued…",
// whose button posts nothing until the author adds the next part.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { startFakeDiscord, type FakeDiscord, type FakeMessage, type FakeUser, type InteractionHandle } from '../fake-discord/index.js';
import { nextStep, stillWritten } from '../src/reading/rules.js';
import { partCount } from '../src/render/index.js';
import { formatStoryError, parseStory } from '../src/story/parse.js';
import { describeFsError } from '../src/story/load.js';
import type { Story } from '../src/story/types.js';
import { startBot, tempDir, type BotProcess } from '../test/e2e/harness.js';

/** One thing a reader did, and what the bot posted for it. */
export interface ReadingStep {
	/** Who did what, in words: "ana used /read", "ana pressed “Next: scene 2 of 4”". */
	action: string;
	/** Ids of the messages the bot posted or edited for this step (public and ephemeral), oldest first. */
	messageIds: string[];
	/** REST calls the bot made for this step (the reply, posts, its own reactions). */
	restCalls: number;
}

export interface RecordedReading {
	story: Story;
	storyFile: string;
	guildName: string;
	channelName: string;
	/** Every message in the reading's channel at the end, oldest first, reactions included. */
	messages: FakeMessage[];
	steps: ReadingStep[];
	/** Display names by user id (the readers and the bot), to draw mentions and reactions. */
	names: Map<string, string>;
	/** Channel names by id, to draw channel mentions. */
	channels: Map<string, string>;
	/** The answer to /feedback at the end (also among `messages`). */
	feedback: FakeMessage;
	/** Reactions the readers added: message id → emoji per reader. */
	readerReactions: Array<{ messageId: string; user: string; emoji: string }>;
}

export class StoryFileError extends Error {}

/** Reads and checks a story file with the bot's own parser; throws StoryFileError with the parser's words. */
export async function readStoryFile(file: string): Promise<Story> {
	let text: string;
	try {
		text = await readFile(file, 'utf8');
	} catch (error) {
		throw new StoryFileError(`cannot read ${file}: ${describeFsError(error)}`);
	}
	const parsed = parseStory(text, file);
	if ('errors' in parsed) throw new StoryFileError(parsed.errors.map(formatStoryError).join('\n'));
	return parsed.story;
}

const READERS = ['ana', 'bo', 'chidi'];

/**
 * Plays `storyFile` from /read to the end (the end card; for a story still being written, its
 * newest part and "To be continued…"), adds a few readers' reactions, asks /feedback.
 * Needs `npm run build` first (it runs dist/src/main.js). Throws StoryFileError for a bad story file,
 * Error with the bot's stderr when the bot fails, and the fake's description when a wait times out.
 * `onStep` sees each step as it completes (the demo prints as it goes).
 */
export async function playReading(storyFile: string, onStep?: (step: ReadingStep, reading: { fake: FakeDiscord; channelId: string }) => void): Promise<RecordedReading> {
	const story = await readStoryFile(storyFile);
	const fake = await startFakeDiscord();
	const dir = await tempDir('sfb-reading-');
	let bot: BotProcess | undefined;
	try {
		// Only this story in the bot's story folder, so /read needs no `story` option.
		const storyDir = join(dir.path, 'stories');
		await mkdir(storyDir);
		await copyFile(storyFile, join(storyDir, basename(storyFile)));
		bot = startBot({ restUrl: fake.restUrl, token: fake.token, dataDir: dir.path, storyDir, env: { LOG_LEVEL: 'debug' } });
		await bot.ready();
		// Added once the bot is connected, so that its GUILD_CREATE (and the bot's log line) says it is known.
		const guild = fake.addGuild({ name: 'Book Club', channels: [{ name: 'stories', type: 0 }] });
		const channelId = guild.textChannelId;
		await bot.waitForLog((line) => line.event === 'guildCreate' && line.guildId === guild.id);
		const running = bot;

		const readers = READERS.map((name) => fake.user(name));
		const [host] = readers as [FakeUser, ...FakeUser[]];
		const steps: ReadingStep[] = [];
		const served = (interaction: { id: string }) =>
			running.waitForLog((line) => line.interactionId === interaction.id && /^interaction (served|refused|failed)$/.test(line.msg), 30_000);

		/** `postsPart`: the step posts a part, so the bot adds its feedback emoji under it (in the background). */
		const run = async (action: string, start: () => InteractionHandle, postsPart = false): Promise<ReadingStep> => {
			const before = new Set(fake.messages(channelId).map((message) => message.id));
			const requestsBefore = fake.requests.length;
			const handle = start();
			await handle.reply({ timeoutMs: 30_000 });
			await served(handle);
			const after = fake.messages(channelId);
			const messageIds = after.filter((message) => !before.has(message.id)).map((message) => message.id);
			if (postsPart) {
				const posted = after.filter((message) => messageIds.includes(message.id) && !message.ephemeral);
				if (posted.length === 0) throw new Error(`${action}: the bot posted no part`);
				await botReactionsDone(fake, story, posted);
			}
			const step = { action, messageIds, restCalls: fake.requests.length - requestsBefore };
			steps.push(step);
			onStep?.(step, { fake, channelId });
			return step;
		};

		// /read posts the title card and part 1; each press the next part, then the end card. A story
		// still being written waits after its newest part: its "To be continued…" card offers a
		// button that would only say, privately, that the next part is not out yet.
		const parts = partCount(story);
		await run(`${host.username} used /read`, () => fake.runCommand({ guildId: guild.id, channelId, user: host, name: 'read' }), true);
		for (let position = 1; ; ) {
			const next = nextStep({ position }, parts, stillWritten(story));
			if (next.kind === 'waiting' || next.kind === 'over') break;
			const offer = newestButton(fake.messages(channelId, { ephemeral: false }));
			if (!offer) throw new Error(`the bot offers no button after part ${position} of ${parts}`);
			await run(
				`${host.username} pressed “${offer.label}”`,
				() => fake.clickButton({ guildId: guild.id, channelId, messageId: offer.messageId, customId: offer.customId, user: host }),
				next.kind === 'part',
			);
			position = next.kind === 'part' ? next.part : position + 1;
		}

		// A few readers react under the scenes the bot offered its feedback emoji on.
		const readerReactions: Array<RecordedReading['readerReactions'][number] & { reader: FakeUser }> = [];
		const offered = fake.messages(channelId, { ephemeral: false }).filter((message) => message.reactions.some((reaction) => reaction.me));
		offered.forEach((message, index) => {
			const emoji = message.reactions.filter((reaction) => reaction.me).map((reaction) => reaction.emoji.name ?? '');
			readers.forEach((reader, readerIndex) => {
				if ((index + readerIndex) % 2 === 0) readerReactions.push({ messageId: message.id, user: reader.username, reader, emoji: emoji[(index + readerIndex) % emoji.length] ?? '' });
			});
		});
		if (readerReactions.length > 0) {
			const requestsBefore = fake.requests.length;
			const recorded = running.waitForLogCount((line) => line.msg === 'feedback recorded', readerReactions.length);
			for (const reaction of readerReactions) {
				await fake.react({ guildId: guild.id, channelId, messageId: reaction.messageId, user: reaction.reader, emoji: reaction.emoji });
			}
			await recorded;
			const who = [...new Set(readerReactions.map((reaction) => reaction.user))];
			const step = {
				action: `${who.join(', ')} reacted: ${readerReactions.map((reaction) => reaction.emoji).join(' ')} (${readerReactions.length} reactions under ${new Set(readerReactions.map((reaction) => reaction.messageId)).size} messages)`,
				messageIds: [],
				restCalls: fake.requests.length - requestsBefore,
			};
			steps.push(step);
			onStep?.(step, { fake, channelId });
		}

		const feedbackStep = await run(`${host.username} used /feedback`, () => fake.runCommand({ guildId: guild.id, channelId, user: host, name: 'feedback' }));
		const messages = fake.messages(channelId);
		const feedback = messages.find((message) => message.id === feedbackStep.messageIds.at(-1));
		if (!feedback) throw new Error('/feedback posted nothing');
		if (running.errors().length > 0) throw new Error(`the bot logged errors: ${JSON.stringify(running.errors())}`);
		return {
			story,
			storyFile,
			guildName: 'Book Club',
			channelName: 'stories',
			messages,
			steps,
			names: new Map([[fake.botUser.id, fake.botUser.username], ...readers.map((reader) => [reader.id, reader.username] as const)]),
			channels: new Map(guild.channels.map((channel) => [channel.id, channel.name ?? 'channel'])),
			feedback,
			readerReactions: readerReactions.map(({ messageId, user, emoji }) => ({ messageId, user, emoji })),
		};
	} finally {
		await bot?.stop();
		await fake.close();
		await dir.remove();
	}
}

/** The newest public message's first enabled button with a custom_id, if it offers one. */
function newestButton(messages: FakeMessage[]): { messageId: string; customId: string; label: string } | null {
	const newest = messages.at(-1);
	if (!newest) return null;
	for (const row of newest.components) {
		for (const component of row.components ?? []) {
			if (component.type === 2 && typeof component.custom_id === 'string' && component.disabled !== true) {
				return { messageId: newest.id, customId: component.custom_id, label: component.label ?? component.custom_id };
			}
		}
	}
	return null;
}

/**
 * The bot adds its feedback emoji under a part after answering (in the background), under the
 * part's last message (which is not the step's last one when "To be continued…" follows it), so a
 * step that posted a part is complete once the last of the story's emoji is on one of its `posted`
 * public messages. Waits on the fake's record of the bot's PUT, never on a clock; throws the fake's
 * description after 30 s.
 */
async function botReactionsDone(fake: FakeDiscord, story: Story, posted: FakeMessage[]): Promise<void> {
	const lastEmoji = story.meta.feedbackEmoji.at(-1);
	if (lastEmoji === undefined) return;
	const paths = new Set(posted.map((message) => `/channels/${message.channel_id}/messages/${message.id}/reactions/${lastEmoji}/@me`));
	await fake.waitForRequest((request) => request.method === 'PUT' && paths.has(request.path), { timeoutMs: 30_000, includePast: true });
}
