import { describe, expect, it } from 'vitest';
import { parseRating } from '../src/story/front-matter.js';
import { mayReadIn } from '../src/story/rating.js';

describe('mayReadIn', () => {
	it('reads Mature and Explicit stories only in age-restricted channels and private readings, and says why elsewhere', () => {
		for (const rating of ['Mature', 'Explicit'] as const) {
			expect(mayReadIn({ rating }, { nsfw: true, private: false })).toEqual({ ok: true });
			expect(mayReadIn({ rating }, { nsfw: false, private: true })).toEqual({ ok: true });
			const refused = mayReadIn({ rating }, { nsfw: false, private: false });
			expect(refused.ok).toBe(false);
			if (!refused.ok) expect(refused.reason).toContain(`rated ${rating}`);
			if (!refused.ok) expect(refused.reason).toContain('age-restricted');
		}
	});

	it('reads unrated, General, Teen and Not Rated stories anywhere', () => {
		for (const rating of [undefined, 'General Audiences', 'Teen And Up Audiences', 'Not Rated'] as const) {
			expect(mayReadIn({ rating }, { nsfw: false, private: false })).toEqual({ ok: true });
		}
	});

	it('understands AO3 rating names in any case, and their initials', () => {
		expect(parseRating('explicit')).toBe('Explicit');
		expect(parseRating('M')).toBe('Mature');
		expect(parseRating('Teen and Up Audiences')).toBe('Teen And Up Audiences');
		expect(parseRating('R')).toBeUndefined();
	});
});
