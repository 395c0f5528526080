// The schedule sentences (/schedule, releases, Notify me, /discussion, /catchup) in every shipped
// language: French and Spanish carry no English sentence, and fill in every value.
import { describe, expect, it } from 'vitest';
import { scheduleMessagesIn } from '../src/messages/index.js';
import type { RuleProblem } from '../src/schedule/rule.js';
import type { ScheduleRecord, ScheduleRule } from '../src/schedule/types.js';

const ENGLISH = /\b(the schedule|every day|Next release|scheduled|paused|is not|Only members|Give|Notify me|More:|caught up|thread|Use )\b/u;
const daily: ScheduleRule = { kind: 'weekly', days: [1, 3, 5], time: '09:00', timezone: 'Europe/Paris' } as unknown as ScheduleRule;
const interval: ScheduleRule = { kind: 'interval', everyDays: 3, time: '21:30', timezone: 'UTC' } as unknown as ScheduleRule;
const cron: ScheduleRule = { kind: 'cron', pattern: '0 9 * * 1-5', timezone: 'Asia/Tokyo' } as unknown as ScheduleRule;
const schedule = (paused: boolean): ScheduleRecord => ({ rule: daily, setBy: '42', paused }) as unknown as ScheduleRecord;
const problems: RuleProblem[] = [
	{ kind: 'badTimezone', timezone: 'Paris' },
	{ kind: 'badTime', time: '25:00' },
	{ kind: 'badDays', days: 'lundi' },
	{ kind: 'badCron', pattern: '* *', reason: 'too few fields' },
	{ kind: 'needsTime' },
	{ kind: 'cronAndTime' },
	{ kind: 'daysAndInterval' },
	{ kind: 'badInterval', everyDays: 40 },
	{ kind: 'neverDue' },
	{ kind: 'tooOften', pattern: '* 9 * * *', first: Date.UTC(2026, 4, 4, 9), second: Date.UTC(2026, 4, 4, 9, 1) },
] as unknown as RuleProblem[];

function everySentence(language: string): string[] {
	const m = scheduleMessagesIn(language);
	const next = Date.UTC(2026, 4, 4, 7);
	return [
		m.onlyInServers,
		m.mayNotChange(undefined),
		m.mayNotChange('7'),
		m.noReading,
		m.over,
		m.noSchedule,
		m.set('42', 'After The End', daily, next),
		m.set('42', 'After The End', interval, undefined),
		m.set('42', 'After The End', cron, next),
		m.show('After The End', schedule(false), next),
		m.show('After The End', schedule(true), next),
		m.paused('42'),
		m.alreadyPaused,
		m.resumed('42', next),
		m.notPaused(next),
		m.cleared('42'),
		m.ended('After The End'),
		m.notifyLabel,
		m.everyoneIsNoNotice,
		m.noticeRole('7'),
		m.notifyOn('7'),
		m.notifyOff('7'),
		m.notNoticeRole('7'),
		...(['noPermission', 'tooHigh', 'managed', 'gone'] as const).map((why) => m.cannotManageRole('7', why)),
		m.discussionOn('42', 60),
		m.discussionOn('42', 4_320),
		m.discussionOff('42'),
		m.discussionUnchanged,
		m.discussionInThread,
		m.discussionNeedsPermission,
		m.catchUpMore('scene 2 of 4'),
		m.caughtUp,
		m.catchUpNothingYet,
		m.catchUpPastNewest(1, 'scene 1 of 4'),
		m.catchUpPastNewest(3, 'scene 3 of 4'),
		m.catchUpOtherStory,
		...problems.map((problem) => m.problem(problem)),
	];
}

describe('schedule sentences', () => {
	it('read in English as before', () => {
		const m = scheduleMessagesIn('en');
		expect(m.set('42', 'After The End', daily, Date.UTC(2026, 4, 4, 7))).toBe(
			'<@42> scheduled **After The End** here: the next part is posted on Monday, Wednesday, and Friday at 09:00 (Europe/Paris). Next release: <t:1777878000:F> (<t:1777878000:R>). `/next` still posts one at any time.',
		);
		expect(m.discussionOn('42', 4_320)).toContain('archived after 3 days without messages');
		expect(m.catchUpPastNewest(1, 'scene 1 of 4')).toBe('Only 1 part is posted so far (the newest is scene 1 of 4). Pick `from` up to 1.');
	});

	for (const language of ['fr', 'es']) {
		it(`are all translated in ${language}, every value filled in`, () => {
			for (const sentence of everySentence(language)) {
				expect(sentence).not.toMatch(ENGLISH);
				expect(sentence).not.toMatch(/\{\{|\}\}|schedule\.\w/u);
			}
		});
	}

	it('name a discussion thread within 100 characters, keeping the part whole and cutting the title on a character', () => {
		// An emoji straddles the 70th code unit, where the title used to be cut, and the whole was then cut at 100.
		const storyTitle = `${'A Very Long Title About The Sea And The Lanterns That Burned Along I'}🏮🏮 Forever and Ever`;
		for (const language of ['en', 'fr', 'es']) {
			const part = language === 'fr' ? 'Chapitre 12 sur 40 · séance 2 sur 3' : 'Chapter 12 of 40 · sitting 2 of 3';
			const name = scheduleMessagesIn(language).threadName(storyTitle, part);
			expect(name.length).toBeLessThanOrEqual(100);
			expect(name.endsWith(` · ${part}`)).toBe(true);
			expect(name).toMatch(/^A Very Long Title .*…/u);
			expect(name).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u);
		}
		expect(scheduleMessagesIn('en').threadName('After The End', 'scene 2 of 4')).toBe('After The End · scene 2 of 4');
	});

	it('name days and lists in the language', () => {
		expect(scheduleMessagesIn('fr').set('42', 'X', daily, undefined)).toContain('chaque lundi, mercredi et vendredi à 09:00 (Europe/Paris)');
		expect(scheduleMessagesIn('es').set('42', 'X', daily, undefined)).toContain('los lunes, miércoles y viernes a las 09:00 (Europe/Paris)');
		expect(scheduleMessagesIn('es').set('42', 'X', interval, undefined)).toContain('cada 3 días a las 21:30 (UTC)');
	});
});
