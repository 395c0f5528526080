// The printed table and the JSON written beside it: the same figures, one run.
import { formatLibrary, libraryTargets, type LibraryFigures, type LibrarySettings } from './library.js';
import type { ReleaseFigures } from './release.js';
import type { LatencyFigures, MemoryFigures, ReactionFigures, RestCallFigures } from './scenarios.js';

export interface Machine {
	cpu: string;
	cores: number;
	node: string;
	platform: string;
	memoryGb: number;
}

export interface LatencyRow {
	contender: string;
	servers: number;
	figures: LatencyFigures;
	/** Two bare bots' figures, sampled in turns with this bot's. */
	bare: [LatencyFigures, LatencyFigures];
	readyMs: number;
	seedMs: number;
}

export interface MemoryRow {
	contender: string;
	servers: number;
	figures: MemoryFigures;
}

export interface FeedbackRow {
	store: string;
	reactions: ReactionFigures;
	restCalls: RestCallFigures[];
}

export interface Target {
	name: string;
	met: boolean;
	detail: string;
}

export interface Results {
	generatedAt: string;
	command: string;
	machine: Machine;
	settings: { servers: number[]; samples: number; warmups: number; reactions: number; readings: number; emojiCount: number; library?: LibrarySettings };
	skipped: string[];
	warnings: string[];
	latency: LatencyRow[];
	memory: MemoryRow[];
	feedback: FeedbackRow[];
	/** The 500-story library (`--parts library`), when run. */
	library?: LibraryFigures;
	/** Scheduled releases due at one minute against Discord's rate limits (issue 13). */
	release: ReleaseFigures[];
	targets: Target[];
	durationSeconds: number;
}

/** Target thresholds, printed next to the figures; they are goals, not pass/fail gates. */
export const TARGETS = {
	latencyRatio: 1.5,
	/** "Flat": no fleet size's p50/floor ratio more than this many times the lowest across fleet sizes. */
	flatness: 1.25,
	reactionsPerSecond: 5_000,
	rssMb: 200,
	singleMessageChars: 6_000,
	/** Time to post every due part, as a multiple of the global limit's minimum (requests / 50 per s). */
	releaseRatio: 1.2,
} as const;

/** The floor for a row: the mean p50 of the two bare bots sampled in the same rounds. */
export function floorP50(row: LatencyRow): number {
	return (row.bare[0].p50Ms + row.bare[1].p50Ms) / 2;
}

export function evaluateTargets(results: Omit<Results, 'targets' | 'durationSeconds'>): Target[] {
	const targets: Target[] = [];
	const { latency, memory, feedback, settings } = results;
	const sqlite = latency.filter((row) => row.contender === 'sqlite');
	if (sqlite.length > 0) {
		const ratios = sqlite.map((row) => ({ servers: row.servers, ratio: row.figures.p50Ms / floorP50(row) }));
		targets.push({
			name: `/next p50 within ${TARGETS.latencyRatio}x the floor, two bare bots sampled in the same rounds (SQLite)`,
			met: ratios.every(({ ratio }) => ratio <= TARGETS.latencyRatio),
			detail: ratios.map(({ servers, ratio }) => `${count(servers)}: ${ratio.toFixed(2)}x`).join(', '),
		});
		// Flat is judged on the ratio: the bare bot does no per-server work, so how much its own p50
		// moves across server counts in one run is the machine drifting, not the bot.
		const spread = (values: number[]) => Math.max(...values) / Math.min(...values);
		const ratioSpread = spread(ratios.map(({ ratio }) => ratio));
		targets.push({
			name: `/next p50 flat from ${count(Math.min(...settings.servers))} to ${count(Math.max(...settings.servers))} servers (SQLite, p50/floor max/min <= ${TARGETS.flatness})`,
			met: sqlite.length > 1 && ratioSpread <= TARGETS.flatness,
			detail: `max/min ${ratioSpread.toFixed(2)} (p50 alone: ours ${spread(sqlite.map((row) => row.figures.p50Ms)).toFixed(2)}, floor ${spread(sqlite.map(floorP50)).toFixed(2)})`,
		});
	}
	const sqliteFeedback = feedback.find((row) => row.store === 'sqlite');
	if (sqliteFeedback) {
		const { reactions } = sqliteFeedback;
		targets.push({
			name: `>= ${count(TARGETS.reactionsPerSecond)} reaction events/s with exact counts (SQLite)`,
			met: reactions.eventsPerSecond >= TARGETS.reactionsPerSecond && reactions.exact,
			detail: `${rate(reactions)}/s, ${exactness(reactions)}`,
		});
	}
	const largest = Math.max(...settings.servers);
	for (const row of memory.filter((entry) => entry.contender !== 'bare' && entry.servers === largest)) {
		targets.push({
			name: `RSS < ${TARGETS.rssMb} MB with ${count(largest)} servers (${row.contender})`,
			met: row.figures.medianMb < TARGETS.rssMb,
			detail: `${row.figures.medianMb.toFixed(1)} MB`,
		});
	}
	const restRows = feedback.flatMap((row) => row.restCalls.filter((figures) => figures.sceneChars <= TARGETS.singleMessageChars).map((figures) => ({ store: row.store, figures })));
	if (restRows.length > 0) {
		const expected = 1 + settings.emojiCount;
		const misses = restRows.filter(({ figures }) => figures.total !== expected || figures.sceneCalls !== 1);
		targets.push({
			name: `1 REST call per scene <= ${count(TARGETS.singleMessageChars)} chars + 1 per emoji (= ${expected})`,
			met: misses.length === 0,
			detail: misses.length === 0 ? 'every scene <= 6,000 chars on every store' : misses.map(({ store, figures }) => `${store} ${count(figures.sceneChars)} chars: ${figures.total}`).join(', '),
		});
	}
	if (results.library) targets.push(...libraryTargets(results.library));
	for (const row of results.release) {
		targets.push({
			name: `${count(row.readings)} releases due at one minute posted within ${TARGETS.releaseRatio}x the global limit's minimum, 0 429s, 0 missed, 0 doubled (${row.store})`,
			met: row.partsRatio <= TARGETS.releaseRatio && row.tooMany.global + row.tooMany.user === 0 && row.missed === 0 && row.doubled === 0,
			detail: `${row.partsRatio.toFixed(2)}x (${(row.partsMs / 1000).toFixed(1)} s for ${count(row.partsRequests)} requests), 429s ${row.tooMany.global} global / ${row.tooMany.user} per route, ${row.missed} missed, ${row.doubled} doubled`,
		});
	}
	return targets;
}

export function exactness(reactions: ReactionFigures): string {
	if (reactions.exact) return 'exact';
	return `NOT exact: ${reactions.stored} in the store of ${reactions.events} sent, ${reactions.failed} logged as failed`;
}

/** Events per second, or '-' when not every event arrived (then there is no honest rate). */
function rate(reactions: ReactionFigures): string {
	return Number.isNaN(reactions.eventsPerSecond) ? '-' : count(Math.round(reactions.eventsPerSecond));
}

function count(value: number): string {
	return value.toLocaleString('en-US');
}

function signedMs(value: number): string {
	return `${value < 0 ? '-' : '+'}${ms(Math.abs(value))}`;
}

function ms(value: number): string {
	return value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function table(headers: string[], rows: string[][], rightAligned = headers.map(() => true)): string {
	const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
	const line = (cells: string[]) =>
		cells
			.map((cell, column) => (rightAligned[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
			.join('  ')
			.trimEnd();
	return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function formatResults(results: Results): string {
	const { settings } = results;
	const out: string[] = [];
	const mark = (met: boolean) => (met ? '✓' : '✗');
	out.push(`serial-fiction-bot bench, ${results.generatedAt}`);
	out.push(`machine: ${results.machine.cpu}, ${results.machine.cores} cores, ${results.machine.memoryGb} GB RAM, node ${results.machine.node}, ${results.machine.platform}`);
	out.push(`command: ${results.command}`);
	for (const skipped of results.skipped) out.push(`skipped: ${skipped}`);
	for (const warning of results.warnings) out.push(`warning: ${warning}`);

	if (results.latency.length > 0) {
		out.push('');
		out.push(
			`/next latency, ms: INTERACTION_CREATE dispatch -> first callback request at the fake; ${settings.samples} sequential samples after ${settings.warmups} warm-ups, servers picked at random, in turns with two bare bots`,
		);
		out.push(
			table(
				['store', 'servers', 'p50', 'p99', 'min', 'max', 'bare p50s', 'bare/bare', 'floor p50', 'p50/floor', 'p50-floor', 'handler p50', 'PUTs queued', 'ready s'],
				results.latency.map((row) => {
					const floor = floorP50(row);
					return [
						row.contender,
						count(row.servers),
						ms(row.figures.p50Ms),
						ms(row.figures.p99Ms),
						ms(row.figures.minMs),
						ms(row.figures.maxMs),
						`${ms(row.bare[0].p50Ms)} / ${ms(row.bare[1].p50Ms)}`,
						`${(row.bare[1].p50Ms / row.bare[0].p50Ms).toFixed(2)}x`,
						ms(floor),
						`${(row.figures.p50Ms / floor).toFixed(2)}x`,
						signedMs(row.figures.p50Ms - floor),
						ms(row.figures.handlerP50Ms),
						row.figures.reactionPuts.expected === 0 ? '-' : `${row.figures.reactionPuts.queuedAtEnd}/${row.figures.reactionPuts.expected}`,
						(row.readyMs / 1000).toFixed(1),
					];
				}),
				[false, true, true, true, true, true, true, true, true, true, true, true, true, true],
			),
		);
		out.push('floor: the mean p50 of two bare discord.js bots answering "ok", sampled in the same rounds as ours (one /next to each of the three per');
		out.push('round, in rotating order), so all three see the same machine. bare/bare: how far apart the two floors read, which is the method\'s own noise.');
		out.push('p50-floor: our own time on top of the floor, in ms.');
		out.push('handler p50: the bot\'s own `ms` in its `interaction served` line (ends after the store write). Each sample waits for that line;');
		out.push('the feedback emoji PUTs run in the background, and "PUTs queued" is how many of them had not yet reached the fake when');
		out.push('the last sample was served (discord.js sends at most 50 REST requests/s; interaction callbacks are exempt). ready s: spawn to `ready`.');
	}

	if (results.feedback.length > 0) {
		out.push('');
		out.push(`Reaction events: ${count(settings.reactions)} from distinct readers on one scene message, dispatched as fast as the fake writes them; done when the store holds them all (polled)`);
		out.push(
			table(
				['store', 'events', 'dispatched ms', 'all stored ms', 'events/s', 'counts'],
				results.feedback.map(({ store, reactions }) => [
					store,
					count(reactions.events),
					reactions.dispatchMs.toFixed(0),
					reactions.totalMs.toFixed(0),
					rate(reactions),
					exactness(reactions),
				]),
				[false, true, true, true, true, false],
			),
		);
	}

	if (results.memory.length > 0) {
		out.push('');
		out.push('Resident memory after READY (VmRSS, MB = 10^6 bytes, median of 3 readings 1 s apart)');
		out.push(
			table(
				['store', 'servers', 'RSS MB', 'readings'],
				results.memory.map((row) => [row.contender, count(row.servers), row.figures.medianMb.toFixed(1), row.figures.readingsMb.map((mb) => mb.toFixed(1)).join(' / ')]),
				[false, true, true, false],
			),
		);
	}

	if (results.feedback.length > 0) {
		out.push('');
		out.push(`REST calls for one /next (scene posts + reaction PUTs; target 1 + ${settings.emojiCount} for a scene <= 6,000 chars)`);
		out.push(
			table(
				['store', 'scene chars', 'scene calls', 'reaction PUTs', 'other', 'total'],
				results.feedback.flatMap(({ store, restCalls }) =>
					restCalls.map((figures) => [store, count(figures.sceneChars), String(figures.sceneCalls), String(figures.reactionPuts), String(figures.other), String(figures.total)]),
				),
				[false, true, true, true, true, true],
			),
		);
	}
	if (results.library) out.push('', ...formatLibrary(results.library));

	if (results.release.length > 0) {
		out.push('');
		out.push('Scheduled releases due at one minute, the fake enforcing Discord\'s limits (50 requests/s per bot; 5 messages per 5 s and 1 reaction per 0.25 s per channel)');
		out.push(
			table(
				['store', 'readings', 'servers', 'parts s', 'requests', 'minimum s', 'ratio', '+ emoji s', 'requests', 'minimum s', 'ratio', '429s global/route', 'missed', 'doubled'],
				results.release.map((row) => [
					row.store,
					count(row.readings),
					count(row.servers),
					(row.partsMs / 1000).toFixed(1),
					count(row.partsRequests),
					(row.partsRequests / 50).toFixed(1),
					`${row.partsRatio.toFixed(2)}x`,
					(row.allMs / 1000).toFixed(1),
					count(row.allRequests),
					(row.allRequests / 50).toFixed(1),
					`${row.allRatio.toFixed(2)}x`,
					`${row.tooMany.global} / ${row.tooMany.user}`,
					String(row.missed),
					String(row.doubled),
				]),
				[false, true, true, true, true, true, true, true, true, true, true, true, true, true],
			),
		);
		out.push('parts s: from moving the bot\'s clock to the due minute until the fake answered the last part\'s POST; requests: REST requests with the');
		out.push('bot\'s token the fake received in that time; minimum s: requests / 50 per s (the global limit); ratio: parts s / minimum s.');
		out.push('+ emoji: the same until the last feedback emoji was added (emoji wait until every due part is posted). 429s: all the fake sent,');
		out.push('parts and emoji. missed / doubled: reading channels with no new message / more than one, from the fake\'s record.');
		for (const row of results.release) {
			out.push(`${row.store}: emoji ${count(row.emojiAdded)} of ${count(row.emojiExpected)}; the bot's releases by outcome: ${Object.entries(row.outcomes).map(([outcome, n]) => `${outcome} ${count(n)}`).join(', ')}`);
		}
	}

	out.push('');
	out.push('Targets (goals, not gates)');
	for (const target of results.targets) out.push(`${mark(target.met)} ${target.name}: ${target.detail}`);
	out.push('');
	out.push(`run time: ${results.durationSeconds.toFixed(0)} s`);
	return out.join('\n');
}
