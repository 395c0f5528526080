// One bot-like process for test/store-processes.test.ts. It imports the COMPILED store (npm test
// runs tsc first), opens it, says "ready", waits for "go" on stdin so both processes start at the
// same moment, then adds its votes all at once and prints what it sent as one line of JSON.
//
// node vote-worker.mjs URL GUILD_ID STORY_ID EMOJI OWN_PREFIX OWN_COUNT SHARED_COUNT REPLAY_COUNT
import { once } from 'node:events';
import { openStore } from '../../dist/src/store.js';

const [url, guildId, storyId, emoji, ownPrefix, ownCount, sharedCount, replayCount] = process.argv.slice(2);
// A part of the reading whose place key is the guild id argument.
const ref = { placeKey: guildId, storyId, part: 1 };
const store = await openStore(url);
// A first operation connects and creates tables, so the burst measures votes, not start-up.
await store.countVotes([guildId], storyId, 1, [emoji]);
process.stdout.write('ready\n');

process.stdin.setEncoding('utf8');
let input = '';
while (!input.includes('go')) {
	const [chunk] = await once(process.stdin, 'data');
	input += chunk;
}

const userIds = [
	...Array.from({ length: Number(ownCount) }, (_, index) => `${ownPrefix}-${index}`),
	// Readers both processes hear about (two gateway sessions, or a replay after a resume).
	...Array.from({ length: Number(sharedCount) }, (_, index) => `shared-${index}`),
	// The same process hearing a vote twice.
	...Array.from({ length: Number(replayCount) }, (_, index) => `${ownPrefix}-${index}`),
];
const started = performance.now();
await Promise.all(userIds.map((userId) => store.addVote(ref, emoji, userId)));
const ms = Math.round(performance.now() - started);
await store.close();
process.stdout.write(`${JSON.stringify({ sent: userIds.length, ms })}\n`);
process.stdin.destroy();
