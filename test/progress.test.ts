import { describe, expect, it } from 'vitest';
import { describePosition, isOver, movedOnSince, newestMessageId, nextStep, startReading, withEndPosted, withScenePosted } from '../src/progress.js';

const now = new Date('2026-11-25T10:00:00Z');
const fresh = () => startReading({ storyId: 'after-the-end', channelId: 'c1', titleCardMessageId: 'm0', userId: 'u1', now });

describe('progress rules', () => {
	it('walks a four-scene story from the title card to the end and then says it is over', () => {
		let record = fresh();
		expect(nextStep(record, 4)).toEqual({ kind: 'scene', scene: 1 });
		for (let scene = 1; scene <= 4; scene++) {
			record = withScenePosted(record, scene, `m${scene}`, 'u2', now);
			expect(describePosition(record, 4)).toBe(`scene ${scene} of 4`);
		}
		expect(nextStep(record, 4)).toEqual({ kind: 'end' });
		expect(isOver(record, 4)).toBe(false);
		record = withEndPosted(record, 4, 'end', 'u3', now);
		expect(nextStep(record, 4)).toEqual({ kind: 'over' });
		expect(isOver(record, 4)).toBe(true);
		expect(newestMessageId(record)).toBe('end');
		expect(record.sceneMessageIds).toEqual(['m1', 'm2', 'm3', 'm4']);
		expect(record.advancedBy).toBe('u3');
	});

	it('refuses to skip a scene or post the end early', () => {
		const record = fresh();
		expect(() => withScenePosted(record, 2, 'm2', 'u1', now)).toThrow(RangeError);
		expect(() => withEndPosted(record, 4, 'end', 'u1', now)).toThrow(RangeError);
	});

	it('keeps the record plain JSON with a schema version', () => {
		const record = withScenePosted(fresh(), 1, 'm1', 'u1', now);
		expect(JSON.parse(JSON.stringify(record))).toEqual(record);
		expect(record.schema).toBe(1);
		expect(newestMessageId(fresh())).toBe('m0');
	});

	describe('movedOnSince: a /next sent while another was being served does not post a second scene', () => {
		// Scene 2 was saved at 10:00:05 (bot clock); its message was created at 10:00:04 (Discord's clock).
		const saved = withScenePosted(withScenePosted(fresh(), 1, 'm1', 'u1', now), 2, 'm2', 'u2', new Date('2026-11-25T10:00:05Z'));
		const at = (time: string) => Date.parse(`2026-11-25T${time}Z`);
		const newestPostedAt = at('10:00:04');

		it('lets a /next sent after the scene was posted and saved advance', () => {
			expect(movedOnSince(saved, { createdAt: at('10:00:06'), receivedAt: at('10:00:06'), newestPostedAt })).toBe(false);
		});

		it('stops a /next sent before the newest scene was posted', () => {
			expect(movedOnSince(saved, { createdAt: at('10:00:03'), receivedAt: at('10:00:06'), newestPostedAt })).toBe(true);
		});

		it('stops a /next that arrived while the scene was being saved, even if the scene message is older (an edited "thinking…" placeholder)', () => {
			expect(movedOnSince(saved, { createdAt: at('10:00:04.500'), receivedAt: at('10:00:04.600'), newestPostedAt })).toBe(true);
		});
	});
});

