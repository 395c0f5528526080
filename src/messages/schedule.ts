// Every sentence a user sees about schedules (/schedule, releases, the end of a schedule).
import { inlineCode, roleMention, time, userMention } from '@discordjs/formatters';
import { inlineLabel } from '../render/index.js';
import type { RuleProblem } from '../schedule/rule.js';
import type { ScheduleRecord, ScheduleRule } from '../schedule/types.js';
import { listInWords } from './reading.js';

const title = (text: string): string => `**${inlineLabel(text, 200)}**`;
const DAY_WORDS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "every day at 09:00 (Europe/Paris)", "on Monday and Friday at 21:30 (UTC)", "every 3 days at …", "by the cron expression `…` (…)". */
function ruleWords(rule: ScheduleRule): string {
	const zone = `(${inlineLabel(rule.timezone, 60)})`;
	if (rule.kind === 'cron') return `by the cron expression ${inlineCode(inlineLabel(rule.pattern, 100))} ${zone}`;
	if (rule.kind === 'interval') return `${rule.everyDays === 1 ? 'every day' : `every ${rule.everyDays} days`} at ${rule.time} ${zone}`;
	if (rule.days.length === 7) return `every day at ${rule.time} ${zone}`;
	return `on ${listInWords(rule.days.map((day) => DAY_WORDS[day]!))} at ${rule.time} ${zone}`;
}

const whenWords = (next: number | undefined) => (next === undefined ? 'It has no release to come.' : `Next release: ${time(new Date(next), 'F')} (${time(new Date(next), 'R')}).`);

export const scheduleMessages = {
	onlyInServers: 'Schedules are for readings in a server channel or thread the bot is in.',
	mayNotChange: (hostRoleId: string | undefined) =>
		`Only members with the Manage Server permission${hostRoleId ? ` or the ${roleMention(hostRoleId)} role` : ''} can change this channel's schedule. Anyone can see it with \`/schedule show\`.`,
	noReading: 'There is no reading in this channel to schedule. Start one with `/read`, then `/schedule set`.',
	over: 'The reading here is over, so there is nothing left to schedule. Start a new one with `/read`, then `/schedule set`.',
	noSchedule: 'This channel\'s reading has no schedule. Someone with Manage Server can set one with `/schedule set`.',
	set: (userId: string, storyTitle: string, rule: ScheduleRule, next: number | undefined) =>
		`${userMention(userId)} scheduled ${title(storyTitle)} here: the next part is posted ${ruleWords(rule)}. ${whenWords(next)} \`/next\` still posts one at any time.`,
	show: (storyTitle: string, schedule: ScheduleRecord, next: number | undefined) =>
		schedule.paused
			? `${title(storyTitle)} is scheduled ${ruleWords(schedule.rule)}, but paused since it was set or last resumed. \`/schedule resume\` starts it again.`
			: `${title(storyTitle)} gets its next part ${ruleWords(schedule.rule)} (set by ${userMention(schedule.setBy)}). ${whenWords(next)}`,
	paused: (userId: string) => `${userMention(userId)} paused the schedule here. \`/schedule resume\` starts it again; \`/next\` still works.`,
	alreadyPaused: 'The schedule here is already paused.',
	resumed: (userId: string, next: number | undefined) => `${userMention(userId)} resumed the schedule here. ${whenWords(next)}`,
	notPaused: (next: number | undefined) => `The schedule here is not paused. ${whenWords(next)}`,
	cleared: (userId: string) => `${userMention(userId)} cleared the schedule here: parts are posted with \`/next\` only.`,
	ended: (storyTitle: string) => `${title(storyTitle)} is finished, so the schedule here has ended. Start another reading with \`/read\` and set a new schedule with \`/schedule set\`.`,
	notifyLabel: 'Notify me',
	everyoneIsNoNotice: "I won't mention @everyone. Make a role for readers who want notices (Server Settings › Roles) and name it in `role`.",
	/** Under `set`'s answer when a notice role was named. */
	noticeRole: (roleId: string) => ` ${roleMention(roleId)} is mentioned when a new part is posted; press **Notify me** to get or drop it.`,
	notifyOn: (roleId: string) => `You now have ${roleMention(roleId)}: you'll be mentioned when a new part is posted here. Press **Notify me** again to stop.`,
	notifyOff: (roleId: string) => `You no longer have ${roleMention(roleId)}: no more mentions for new parts. Press **Notify me** again to get them back.`,
	/** The bot may not give the role: what a server admin must change. */
	cannotManageRole: (roleId: string, why: 'noPermission' | 'tooHigh' | 'managed' | 'gone') =>
		({
			noPermission: `I can't give you ${roleMention(roleId)}: I need the **Manage Roles** permission. A server admin can add it to my role in Server Settings › Roles.`,
			tooHigh: `I can't give you ${roleMention(roleId)}: it is above my highest role. A server admin can drag my role above it in Server Settings › Roles.`,
			managed: `I can't give you ${roleMention(roleId)}: it is managed by an integration. A server admin can pick another notice role with \`/schedule set role:\`.`,
			gone: 'That notice role no longer exists. A server admin can pick another one with `/schedule set role:`.',
		})[why],
	/** A part's discussion thread: "After The End · scene 2 of 4" (Discord allows 100 characters). */
	threadName: (storyTitle: string, part: string) => `${storyTitle.slice(0, 70)} · ${part}`,
	discussionOn: (userId: string, minutes: number) =>
		`${userMention(userId)} turned on discussion threads: each new part here gets a public thread for talk about that part, archived after ${minutes >= 1_440 ? `${minutes / 1_440} day${minutes === 1_440 ? '' : 's'}` : '1 hour'} without messages.`,
	discussionOff: (userId: string) => `${userMention(userId)} turned off discussion threads here: new parts get no thread.`,
	discussionUnchanged: 'Discussion threads here are already set that way.',
	catchUpMore: (part: string) => `More: ${part}`,
	caughtUp: "You're caught up: that is the newest part posted here.",
	catchUpNothingYet: 'Nothing has been posted in this reading yet, so there is nothing to catch up on.',
	catchUpPastNewest: (posted: number, newest: string) => `Only ${posted} part${posted === 1 ? ' is' : 's are'} posted so far (the newest is ${newest}). Pick \`from\` up to ${posted}.`,
	catchUpOtherStory: 'The reading here has moved on to another story since. Use `/catchup` again.',
	problem(problem: RuleProblem): string {
		switch (problem.kind) {
			case 'badTimezone':
				return `${inlineCode(inlineLabel(problem.timezone, 60))} is not a timezone I know. Use an IANA name such as \`Europe/Paris\`, \`America/New_York\` or \`UTC\`.`;
			case 'badTime':
				return `${inlineCode(inlineLabel(problem.time, 40))} is not a time. Use 24-hour time, such as \`09:00\` or \`21:30\`.`;
			case 'badDays':
				return `I can't read the days ${inlineCode(inlineLabel(problem.days, 60))}. Use day names such as \`mon,wed,fri\`, or \`weekdays\`, \`weekends\` or \`daily\`.`;
			case 'badCron':
				return `${inlineCode(inlineLabel(problem.pattern, 100))} is not a cron expression I can read (${inlineLabel(problem.reason, 200)}). Five fields: minute hour day-of-month month day-of-week, such as \`0 9 * * 1-5\`.`;
			case 'needsTime':
				return 'Give a `time` (such as `09:00`) with `days` or `every`, or a `cron` expression.';
			case 'cronAndTime':
				return 'Give either a `cron` expression, or a `time` with `days` or `every`, not both.';
			case 'daysAndInterval':
				return 'Give either `days` of the week or `every` (a number of days), not both.';
			case 'badInterval':
				return `\`every\` is a number of days from 1 to 28, not ${problem.everyDays}. For a monthly rhythm use a \`cron\` expression.`;
			case 'neverDue':
				return 'That schedule never falls due (such as the 30th of February). Check the days and the cron expression.';
		}
	},
};
