// The floor for /next latency: a bare discord.js bot with the same intents as ours that answers
// every slash command with a fixed reply and nothing else. It runs as its own process and prints
// the same JSON log lines the bench waits for (`ready`, `interaction served` with interactionId).
import { Client, Events, GatewayIntentBits } from 'discord.js';

const token = process.env.DISCORD_TOKEN;
const api = process.env.DISCORD_API_URL;
if (!token) {
	process.stderr.write('bare-bot: DISCORD_TOKEN is not set\n');
	process.exit(1);
}

function log(fields: Record<string, unknown>): void {
	process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, ...fields })}\n`);
}

const client = new Client({
	intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessageReactions],
	...(api ? { rest: { api } } : {}),
});

client.on(Events.InteractionCreate, (interaction) => {
	if (!interaction.isChatInputCommand()) return;
	const started = performance.now();
	interaction.reply({ content: 'ok' }).then(
		() => log({ msg: 'interaction served', interactionId: interaction.id, ms: Math.round((performance.now() - started) * 100) / 100 }),
		(error: unknown) => log({ level: 50, msg: 'interaction failed', interactionId: interaction.id, err: String(error) }),
	);
});

client.once(Events.ClientReady, (ready) => log({ event: 'ready', msg: 'ready', guilds: ready.guilds.cache.size }));

process.on('SIGTERM', () => {
	void client.destroy().finally(() => process.exit(0));
});

await client.login(token);
