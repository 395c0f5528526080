import { describe, expect, it } from 'vitest';
import { discordPayload, parseNotifyButton } from '../src/discord/poster.js';

// The one ping the bot sends: a notice role's mention, allowed for that role alone.

const payload = { content: 'After The End · Scene 2 of 4 <@&123456789012345678> @everyone', embeds: [], allowedMentions: { parse: [] as [] } };

describe('message payloads and mentions', () => {
	it('allow no mention at all unless a notice role is named', () => {
		expect(discordPayload({ payload })).toMatchObject({ allowedMentions: { parse: [] }, components: [] });
		expect(discordPayload({ payload, notifyRoleId: '223456789012345678' }).allowedMentions).toEqual({ parse: [] });
	});

	it('with a notice role, mention that role first and allow it alone (not @everyone, not a role named in the story)', () => {
		const sent = discordPayload({ payload, pingRoleId: '323456789012345678' });
		expect(sent.content).toBe(`<@&323456789012345678> ${payload.content}`);
		expect(sent.allowedMentions).toEqual({ roles: ['323456789012345678'] });
	});

	it('reads only well-formed Notify me buttons', () => {
		expect(parseNotifyButton('notify:323456789012345678')).toBe('323456789012345678');
		expect(parseNotifyButton('notify:abc')).toBeUndefined();
		expect(parseNotifyButton('next:story:1')).toBeUndefined();
	});
});
