// Every sentence a reader sees about readings. Plain functions of plain values, so a translation
// can replace this file; Discord's markup (mentions, links, timestamps) comes from @discordjs/formatters.
import { channelMention, hyperlink, roleMention, time, userMention } from '@discordjs/formatters';
import { inlineLabel } from '../render/index.js';

const title = (text: string): string => `**${inlineLabel(text, 200)}**`;

export function listInWords(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

export const readingMessages = {
	/** "scene 2 of 4" for a part, from StoryLibrary.describePart. */
	position(position: number, partCount: number, describePart: (part: number) => string): string {
		if (position === 0) return `the title card (${describePart(1)} is next)`;
		if (position <= partCount) return describePart(position);
		return `the end (all ${partCount} parts posted)`;
	},
	/** A Mature or Explicit story asked for outside an age-restricted channel (src/story/rating.ts). */
	ageRestricted: (rating: string) =>
		`This story is rated ${rating}, so I only read it in age-restricted channels or in a private reading. ` +
		'Start it in a channel marked Age-Restricted (Edit Channel › Overview), or read it privately.',
	/** Where a reading stands, with a link to its newest message when it has one. */
	standing(args: { storyTitle: string; position: string; channelId?: string | undefined; link?: string | undefined; advancedBy: string; advancedAt: Date; private: boolean }): string {
		const where = args.private ? ' in your private reading' : args.channelId ? ` in ${channelMention(args.channelId)}` : '';
		const jump = args.link ? ` (${hyperlink('jump to it', args.link)})` : '';
		const who = args.private ? 'last moved on' : `last moved on by ${userMention(args.advancedBy)}`;
		return `${title(args.storyTitle)} is at ${args.position}${where}${jump}; ${who} ${time(args.advancedAt, 'R')}.`;
	},
	startAgain: ' Start it again with `/read`.',
	otherStoryNeedsRestart: (storyTitle: string, storyId: string) =>
		` To read ${title(storyTitle)} here instead, someone with Manage Server can use \`/read story:${storyId} restart:True\`.`,
	noReadingHere: 'There is no reading in this channel yet. Start one with `/read`.',
	noPrivateReading: 'You have no private reading yet. Start one with `/read`.',
	/** `/progress` where nothing is under way here: the server's other readings. */
	serverReadings(lines: readonly string[]): string {
		if (lines.length === 0) return 'No reading in this server yet. Anyone can start one with `/read` in a channel or thread.';
		return `No reading is under way in this channel. Readings in this server:\n${lines.map((line) => `- ${line}`).join('\n')}`;
	},
	serverReadingLine(args: { channelId: string; storyTitle: string; position: string; link?: string | undefined }): string {
		return `${channelMention(args.channelId)}: ${title(args.storyTitle)} at ${args.position}${args.link ? ` (${hyperlink('jump to it', args.link)})` : ''}`;
	},
	storyGone: (storyId: string) =>
		`This channel's reading is of a story that is no longer available (\`${inlineLabel(storyId, 100)}\`). Someone with Manage Server can start another with \`/read restart:True\`.`,
	staleButton: (position: string, link: string | undefined) =>
		`That Next button belongs to an earlier scene. The reading is at ${position}${link ? `: ${hyperlink('jump to the newest', link)}` : ''}.`,
	alreadyPosted: (userId: string, position: string, link: string | undefined) =>
		`${userMention(userId)} just posted ${position}${link ? `: ${hyperlink('read it here', link)}` : ''}.`,
	busy: (userId: string) => `${userMention(userId)} is posting the next part right now. It will be here in a moment.`,
	over: (storyTitle: string, partCount: number, link: string | undefined) =>
		`The reading of ${title(storyTitle)} is over: all ${partCount} parts and the ending are posted${link ? ` (${hyperlink('see the ending', link)})` : ''}. Start it again with \`/read\`.`,
	mayNotRestart: (hostRoleId: string | undefined) =>
		`Only members with the Manage Server permission${hostRoleId ? ` or the ${roleMention(hostRoleId)} role` : ''} can restart a reading that is under way.`,
	cannotSave: "I posted the last part, but I can't save the reading right now (my storage refuses writes), so I won't post more until it is saved. Please try again in a few minutes.",
	postedUnsaved: (what: string) =>
		`${what} is posted, but I couldn't save the reading's place because my storage refuses writes right now. I won't post it again: the next \`/next\` saves it first.`,
	votesNotIndexed: 'It is posted, but I could not note its messages for the reaction tally; `/feedback` will count them from Discord.',
	noSuchStory: (storyId: string, some: string, more: number) =>
		`There is no story called \`${inlineLabel(storyId, 100)}\`. Available: ${some}${more > 0 ? `, and ${more} more: pick from the list as you type` : ''}.`,
	storyChoice: (id: string, storyTitle: string) => `\`${id}\` (${inlineLabel(storyTitle, 80)})`,
	needsTextChannel: 'A reading needs a text channel or thread I can see. Use `/read` in one of those.',
	threadLocked: (channelId: string) =>
		`This thread (${channelMention(channelId)}) is locked, so I can't post in it. A moderator can unlock it, or start a reading in another channel.`,
	missingPermissions: (channelId: string, missing: readonly string[]) =>
		`I can't post the reading in ${channelMention(channelId)}: I'm missing ${listInWords(missing)} there. ` +
		"Ask a server admin to grant them to my role (Server Settings › Roles) or in the channel's permissions.",
	/** A command from a server the bot is not in, where a private reading is not what was asked. */
	notInServer: (inviteUrl: string) =>
		`I'm not in this server, so I can't see its readings. A server admin can ${hyperlink('add me to the server', inviteUrl)}; or use \`/read\` and \`/next\` for a private reading of your own.`,
	feedbackTitle: (storyTitle: string) => `Feedback on ${storyTitle}`,
	feedbackHere: 'In this channel',
	feedbackServerTotal: (readings: number) => `Across this server (${readings} ${readings === 1 ? 'reading' : 'readings'})`,
	noSuchStoryPlain: (storyId: string) => `There is no story called \`${inlineLabel(storyId, 100)}\`.`,
};
