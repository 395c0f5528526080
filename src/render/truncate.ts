import { escapeBlockMarkdown, escapeInline, isolateDirection, oneLine } from './escape.js';
import { takeFittingPrefix } from './split.js';

/**
 * `render(raw)` if it fits in `max`, else the rendering of the longest beginning of `raw` that fits
 * with an `…` after it, cut between words. For metadata only: story text is split, never truncated.
 * `render` must only add characters (escaping does), so measuring the raw prefix's rendering is exact.
 */
export function fitText(raw: string, max: number, render: (text: string) => string = (text) => text): string {
	// Rendering only adds characters, so text already too long is not rendered whole: escapeMarkdown
	// is quadratic on long lines, and metadata can be arbitrarily long.
	if (raw.length <= max) {
		const whole = render(raw);
		if (whole.length <= max) return whole;
	}
	if (max < 2) return '…'.slice(0, max);
	const { prefix } = takeFittingPrefix(raw, max - 1, (text) => render(text).length);
	return `${render(prefix)}…`;
}

/**
 * A title or name on one line inside our formatting, escaped, at most `max` long; isolated as a
 * direction run when it holds right-to-left letters (see isolateDirection), so it never reorders the
 * label around it.
 */
export function inlineLabel(raw: string, max: number): string {
	return fitText(oneLine(raw), max, (text) => isolateDirection(escapeInline(text)));
}

/** Author-written metadata shown as Markdown (notes, disclaimer), block syntax escaped, at most `max` long. */
export function blockText(raw: string, max: number): string {
	return fitText(raw.trim(), max, escapeBlockMarkdown);
}
