import { REST, Routes } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../fake-discord/index.js';
import { RateLimiter } from '../fake-discord/rate-limits.js';

// The fake's rate limits (fake-discord/rate-limits.ts): Discord's global 50 requests/s per bot token
// and per-route buckets per channel, with Discord's headers, and discord.js waiting on them.

const messages = 'POST /channels/:channelId/messages';
const reaction = 'PUT /channels/:channelId/messages/:messageId/reactions/:emoji/@me';

describe('the rate limiter (times given)', () => {
	it('refuses the 51st request of a second globally, whatever its route, and opens a new second after it', () => {
		const limiter = new RateLimiter();
		const t0 = 1_000_000;
		for (let i = 0; i < 50; i++) expect(limiter.take({ route: 'GET /channels/:channelId', params: { channelId: String(i) }, token: 'bot' }, t0 + i).allowed).toBe(true);
		const refused = limiter.take({ route: messages, params: { channelId: 'fresh' }, token: 'bot' }, t0 + 600);
		expect(refused).toMatchObject({ allowed: false, scope: 'global', retryAfterSeconds: 0.4, body: { global: true, retry_after: 0.4 } });
		expect(refused.headers).toMatchObject({ 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global', 'retry-after': '0.400' });
		expect(limiter.hits).toEqual({ global: 1, user: 0 });
		// Interaction endpoints (no bot token) are not bound to the global limit.
		expect(limiter.take({ route: 'POST /interactions/:interactionId/:token/callback', params: { interactionId: '1', token: 't' }, token: null }, t0 + 600).allowed).toBe(true);
		expect(limiter.take({ route: messages, params: { channelId: 'fresh' }, token: 'bot' }, t0 + 1_000).allowed).toBe(true);
	});

	it('keeps 5 messages per 5 s per channel and 1 reaction per 0.25 s per channel, each channel apart', () => {
		const limiter = new RateLimiter();
		const t0 = 2_000_000;
		for (let i = 0; i < 5; i++) {
			const verdict = limiter.take({ route: messages, params: { channelId: 'a' }, token: 'bot' }, t0 + i);
			expect(verdict.headers).toMatchObject({ 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': String(4 - i) });
		}
		const sixth = limiter.take({ route: messages, params: { channelId: 'a' }, token: 'bot' }, t0 + 1_000);
		expect(sixth).toMatchObject({ allowed: false, scope: 'user', retryAfterSeconds: 4, body: { global: false } });
		expect(sixth.headers).toMatchObject({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': '4.000', 'x-ratelimit-scope': 'user' });
		expect(sixth.headers['x-ratelimit-global']).toBeUndefined();
		expect(limiter.take({ route: messages, params: { channelId: 'b' }, token: 'bot' }, t0 + 1_000).allowed).toBe(true);
		expect(limiter.take({ route: messages, params: { channelId: 'a' }, token: 'bot' }, t0 + 5_000).allowed).toBe(true);

		expect(limiter.take({ route: reaction, params: { channelId: 'a', messageId: 'm', emoji: '❤️' }, token: 'bot' }, t0).allowed).toBe(true);
		expect(limiter.take({ route: reaction, params: { channelId: 'a', messageId: 'm', emoji: '🔥' }, token: 'bot' }, t0 + 100)).toMatchObject({ allowed: false, retryAfterSeconds: 0.15 });
		expect(limiter.take({ route: reaction, params: { channelId: 'a', messageId: 'm', emoji: '🔥' }, token: 'bot' }, t0 + 250).allowed).toBe(true);
		expect(limiter.hits).toEqual({ global: 0, user: 2 });
	});
});

describe('a fake Discord with rate limits on', () => {
	let fake: FakeDiscord | undefined;
	afterEach(async () => {
		await fake?.close();
		fake = undefined;
	});

	it('answers the 51st request of a second with a global 429 and Discord\'s headers', async () => {
		// The limiter's clock held still: all 51 requests fall in one second however slow the machine.
		const now = Date.now();
		fake = await startFakeDiscord({ rateLimits: { now: () => now } });
		const guilds = fake.addGuilds(51);
		const get = (channelId: string) => fetch(`${fake!.restUrl}/v10/channels/${channelId}`, { headers: { authorization: `Bot ${fake!.token}` } });
		const answers = await Promise.all(guilds.map((guild) => get(guild.textChannelId)));
		const refused = answers.filter((answer) => answer.status === 429);
		expect(answers.filter((answer) => answer.status === 200)).toHaveLength(50);
		expect(refused).toHaveLength(1);
		const [tooMany] = refused;
		expect(tooMany!.headers.get('x-ratelimit-global')).toBe('true');
		expect(tooMany!.headers.get('x-ratelimit-remaining')).toBeNull();
		expect(tooMany!.headers.get('x-ratelimit-scope')).toBe('global');
		expect(Number(tooMany!.headers.get('retry-after'))).toBeGreaterThan(0);
		const body = (await tooMany!.json()) as { retry_after: number; global: boolean; message: string };
		expect(body).toMatchObject({ global: true, message: 'You are being rate limited.' });
		expect(body.retry_after).toBeGreaterThan(0);
		expect(body.retry_after).toBeLessThanOrEqual(1);
		const served = answers.find((answer) => answer.status === 200)!;
		expect(served.headers.get('x-ratelimit-limit')).toBe('50');
		expect(served.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
		expect(fake.rateLimitHits).toEqual({ global: 1, user: 0 });
	});

	it('discord.js REST waits on its headers and on a global 429 instead of failing', async () => {
		fake = await startFakeDiscord({ rateLimits: true });
		const guild = fake.addGuild();
		// Per route: 7 messages and 4 reactions in one channel; discord.js reads the buckets' headers and waits.
		const rest = new REST({ api: fake.restUrl, offset: 0 }).setToken(fake.token);
		const posted = await Promise.all(Array.from({ length: 7 }, (_, i) => rest.post(Routes.channelMessages(guild.textChannelId), { body: { content: `message ${i + 1}` } }) as Promise<{ id: string }>));
		await Promise.all(['❤️', '🔥', '👏', '😮'].map((emoji) => rest.put(Routes.channelMessageOwnReaction(guild.textChannelId, posted[0]!.id, encodeURIComponent(emoji)))));
		expect(fake.messages(guild.textChannelId).map((message) => message.content)).toEqual(Array.from({ length: 7 }, (_, i) => `message ${i + 1}`));
		expect(fake.message(posted[0]!.id)!.reactions).toHaveLength(4);
		expect(fake.rateLimitHits).toEqual({ global: 0, user: 0 });

		// Global: a REST told it may send 200/s is refused by the fake's 50/s, waits out retry_after, and delivers every request.
		const eager = new REST({ api: fake.restUrl, offset: 0, globalRequestsPerSecond: 200 }).setToken(fake.token);
		const channels = fake.addGuilds(150).map((g) => g.textChannelId);
		const fetched = await Promise.all(channels.map((id) => eager.get(Routes.channel(id)) as Promise<{ id: string }>));
		expect(fetched.map((channel) => channel.id)).toEqual(channels);
		expect(fake.rateLimitHits.global).toBeGreaterThan(0);
	});
});
