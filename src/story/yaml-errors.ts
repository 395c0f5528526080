// What a YAML syntax error in front matter means for an author, and where to point: the line
// that opened what YAML could not close, in words about that line (front-matter.ts reads the YAML).

/** The nearest line at or before `index` whose value opens a flow collection or a quote it does not close. */
export function lastUnclosedAtOrBefore(lines: readonly string[], index: number): number | undefined {
	for (let line = Math.min(index, lines.length - 1); line >= 0; line--) {
		const value = /^[^\s#][^:]*:[ \t]+(.*)$/u.exec(lines[line] ?? '')?.[1]?.trim() ?? '';
		const depth = (value.match(/[[{]/gu)?.length ?? 0) - (value.match(/[\]}]/gu)?.length ?? 0);
		const quote = value[0];
		const openQuote = (quote === '"' || quote === "'") && (value.length === 1 || !value.endsWith(quote));
		if (depth > 0 || openQuote) return line;
	}
	return undefined;
}

/** The lines `[from, to)` of the top-level entry holding line `index`: from its key line to the next one. */
export function entryAround(lines: readonly string[], index: number): [number, number] {
	const isKeyLine = (line: string): boolean => /^[^\s#-]/u.test(line);
	let from = index;
	while (from > 0 && !isKeyLine(lines[from] ?? '')) from -= 1;
	let to = index + 1;
	while (to < lines.length && !isKeyLine(lines[to] ?? '')) to += 1;
	return [from, to];
}

/**
 * The author's words for a YAML error on `line`, by the `yaml` package's error code (its ErrorCode
 * type). A quote the value never closes is said as such: YAML reads on past the line looking for it,
 * and its own error (MISSING_CHAR, "Missing closing quote", or whatever the next quote runs into)
 * comes lines later and says nothing of where the quote opened.
 */
export function yamlMessage(code: string, message: string, line: string): string {
	const reason = message.split(' at line ')[0] ?? message;
	const unclosed = unclosedQuote(line);
	if (unclosed !== undefined) {
		return `this quote is never closed: the value of "${unclosed.key}" starts with ${unclosed.quote} but does not end with one (close it at the end of the line: ${unclosed.key}: ${unclosed.quote}${unclosed.value}${unclosed.quote})`;
	}
	const colonValue = /^\s*[\w-]+:\s+\S.*?:\s/u.test(line);
	if (colonValue || code === 'BLOCK_AS_IMPLICIT_KEY') {
		// The author's own line, quoted, when that is all it takes.
		const plain = /^\s*([\w-]+):\s+(\S.*?)\s*$/u.exec(line);
		if (colonValue && plain && !plain[2]!.includes('"')) return `a value containing ": " must be in quotes: ${plain[1]}: "${plain[2]}" (YAML: ${reason})`;
		return `a value containing ": " must be in quotes, e.g. title: "Foo: Bar" (YAML: ${reason})`;
	}
	if (code === 'MULTILINE_IMPLICIT_KEY' || (/^\S/u.test(line) && !line.includes(':'))) {
		return `expected "key: value" in the front matter, found ${quoteExcerpt(line)}`;
	}
	if (code === 'BAD_SCALAR_START') return `${reason}: put the value in quotes (YAML)`;
	return `${reason} (YAML; see story/README.md for the front matter format)`;
}

/** `key: "value` whose value opens a quote it does not close on the line (a quote inside it is YAML's doubled `''` or `\\"`). */
function unclosedQuote(line: string): { key: string; quote: string; value: string } | undefined {
	const match = /^([^\s#][^:]*):[ \t]+(["'])(.*)$/u.exec(line);
	if (!match) return undefined;
	const [, key, quote, rest] = match as unknown as [string, string, string, string];
	const body = quote === '"' ? rest.replace(/\\./gu, '') : rest.replaceAll("''", '');
	return body.includes(quote) ? undefined : { key: key.trim(), quote, value: rest.trim() };
}

export function quoteExcerpt(line: string): string {
	const excerpt = line.length > 40 ? `${line.slice(0, 40)}…` : line;
	return `"${excerpt}"`;
}
