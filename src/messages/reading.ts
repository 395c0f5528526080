// Every sentence a reader sees about readings, in a language: the words are in ./locales (i18next),
// this file picks the key and fills in the values. Discord's markup (mentions, links, timestamps)
// comes from @discordjs/formatters and is passed in as values, so translations never build it.
import { channelMention, roleMention, time, userMention } from '@discordjs/formatters';
import { inlineLabel, isolateDirection } from '../render/index.js';
import { storyLabelsIn } from './labels.js';
import { FALLBACK_LANGUAGE, listIn, translator, perLanguage } from './i18n.js';

const title = (text: string): string => `**${inlineLabel(text, 200)}**`;

/** `a, b and c` in English; see listIn for other languages. */
export function listInWords(items: readonly string[], language: string = FALLBACK_LANGUAGE): string {
	return listIn(language, items);
}

/** The reading sentences in `language` (a shipped language code, see languageFor; English otherwise). Cached: one object per language. */
export const readingMessagesIn: (language?: string) => ReadingMessages = perLanguage(build);

function build(language: string) {
	const t = translator(language);
	return {
		language,
		/**
		 * Where a reading is: the title card, a part as StoryLibrary.describePart names it ("scene 2 of 4"),
		 * the newest part of a story still being written (`stillWritten`: "to be continued"), or the end.
		 */
		position(position: number, partCount: number, describePart: (part: number) => string, stillWritten = false): string {
			if (position === 0) return t('reading.positionTitleCard', { next: describePart(1) });
			if (position === partCount && stillWritten) return t('reading.positionWaiting', { part: describePart(position) });
			if (position <= partCount) return t('reading.positionPart', { part: describePart(position) });
			return t('reading.positionEnd', { count: partCount });
		},
		/** A Mature or Explicit story asked for outside an age-restricted channel (src/story/rating.ts). */
		ageRestricted: (rating: string) => t('reading.ageRestricted', { rating }),
		/** Where a reading stands, with a link to its newest message when it has one. */
		standing(args: { storyTitle: string; position: string; channelId?: string | undefined; link?: string | undefined; advancedBy: string; advancedAt: Date; private: boolean }): string {
			const values = { title: title(args.storyTitle), position: args.position, link: args.link, when: time(args.advancedAt, 'R') };
			if (args.private || args.channelId === undefined) {
				// (A channel reading always has its channel: describeReading passes it.)
				return t(args.link ? 'reading.standingPrivateLinked' : 'reading.standingPrivate', values);
			}
			return t(args.link ? 'reading.standingHereLinked' : 'reading.standingHere', { ...values, channel: channelMention(args.channelId), user: userMention(args.advancedBy) });
		},
		/** Follows a sentence, with its leading space. */
		startAgain: ` ${t('reading.startAgain')}`,
		otherStoryNeedsRestart: (storyTitle: string, storyId: string) => ` ${t('reading.otherStoryNeedsRestart', { title: title(storyTitle), storyId })}`,
		noReadingHere: t('reading.noReadingHere'),
		noPrivateReading: t('reading.noPrivateReading'),
		/** `/progress` where nothing is under way here: the server's other readings. */
		serverReadings(lines: readonly string[]): string {
			if (lines.length === 0) return t('reading.noServerReadings');
			return `${t('reading.serverReadings')}\n${lines.map((line) => `- ${line}`).join('\n')}`;
		},
		serverReadingLine(args: { channelId: string; storyTitle: string; position: string; link?: string | undefined }): string {
			const values = { channel: channelMention(args.channelId), title: title(args.storyTitle), position: args.position, link: args.link };
			return t(args.link ? 'reading.serverReadingLineLinked' : 'reading.serverReadingLine', values);
		},
		storyGone: (storyId: string) => t('reading.storyGone', { storyId: inlineLabel(storyId, 100) }),
		/** A reading of a story whose file was refused for a mistake (it goes on once the host fixes it). */
		storyHasMistake: (storyId: string) => t('reading.storyHasMistake', { storyId: inlineLabel(storyId, 100) }),
		/** A reading of a story that is not loaded: `storyHasMistake` when its file was refused (`refused`), else `storyGone`. */
		storyMissing: (storyId: string, refused: boolean) => t(refused ? 'reading.storyHasMistake' : 'reading.storyGone', { storyId: inlineLabel(storyId, 100) }),
		staleButton: (position: string, link: string | undefined) => t(link ? 'reading.staleButtonLinked' : 'reading.staleButton', { position, link }),
		alreadyPosted: (userId: string, position: string, link: string | undefined) =>
			t(link ? 'reading.alreadyPostedLinked' : 'reading.alreadyPosted', { user: userMention(userId), position, link }),
		/** `/next` when the story's next part is not written yet. */
		notOutYet: (storyTitle: string) => t('reading.notOutYet', { title: title(storyTitle) }),
		busy: (userId: string) => t('reading.busy', { user: userMention(userId) }),
		over: (storyTitle: string, partCount: number, link: string | undefined) => t(link ? 'reading.overLinked' : 'reading.over', { title: title(storyTitle), count: partCount, link }),
		mayNotRestart: (hostRoleId: string | undefined) => (hostRoleId ? t('reading.mayNotRestartRole', { role: roleMention(hostRoleId) }) : t('reading.mayNotRestart')),
		cannotSave: t('reading.cannotSave'),
		/** `what`: the step that was posted. */
		postedUnsaved: (what: 'scene' | 'end') => t(what === 'end' ? 'reading.postedUnsavedEnding' : 'reading.postedUnsavedScene'),
		votesNotIndexed: t('reading.votesNotIndexed'),
		noSuchStory: (storyId: string, some: string, more: number) => t(more > 0 ? 'reading.noSuchStoryMore' : 'reading.noSuchStory', { storyId: inlineLabel(storyId, 100), some, more }),
		storyChoice: (id: string, storyTitle: string) => t('reading.storyChoice', { id, title: inlineLabel(storyTitle, 80) }),
		/**
		 * An autocomplete choice's words (plain text: Discord shows no Markdown there), at most `max`
		 * characters (Discord: a choice's name is 1 to 100), title and author isolated (storyLabelsIn).
		 */
		storyByAuthor: (storyTitle: string, author: string, max = 100) => storyLabelsIn((title, by) => t('reading.storyByAuthor', { title, author: by }), storyTitle, author, max),
		needsTextChannel: t('reading.needsTextChannel'),
		threadLocked: (channelId: string) => t('reading.threadLocked', { channel: channelMention(channelId) }),
		missingPermissions: (channelId: string, missing: readonly string[]) => t('reading.missingPermissions', { channel: channelMention(channelId), missing: listIn(language, missing) }),
		/** A command from a server the bot is not in, where a private reading is not what was asked. */
		notInServer: (inviteUrl: string) => t('reading.notInServer', { invite: inviteUrl }),
		feedbackTitle: (storyTitle: string) => t('reading.feedbackTitle', { title: isolateDirection(storyTitle) }),
		feedbackHere: t('reading.feedbackHere'),
		feedbackServerTotal: (readings: number) => t('reading.feedbackServerTotal', { count: readings }),
		noSuchStoryPlain: (storyId: string) => t('reading.noSuchStoryPlain', { storyId: inlineLabel(storyId, 100) }),
	};
}

export type ReadingMessages = ReturnType<typeof build>;

/** The English reading sentences (for callers with no reader, such as the service's tests). */
export const readingMessages: ReadingMessages = readingMessagesIn(FALLBACK_LANGUAGE);
