/**
 * Splitting text into pieces that each fit a length limit, at the most natural places available.
 *
 * Result shape: `{ chunks, separators }` with `separators.length === chunks.length + 1`, and
 * `separators[0] + chunks[0] + separators[1] + … + chunks[n-1] + separators[n] === text` (see
 * `joinSplit`). Every separator is a whole run of whitespace (or `''` between the halves of a word
 * too long for any chunk), so chunks never start or end with whitespace: Discord trims it anyway, and
 * it would count against the limit.
 */

/** How long a chunk counts as; must never be less than `.length` and must not shrink as a chunk grows. */
export type Measure = (chunk: string) => number;

export interface SplitText {
	/** Non-empty, no whitespace at either end, each `measure(chunk) <= max`. */
	chunks: string[];
	/** The whitespace before, between and after the chunks: one more than there are chunks. */
	separators: string[];
}

/** Where a chunk may end, best first: a chunk ends at a paragraph break rather than mid-paragraph, and so on. */
export const BREAK_RANK = { paragraph: 4, sentence: 3, line: 2, word: 1, hardCut: 0 } as const;

/** A place a chunk may end (`start`) and the next begin (`end`); the text between is the separator. */
interface Break {
	start: number;
	end: number;
	rank: number;
}

const byLength: Measure = (chunk) => chunk.length;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** A sentence ends in terminal punctuation, possibly followed by closing quotes, brackets or Markdown. */
const SENTENCE_END = /[.!?…。！？‼⁇⁈⁉][\p{Pf}\p{Pe}"'*_~|]*$/u;
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;
const PRINTABLE_ASCII = /^[\x21-\x7e]*$/;

export interface SplitOptions {
	/** How long a chunk counts as; `.length` unless given. */
	measure?: Measure;
	/**
	 * Use as few chunks as possible first, and the best breaks only among splits with that few. For
	 * messages, where every chunk is a REST call: whole paragraphs would often waste a message.
	 */
	fewestChunks?: boolean;
	/**
	 * The text's language (a BCP 47 tag, e.g. a story's `languageTag`): a run without whitespace too
	 * long for a chunk (Chinese, Japanese and Thai are written without spaces) is cut at the sentence
	 * ends, else the word boundaries, that `Intl.Segmenter` finds for it. Default: ICU's root rules.
	 */
	locale?: string;
}

/**
 * Splits `text` into chunks with `measure(chunk) <= max`, ending each chunk at the best break in
 * reach: after as many whole paragraphs as fit; a paragraph longer than `max` at sentence ends, else
 * at line breaks, else between words. Only a run without whitespace that is longer than `max` on its
 * own is cut inside, and then at a sentence end, else a word boundary, as `Intl.Segmenter` sees them
 * for `locale` (so Chinese, Japanese and Thai text is never cut inside a word), and only a word still
 * longer than `max` between grapheme clusters (between code points only for a single cluster longer
 * than `max`), never inside a surrogate pair or emoji. With `fewestChunks`, see `SplitOptions`.
 *
 * @throws RangeError when `max` is too small to hold a single character.
 */
export function splitText(text: string, max: number, { measure = byLength, fewestChunks = false, locale }: SplitOptions = {}): SplitText {
	const layout = layOut(text, max, measure, locale);
	if (layout === undefined) return { chunks: [], separators: [text] };
	const { first, last, breaks, fits, farthestEnd } = layout;
	const pieces = breaks.length; // index of the last piece; pieces are 0..breaks.length

	// Backward pass: fewestFrom[k - 1] is the earliest piece from which the rest fits in k chunks.
	const fewestFrom: number[] = [];
	for (let endPiece = pieces; fewestChunks; ) {
		const start = layout.earliestStart(endPiece);
		fewestFrom.push(start);
		if (start === 0) break;
		endPiece = start - 1;
	}

	const chunks: string[] = [];
	const separators = [text.slice(0, first)];
	let chunksLeft = fewestFrom.length;
	for (let piece = 0; ; chunksLeft--) {
		const far = fits(piece, pieces) ? pieces : farthestEnd(piece);
		if (far === pieces) {
			chunks.push(text.slice(layout.startOf(piece), last));
			separators.push(text.slice(last));
			break;
		}
		// With fewestChunks, the next chunk must start where the remaining chunks can still hold the rest.
		const nextStartAtLeast = !fewestChunks ? piece + 1 : chunksLeft >= 2 ? (fewestFrom[chunksLeft - 2] ?? 0) : far + 1;
		const earliest = Math.max(piece, Math.min(nextStartAtLeast - 1, far));
		let end = far;
		for (let candidate = far - 1; candidate >= earliest; candidate--) {
			if (breaks[candidate]!.rank > breaks[end]!.rank) end = candidate;
		}
		const chosen = breaks[end]!;
		chunks.push(text.slice(layout.startOf(piece), chosen.start));
		separators.push(text.slice(chosen.start, chosen.end));
		piece = end + 1;
	}
	return { chunks, separators };
}

/** Puts a split back together: `joinSplit(splitText(t, max)) === t`. */
export function joinSplit({ chunks, separators }: SplitText): string {
	let text = separators[0] ?? '';
	for (const [index, chunk] of chunks.entries()) text += chunk + (separators[index + 1] ?? '');
	return text;
}

/**
 * The longest beginning of `text` (trimmed) with `measure(prefix) <= max`, ending between words (or
 * between grapheme clusters when the first word alone is too long), preferring a paragraph or sentence
 * end when one is in the second half of what fits. `complete` says whether that is the whole text.
 * For truncating metadata to a field's limit.
 */
export function takeFittingPrefix(text: string, max: number, measure: Measure = byLength): { prefix: string; complete: boolean } {
	// A prefix never reaches past `max` characters after the first non-whitespace one (`measure` is at
	// least `.length`), so only that much is laid out, plus the whitespace after it and one more
	// character, so the break there keeps its rank: metadata can be arbitrarily long.
	const reach = text.search(/\S/) + max + 1;
	const nextWord = text.slice(reach).search(/\S/);
	const view = nextWord === -1 ? text : text.slice(0, reach + nextWord + 1);
	const layout = layOut(view, max, measure);
	if (layout === undefined) return { prefix: '', complete: true };
	const { first, last, breaks, fits, farthestEnd } = layout;
	// The view is the whole text whenever it fits whole: anything cut off lies beyond `max`.
	if (fits(0, breaks.length)) return { prefix: view.slice(first, last), complete: true };
	const far = farthestEnd(0);
	const farStart = breaks[far]!.start;
	let end = far;
	for (let candidate = far; candidate >= 0 && breaks[candidate]!.start - first >= (farStart - first) / 2; candidate--) {
		if (breaks[candidate]!.rank >= BREAK_RANK.sentence && breaks[candidate]!.rank > breaks[end]!.rank) end = candidate;
	}
	return { prefix: view.slice(first, breaks[end]!.start), complete: false };
}

interface Layout {
	/** Start of the first and end of the last non-whitespace character. */
	first: number;
	last: number;
	/** Ordered; piece `i` runs from the end of break `i - 1` (or `first`) to the start of break `i` (or `last`). */
	breaks: Break[];
	startOf(piece: number): number;
	/** Whether pieces `from..to` make a chunk that fits. */
	fits(from: number, to: number): boolean;
	/** The last piece a chunk starting at piece `from` can reach. */
	farthestEnd(from: number): number;
	/** The first piece a chunk ending at piece `to` can start at. */
	earliestStart(to: number): number;
}

function layOut(text: string, max: number, measure: Measure, locale?: string): Layout | undefined {
	const firstMatch = /\S/.exec(text);
	if (firstMatch === null) return undefined;
	const first = firstMatch.index;
	const last = text.trimEnd().length;
	const breaks = findBreaks(text, first, last, max, measure, locale);
	const startOf = (piece: number): number => (piece === 0 ? first : breaks[piece - 1]!.end);
	const endOf = (piece: number): number => (piece === breaks.length ? last : breaks[piece]!.start);
	// `measure` is never below `.length`, so a slice longer than `max` is rejected without measuring it.
	const fits = (from: number, to: number): boolean => {
		const start = startOf(from);
		const end = endOf(to);
		return end - start <= max && measure(text.slice(start, end)) <= max;
	};
	const tooSmall = (piece: number): RangeError =>
		new RangeError(`cannot split text into chunks of at most ${max}: ${JSON.stringify(text.slice(startOf(piece), endOf(piece)))} does not fit`);

	return {
		first,
		last,
		breaks,
		startOf,
		fits,
		farthestEnd(from) {
			if (!fits(from, from)) throw tooSmall(from);
			// Invariant: `low` fits, everything after `high` does not.
			let low = from;
			let high = breaks.length;
			while (low < high) {
				const middle = Math.ceil((low + high) / 2);
				if (fits(from, middle)) low = middle;
				else high = middle - 1;
			}
			return low;
		},
		earliestStart(to) {
			if (!fits(to, to)) throw tooSmall(to);
			// Invariant: `high` fits, everything before `low` does not.
			let low = 0;
			let high = to;
			while (low < high) {
				const middle = Math.floor((low + high) / 2);
				if (fits(middle, to)) high = middle;
				else low = middle + 1;
			}
			return high;
		},
	};
}

/**
 * Whitespace a chunk never ends at: a no-break space (U+00A0, U+202F, U+2007) holds its neighbours
 * together by definition; a space after a title abbreviation ("Dr. Roylott") is not a sentence end
 * and would leave "Dr." alone at the end of a message; a space followed by a combining mark is the
 * start of a grapheme cluster (https://unicode.org/reports/tr29/).
 */
const BREAKABLE = /[^\S\u00A0\u202F\u2007]/g;
const WHITESPACE_CHAR = /\s/u;

/**
 * Runs of whitespace holding at least one breakable character, with the no-break spaces next to it,
 * from `from` on: `{ index, 0: run }` like a RegExp match. Linear: a regex for this backtracks
 * quadratically on a long run of no-break spaces.
 */
function* breakableRuns(text: string, from: number): Generator<{ index: number; 0: string }, null> {
	const breakable = new RegExp(BREAKABLE.source, 'g');
	breakable.lastIndex = from;
	let previousEnd = from;
	for (let match = breakable.exec(text); match !== null; match = breakable.exec(text)) {
		let start = match.index;
		while (start > previousEnd && WHITESPACE_CHAR.test(text[start - 1]!)) start -= 1;
		let end = match.index + 1;
		while (end < text.length && WHITESPACE_CHAR.test(text[end]!)) end += 1;
		previousEnd = end;
		breakable.lastIndex = end;
		yield { index: start, 0: text.slice(start, end) };
	}
	return null;
}
const TITLE_ABBREVIATION = /(?:^|[^\p{L}])(?:Dr|Mr|Mrs|Ms|Mx|St|Prof|Rev|Capt|Col|Gen|Lt|Sgt|Messrs|Mme|Mlle)\.$/u;
const COMBINING_MARK = /^\p{M}/u;

function holdsTogether(text: string, runStart: number, run: string): boolean {
	if (COMBINING_MARK.test(text.slice(runStart + run.length, runStart + run.length + 2))) return true;
	return !LINE_BREAK_TEST.test(run) && TITLE_ABBREVIATION.test(text.slice(Math.max(0, runStart - 8), runStart));
}
const LINE_BREAK_TEST = /[\n\r\u2028\u2029]/;

function findBreaks(text: string, first: number, last: number, max: number, measure: Measure, locale: string | undefined): Break[] {
	const breaks: Break[] = [];
	const whitespace = breakableRuns(text, first);
	let wordStart = first;
	for (;;) {
		const run = whitespace.next().value;
		// `last` ends the last non-whitespace character, so every run before it ends before it too.
		const runStart = run !== null && run.index < last ? run.index : last;
		if (run !== null && runStart !== last && holdsTogether(text, runStart, run[0])) continue;
		addHardCuts(text, wordStart, runStart, max, measure, breaks, locale);
		if (run === null || runStart === last) return breaks;
		const runEnd = runStart + run[0].length;
		breaks.push({ start: runStart, end: runEnd, rank: rankOfWhitespace(text, runStart, run[0]) });
		wordStart = runEnd;
	}
}

function rankOfWhitespace(text: string, start: number, whitespace: string): number {
	const lineBreaks = whitespace.match(LINE_BREAK)?.length ?? 0;
	if (lineBreaks >= 2) return BREAK_RANK.paragraph;
	if (SENTENCE_END.test(text.slice(Math.max(0, start - 16), start))) return BREAK_RANK.sentence;
	return lineBreaks === 1 ? BREAK_RANK.line : BREAK_RANK.word;
}

/**
 * Cut points inside a run without breakable whitespace that cannot fit any chunk whole: at the
 * whitespace that otherwise holds together (no-break spaces, after "Dr."), and between those at
 * sentence ends and word boundaries (segmentCuts), then between grapheme clusters.
 */
function addHardCuts(text: string, start: number, end: number, max: number, measure: Measure, breaks: Break[], locale: string | undefined): void {
	if (end - start <= max && measure(text.slice(start, end)) <= max) return;
	const inner = /\s+/g;
	inner.lastIndex = start;
	let pieceStart = start;
	for (;;) {
		const run = inner.exec(text);
		const runStart = run !== null && run.index < end ? run.index : end;
		addSegmentCuts(text, pieceStart, runStart, max, measure, breaks, locale);
		if (run === null || runStart === end) return;
		breaks.push({ start: runStart, end: runStart + run[0].length, rank: BREAK_RANK.hardCut });
		pieceStart = runStart + run[0].length;
	}
}

const segmenters = new Map<string, { sentence: Intl.Segmenter; word: Intl.Segmenter }>();

function segmentersFor(locale: string | undefined): { sentence: Intl.Segmenter; word: Intl.Segmenter } {
	const key = locale ?? '';
	let found = segmenters.get(key);
	if (found === undefined) {
		found = { sentence: new Intl.Segmenter(locale, { granularity: 'sentence' }), word: new Intl.Segmenter(locale, { granularity: 'word' }) };
		segmenters.set(key, found);
	}
	return found;
}

/** Opening punctuation a sentence segment may end with ("！“" before the next sentence's quote): it goes with the next sentence. */
const OPENING = /[\p{Ps}\p{Pi}]/u;

/**
 * Cut points in a run without whitespace too long for a chunk: sentence ends (rank sentence), then
 * word boundaries (rank word), as Intl.Segmenter finds them in `locale` (UAX #29 with ICU's
 * dictionaries for Chinese, Japanese, Thai, Lao, Khmer and Burmese), each also a grapheme cluster
 * boundary; a word still too long for a chunk is cut between grapheme clusters.
 */
function addSegmentCuts(text: string, start: number, end: number, max: number, measure: Measure, breaks: Break[], locale: string | undefined): void {
	if (end - start <= max && measure(text.slice(start, end)) <= max) return;
	const run = text.slice(start, end);
	if (PRINTABLE_ASCII.test(run) && !/[.!?]/.test(run)) {
		// One ASCII "word" (no sentence end, no space): nothing but letters to cut between.
		addGraphemeCuts(text, start, end, max, measure, breaks);
		return;
	}
	const clusterEdges = new Set(segmentStarts(graphemes, run));
	const { sentence, word } = segmentersFor(locale);
	const cuts = new Map<number, number>();
	for (const index of segmentStarts(sentence, run)) {
		let at = index;
		while (at > 0 && OPENING.test(run[at - 1]!)) at -= 1;
		if (at > 0 && clusterEdges.has(at)) cuts.set(at, BREAK_RANK.sentence);
	}
	for (const index of segmentStarts(word, run)) if (index > 0 && clusterEdges.has(index) && !cuts.has(index)) cuts.set(index, BREAK_RANK.word);
	let previous = 0;
	for (const offset of [...[...cuts.keys()].sort((a, b) => a - b), run.length]) {
		addGraphemeCuts(text, start + previous, start + offset, max, measure, breaks);
		if (offset < run.length) breaks.push({ start: start + offset, end: start + offset, rank: cuts.get(offset)! });
		previous = offset;
	}
}

function addGraphemeCuts(text: string, start: number, end: number, max: number, measure: Measure, breaks: Break[]): void {
	if (end - start <= max && measure(text.slice(start, end)) <= max) return;
	const word = text.slice(start, end);
	// Printable ASCII has a cluster boundary between every two characters; skip the (slow) segmenter.
	if (PRINTABLE_ASCII.test(word)) {
		for (let offset = start + 1; offset < end; offset++) breaks.push({ start: offset, end: offset, rank: BREAK_RANK.hardCut });
		return;
	}
	const starts = segmentStarts(graphemes, word);
	for (const [position, index] of starts.entries()) {
		const offset = start + index;
		const segment = word.slice(index, starts[position + 1] ?? word.length);
		if (offset > start) breaks.push({ start: offset, end: offset, rank: BREAK_RANK.hardCut });
		// A single cluster longer than a chunk (thousands of combining marks) can only be cut between code points.
		if (segment.length > 1 && measure(segment) > max) {
			let codePointStart = offset;
			for (const codePoint of segment) {
				if (codePointStart > offset) breaks.push({ start: codePointStart, end: codePointStart, rank: BREAK_RANK.hardCut });
				codePointStart += codePoint.length;
			}
		}
	}
}

/** Segments are found in windows this long (UTF-16 code units), of which the last WINDOW_MARGIN are read again in the next. */
const WINDOW = 256;
const WINDOW_MARGIN = 64;

/**
 * Where `segmenter`'s segments of `text` start (ascending, 0 first), found window by window: V8's
 * segment iterator takes time proportional to the whole string at every step, so one pass over a
 * 10,000-character run without spaces took over a second (quadratic). A boundary is taken only when it
 * lies at least WINDOW_MARGIN before the window's end (ICU decides a boundary from the text near it),
 * and the next window starts at the last one taken; a segment longer than a window gets a larger one.
 */
function segmentStarts(segmenter: Intl.Segmenter, text: string): number[] {
	const starts = [0];
	let from = 0;
	let size = WINDOW;
	while (from < text.length) {
		const to = Math.min(text.length, from + size);
		let taken = from;
		for (const { index } of segmenter.segment(text.slice(from, to))) {
			const at = from + index;
			if (at === from) continue;
			if (to < text.length && at > to - WINDOW_MARGIN) break;
			starts.push(at);
			taken = at;
		}
		if (to === text.length) break;
		if (taken === from) size *= 2;
		else [from, size] = [taken, WINDOW];
	}
	return starts;
}
