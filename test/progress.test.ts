import { describe, expect, it } from 'vitest';
import { describePosition, isOver, newestMessageId, nextStep, startReading, withEndPosted, withScenePosted } from '../src/progress.js';

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
});

