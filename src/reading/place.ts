// Where a reading lives. Pure: no discord.js, so the service, the store and tests share it.

/**
 * A server channel or thread holds at most one reading; a reader's private reading (in a DM with
 * the bot, or ephemeral answers in a server the bot is not in) belongs to the reader.
 */
export type Place =
	| { kind: 'channel'; guildId: string; channelId: string }
	| { kind: 'reader'; userId: string };

/**
 * The key a place's reading and votes are stored under: `channel:<id>` or `user:<id>`. Channel ids
 * are unique across Discord, so the server is not part of the key. Schema 1 kept one reading per
 * server and its votes under the bare server id, which no place key can equal (it has no ':').
 */
export function placeKey(place: Place): string {
	return place.kind === 'channel' ? `channel:${place.channelId}` : `user:${place.userId}`;
}
