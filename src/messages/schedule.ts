// Every sentence a user sees about schedules (/schedule, releases, the end of a schedule, the Notify
// me button, /discussion, /catchup), in a language: the words are in ./locales (i18next, section
// `schedule`), this file picks the key and fills in the values. Discord's markup (mentions,
// timestamps, code) comes from @discordjs/formatters and is passed in as values.
import { inlineCode, roleMention, time, userMention } from '@discordjs/formatters';
import { fitText, inlineLabel, isolateDirection, oneLine } from '../render/index.js';
import type { RuleProblem } from '../schedule/rule.js';
import type { ScheduleRecord, ScheduleRule } from '../schedule/types.js';
import { FALLBACK_LANGUAGE, listIn, perLanguage, translator } from './i18n.js';

const title = (text: string): string => `**${inlineLabel(text, 200)}**`;

/** A thread name is 1 to 100 characters (https://discord.com/developers/docs/resources/channel#start-thread-from-message). */
export const THREAD_NAME_MAX = 100;

/** The schedule sentences in `language` (a shipped language code, see languageFor; English otherwise). Cached: one object per language. */
export const scheduleMessagesIn: (language?: string) => ScheduleMessages = perLanguage(build);

function build(language: string) {
	const t = translator(language);
	// Day names from Intl (0 = Sunday, as ScheduleRule's days): 2026-11-01 is a Sunday.
	const dayName = (day: number): string => new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2026, 10, 1 + day));

	/** "every day at 09:00 (Europe/Paris)", "on Monday and Friday at 21:30 (UTC)", "every 3 days at …", "by the cron expression `…` (…)". */
	const ruleWords = (rule: ScheduleRule): string => {
		const zone = inlineLabel(rule.timezone, 60);
		if (rule.kind === 'cron') return t('schedule.ruleCron', { pattern: inlineCode(inlineLabel(rule.pattern, 100)), zone });
		if (rule.kind === 'interval') return t('schedule.ruleEveryDays', { count: rule.everyDays, time: rule.time, zone });
		if (rule.days.length === 7) return t('schedule.ruleEveryDays', { count: 1, time: rule.time, zone });
		return t('schedule.ruleOnDays', { days: listIn(language, rule.days.map(dayName)), time: rule.time, zone });
	};
	const whenWords = (next: number | undefined): string =>
		next === undefined ? t('schedule.noNextRelease') : t('schedule.nextRelease', { date: time(new Date(next), 'F'), relative: time(new Date(next), 'R') });

	return {
		language,
		onlyInServers: t('schedule.onlyInServers'),
		mayNotChange: (hostRoleId: string | undefined) => (hostRoleId ? t('schedule.mayNotChangeRole', { role: roleMention(hostRoleId) }) : t('schedule.mayNotChange')),
		noReading: t('schedule.noReading'),
		over: t('schedule.over'),
		noSchedule: t('schedule.noSchedule'),
		set: (userId: string, storyTitle: string, rule: ScheduleRule, next: number | undefined) =>
			t('schedule.set', { user: userMention(userId), title: title(storyTitle), rule: ruleWords(rule), when: whenWords(next) }),
		show: (storyTitle: string, schedule: ScheduleRecord, next: number | undefined) =>
			schedule.paused
				? t('schedule.showPaused', { title: title(storyTitle), rule: ruleWords(schedule.rule) })
				: t('schedule.show', { title: title(storyTitle), rule: ruleWords(schedule.rule), user: userMention(schedule.setBy), when: whenWords(next) }),
		paused: (userId: string) => t('schedule.paused', { user: userMention(userId) }),
		alreadyPaused: t('schedule.alreadyPaused'),
		resumed: (userId: string, next: number | undefined) => t('schedule.resumed', { user: userMention(userId), when: whenWords(next) }),
		notPaused: (next: number | undefined) => t('schedule.notPaused', { when: whenWords(next) }),
		cleared: (userId: string) => t('schedule.cleared', { user: userMention(userId) }),
		ended: (storyTitle: string) => t('schedule.ended', { title: title(storyTitle) }),
		notifyLabel: t('schedule.notifyLabel'),
		everyoneIsNoNotice: t('schedule.everyoneIsNoNotice'),
		/** Under `set`'s answer when a notice role was named; with its leading space. */
		noticeRole: (roleId: string) => ` ${t('schedule.noticeRole', { role: roleMention(roleId) })}`,
		notifyOn: (roleId: string) => t('schedule.notifyOn', { role: roleMention(roleId) }),
		notifyOff: (roleId: string) => t('schedule.notifyOff', { role: roleMention(roleId) }),
		/** A Notify me button whose role is no longer the notice role of the schedule here. */
		notNoticeRole: (roleId: string) => t('schedule.notNoticeRole', { role: roleMention(roleId) }),
		/** The bot may not give the role: what a server admin must change. */
		cannotManageRole: (roleId: string, why: 'noPermission' | 'tooHigh' | 'managed' | 'gone') => t(`schedule.cannotManageRole.${why}`, { role: roleMention(roleId) }),
		/** A part's discussion thread: "After The End · scene 2 of 4" (Discord allows 100 characters; plain text). */
		/**
		 * A part's discussion thread name, at most THREAD_NAME_MAX characters: the title, cut (on a
		 * character, with "…") to leave room for the part whole ("Chapter 3 of 12 · sitting 2 of 3").
		 */
		threadName: (storyTitle: string, part: string) => {
			const suffix = ` · ${part}`;
			return `${fitText(oneLine(storyTitle), Math.max(2, THREAD_NAME_MAX - suffix.length), isolateDirection)}${suffix}`.slice(0, THREAD_NAME_MAX);
		},
		discussionOn: (userId: string, minutes: number) =>
			t('schedule.discussionOn', {
				user: userMention(userId),
				after: minutes >= 1_440 ? t('schedule.archiveDays', { count: minutes / 1_440 }) : t('schedule.archiveHour'),
			}),
		discussionOff: (userId: string) => t('schedule.discussionOff', { user: userMention(userId) }),
		discussionUnchanged: t('schedule.discussionUnchanged'),
		discussionInThread: t('schedule.discussionInThread'),
		discussionNeedsPermission: t('schedule.discussionNeedsPermission'),
		catchUpMore: (part: string) => t('schedule.catchUpMore', { part }),
		caughtUp: t('schedule.caughtUp'),
		catchUpNothingYet: t('schedule.catchUpNothingYet'),
		catchUpPastNewest: (posted: number, newest: string) => t('schedule.catchUpPastNewest', { count: posted, newest }),
		catchUpOtherStory: t('schedule.catchUpOtherStory'),
		problem(problem: RuleProblem): string {
			switch (problem.kind) {
				case 'badTimezone':
					return t('schedule.problem.badTimezone', { timezone: inlineCode(inlineLabel(problem.timezone, 60)) });
				case 'badTime':
					return t('schedule.problem.badTime', { time: inlineCode(inlineLabel(problem.time, 40)) });
				case 'badDays':
					return t('schedule.problem.badDays', { days: inlineCode(inlineLabel(problem.days, 60)) });
				case 'badCron':
					return t('schedule.problem.badCron', { pattern: inlineCode(inlineLabel(problem.pattern, 100)), reason: inlineLabel(problem.reason, 200) });
				case 'badInterval':
					return t('schedule.problem.badInterval', { every: problem.everyDays });
				case 'tooOften':
					// Discord's long-time timestamps (with seconds), shown in each reader's own timezone.
					return t('schedule.problem.tooOften', {
						pattern: inlineCode(inlineLabel(problem.pattern, 100)),
						first: `<t:${Math.floor(problem.first / 1000)}:T>`,
						second: `<t:${Math.floor(problem.second / 1000)}:T>`,
					});
				default:
					return t(`schedule.problem.${problem.kind}`);
			}
		},
	};
}

export type ScheduleMessages = ReturnType<typeof build>;

/** The English schedule sentences (for callers with no reader). */
export const scheduleMessages: ScheduleMessages = scheduleMessagesIn(FALLBACK_LANGUAGE);
