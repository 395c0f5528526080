// discord.js's REST with the bot's requests paced (src/rest-pacer.ts). Interaction callbacks and
// follow-ups carry no bot token and are not bound to Discord's global limit, so they are never held.
import { DefaultRestOptions, type RESTOptions } from 'discord.js';
import { RequestPacer } from '../rest-pacer.js';

type MakeRequest = RESTOptions['makeRequest'];

/**
 * A `rest.makeRequest` that waits for `pacer`'s turn before each request sent with the bot's token,
 * then sends it as discord.js would. The wait counts towards discord.js's request timeout (15 s), so
 * whoever queues many requests at once (feedback emoji) must feed them in a few at a time.
 */
export function pacedMakeRequest(pacer: RequestPacer = new RequestPacer(), send: MakeRequest = (url, init) => DefaultRestOptions.makeRequest(url, init)): MakeRequest {
	return async (url, init) => {
		if (carriesBotToken(init.headers)) await pacer.turn(init.signal ?? undefined);
		return send(url, init);
	};
}

function carriesBotToken(headers: Parameters<MakeRequest>[1]['headers']): boolean {
	if (!headers) return false;
	if (headers instanceof Headers) return headers.has('authorization');
	if (Array.isArray(headers)) return headers.some(([name]) => name?.toLowerCase() === 'authorization');
	return Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
}
