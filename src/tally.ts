// Pure helpers for feedback emoji. Discord sends some emoji with a variation selector (U+FE0F)
// and some without, depending on the client that reacted: compare them without it.

const VARIATION_SELECTOR = /\uFE0F/g;

export function normalizeEmoji(emoji: string): string {
	return emoji.replace(VARIATION_SELECTOR, '');
}

export function sameEmoji(a: string, b: string): boolean {
	return normalizeEmoji(a) === normalizeEmoji(b);
}

/** The story's own spelling of a reacted emoji, or undefined when it is not one of the story's feedback emoji. */
export function matchFeedbackEmoji(reacted: string, offered: readonly string[]): string | undefined {
	return offered.find((emoji) => sameEmoji(emoji, reacted));
}
