// Discord snowflakes: milliseconds since the Discord epoch in the top 42 bits, then worker,
// process and a 12-bit increment. discord.js derives createdTimestamp from them, so ids made
// here carry a real time.
const discordEpochMs = 1_420_070_400_000n;
const fakeWorkerBits = 1n << 17n;

let lastMs = 0;
let increment = 0;

/**
 * A fresh, strictly increasing snowflake whose timestamp is now (or a few ms ahead when more
 * than 4096 ids are made within one millisecond, which keeps every id unique).
 */
export function snowflakeNow(): string {
	let ms = Math.max(Date.now(), lastMs);
	if (ms === lastMs) {
		increment += 1;
		if (increment > 0xfff) {
			ms += 1;
			increment = 0;
		}
	} else {
		increment = 0;
	}
	lastMs = ms;
	return snowflakeAt(ms, increment);
}

export function snowflakeAt(ms: number, sequence = 0): string {
	return (((BigInt(ms) - discordEpochMs) << 22n) | fakeWorkerBits | BigInt(sequence & 0xfff)).toString();
}

export function snowflakeTimestamp(id: string): number {
	return Number((BigInt(id) >> 22n) + discordEpochMs);
}

// Guild ids get one distinct millisecond each, spread into the past, because the gateway assigns
// guilds to shards by `(guildId >> 22) % shardCount`: ids minted in the same millisecond would all
// land on one shard and make sharded benchmarks meaningless.
let guildClockMs = Date.now() - 365 * 24 * 3600 * 1000;

export function guildSnowflake(): string {
	guildClockMs += 1;
	return snowflakeAt(guildClockMs, 0);
}

export function shardForGuild(guildId: string, shardCount: number): number {
	return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}
