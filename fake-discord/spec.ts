// Discord's own OpenAPI description (discord/discord-api-spec, vendored in ./spec with its MIT
// licence) as the fake's contract: every JSON body a bot sends is checked against the operation's
// request schema and refused with 50035 like Discord would, and every 2xx answer the fake gives is
// checked against the response schema, so the fake cannot drift into shapes Discord never sends.
// Schemas are compiled once per process (per operation, on first use) and shared by every fake.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { FormErrorTree } from './errors.js';

type Json = Record<string, unknown>;

interface Operation {
	/** The spec's path template split on '/', e.g. ['channels', '{channel_id}', 'messages']. */
	segments: string[];
	method: string;
	operationId: string;
	request: Json | null;
	responses: Map<string, Json>;
	requestValidator?: ValidateFunction;
	responseValidators: Map<string, ValidateFunction>;
}

/** One response the fake sent that the spec does not allow: a bug in the fake. */
export interface SpecViolation {
	method: string;
	path: string;
	operationId: string;
	status: number;
	errors: string[];
}

// fake-discord/spec.ts runs from the source tree (vitest) or from dist/fake-discord/ (tsc output,
// which does not copy JSON): the vendored file sits next to the source either way.
function specPath(): string {
	const candidates = ['./spec/openapi.json', '../../fake-discord/spec/openapi.json'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
	const found = candidates.find((candidate) => existsSync(candidate));
	if (!found) throw new Error(`fake-discord: Discord's OpenAPI spec is missing (looked in ${candidates.join(', ')})`);
	return found;
}

interface Loaded {
	/** For requests: stops at the first problem (cheap), verbose so a length error can see both bounds. */
	requests: Ajv2020;
	/** For the fake's own answers: every problem at once, to fix the fake in one go. */
	responses: Ajv2020;
	operations: Operation[];
}

let shared: Loaded | null = null;

function newAjv(components: Json, options: { allErrors: boolean; verbose: boolean }): Ajv2020 {
	// strict: false because OpenAPI adds keywords JSON Schema does not know (description, x-discord-union).
	// inlineRefs: false compiles each shared component (embed, button, user…) once, as its own
	// function, and unoptimised code compiles faster: together they halve the first use of a route
	// (about 0.5 s for a message) at no measurable cost per check.
	const ajv = new Ajv2020({ strict: false, validateSchema: false, inlineRefs: false, code: { optimize: false }, ...options });
	const int = (min: number, max: number) => ({ type: 'number' as const, validate: (value: number) => Number.isInteger(value) && value >= min && value <= max });
	ajv.addFormat('int32', int(-(2 ** 31), 2 ** 31 - 1));
	ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
	ajv.addFormat('double', { type: 'number', validate: (value: number) => Number.isFinite(value) });
	ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
	ajv.addFormat('nonce', /^.{0,25}$/s);
	ajv.addFormat('date-time', { type: 'string', validate: (value: string) => !Number.isNaN(Date.parse(value)) });
	ajv.addFormat('uri', { type: 'string', validate: (value: string) => URL.canParse(value) });
	ajv.addSchema({ $id: 'discord', components });
	return ajv;
}

function load(): Loaded {
	if (shared) return shared;
	const spec = JSON.parse(readFileSync(specPath(), 'utf8')) as { paths: Record<string, Record<string, Json>>; components: Json };
	const operations: Operation[] = [];
	for (const [template, item] of Object.entries(spec.paths)) {
		for (const [method, raw] of Object.entries(item)) {
			if (method === 'parameters') continue;
			const operation = raw as { operationId: string; requestBody?: { content?: Record<string, { schema?: Json }> }; responses?: Record<string, { content?: Record<string, { schema?: Json }> }> };
			const responses = new Map<string, Json>();
			for (const [status, response] of Object.entries(operation.responses ?? {})) {
				const schema = response.content?.['application/json']?.schema;
				if (schema) responses.set(status, schema);
			}
			operations.push({
				segments: template.split('/').slice(1),
				method: method.toUpperCase(),
				operationId: operation.operationId,
				request: operation.requestBody?.content?.['application/json']?.schema ?? null,
				responses,
				responseValidators: new Map(),
			});
		}
	}
	shared = {
		requests: newAjv(spec.components, { allErrors: false, verbose: true }),
		responses: newAjv(spec.components, { allErrors: true, verbose: false }),
		operations,
	};
	return shared;
}

/** Refs inside the spec point at '#/components/...'; compiled on their own they must name the 'discord' document. */
function compile(ajv: Ajv2020, schema: Json): ValidateFunction {
	const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"discord#/components/')) as Json;
	return ajv.compile(rebased);
}

const operationByRoute = new Map<string, Operation | null>();

/**
 * The spec's operation for one of the fake's routes ('POST', '/channels/:channelId/messages'), or
 * null when the spec has none. Literal segments must be equal; ':param' matches '{param}'.
 */
export function operationFor(method: string, pattern: string): Operation | null {
	const key = `${method} ${pattern}`;
	const cached = operationByRoute.get(key);
	if (cached !== undefined) return cached;
	const segments = pattern.split('/').slice(1);
	const found =
		load().operations.find(
			(operation) =>
				operation.method === method &&
				operation.segments.length === segments.length &&
				operation.segments.every((segment, index) => {
					const ours = segments[index] ?? '';
					return segment.startsWith('{') ? ours.startsWith(':') : segment === ours;
				}),
		) ?? null;
	operationByRoute.set(key, found);
	return found;
}

/**
 * Checks a request body against the operation's request schema. Returns null when it passes (or
 * the operation takes no JSON body), else Discord's 50035 `errors` tree, e.g.
 * `{ embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_STRING', message }] } } } }`.
 */
export function checkRequest(operation: Operation, body: unknown): FormErrorTree | null {
	if (operation.request === null || body === null) return null;
	operation.requestValidator ??= compile(load().requests, operation.request);
	if (operation.requestValidator(body)) return null;
	return toFormErrors(operation.requestValidator.errors ?? [], body);
}

/** Checks a 2xx answer against the operation's response schema; the problems in words, or [] when it passes. */
export function checkResponse(operation: Operation, status: number, body: unknown): string[] {
	const schema = operation.responses.get(String(status));
	if (!schema) return [];
	let validator = operation.responseValidators.get(String(status));
	if (!validator) {
		validator = compile(load().responses, schema);
		operation.responseValidators.set(String(status), validator);
	}
	if (validator(body)) return [];
	return (validator.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`);
}

// Discord answers a union (a component, a callback type) by naming what is wrong inside the branch
// that fits, so of ajv's errors across union branches the deepest ones are kept; a branch's "must be
// null" and the union's own summary say nothing a bot author can act on.
function toFormErrors(errors: ErrorObject[], body: unknown): FormErrorTree {
	const useful = errors.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'anyOf' && !(error.keyword === 'type' && error.params.type === 'null'));
	const candidates = useful.length > 0 ? useful : errors;
	const depth = (error: ErrorObject): number => pathOf(error).length;
	const deepest = Math.max(...candidates.map(depth));
	const tree: FormErrorTree = {};
	const seen = new Set<string>();
	for (const error of candidates.filter((candidate) => depth(candidate) === deepest)) {
		const path = pathOf(error);
		const { code, message } = describe(error, valueAt(body, error.instancePath));
		const key = `${path.join('/')} ${code}`;
		if (seen.has(key)) continue;
		seen.add(key);
		let node = tree;
		for (const segment of path) {
			const next = node[segment];
			if (next === undefined || Array.isArray(next)) node = node[segment] = {};
			else node = next;
		}
		const list = Array.isArray(node._errors) ? node._errors : (node._errors = []);
		list.push({ code, message });
	}
	return tree;
}

function pathOf(error: ErrorObject): string[] {
	const segments = error.instancePath === '' ? [] : error.instancePath.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
	if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
	return segments;
}

function valueAt(body: unknown, pointer: string): unknown {
	let value = body;
	for (const segment of pointer === '' ? [] : pointer.split('/').slice(1)) {
		value = typeof value === 'object' && value !== null ? (value as Json)[segment] : undefined;
	}
	return value;
}

/** Discord's codes and wording for each kind of problem (as seen in real 50035 answers). */
function describe(error: ErrorObject, value: unknown): { code: string; message: string } {
	const shown = JSON.stringify(value) ?? String(value);
	const limit = Number(error.params.limit);
	const schema = (error.parentSchema ?? {}) as Json;
	const bounds = (min: unknown, max: unknown) => (typeof min === 'number' && typeof max === 'number' && min > 0 ? { code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` } : null);
	switch (error.keyword) {
		case 'required':
			return { code: 'BASE_TYPE_REQUIRED', message: 'This field is required' };
		// Discord says "between" when the field has both bounds (a row's 1 to 5 buttons, a custom_id's 1 to 100).
		case 'maxLength':
		case 'minLength':
			return bounds(schema.minLength, schema.maxLength) ?? (error.keyword === 'maxLength' ? { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${limit} or fewer in length.` } : { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${limit} or more in length.` });
		case 'maxItems':
		case 'minItems':
			return bounds(schema.minItems, schema.maxItems) ?? (error.keyword === 'maxItems' ? { code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${limit} or fewer in length.` } : { code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${limit} or more in length.` });
		case 'maximum':
			return { code: 'NUMBER_TYPE_MAX', message: `int value should be less than or equal to ${limit}.` };
		case 'minimum':
			return { code: 'NUMBER_TYPE_MIN', message: `int value should be greater than or equal to ${limit}.` };
		case 'enum':
		case 'const': {
			const allowed = (error.params.allowedValues as unknown[] | undefined) ?? [error.params.allowedValue];
			return { code: 'BASE_TYPE_CHOICES', message: `Value must be one of {${allowed.map((choice) => JSON.stringify(choice)).join(', ')}}.` };
		}
		case 'uniqueItems':
			return { code: 'SET_TYPE_ALREADY_CONTAINS_VALUE', message: 'The set already contains this value.' };
		case 'pattern':
		case 'format':
			return /snowflake|\[0-9\]/.test(String(error.params.pattern ?? error.params.format))
				? { code: 'NUMBER_TYPE_COERCE', message: `Value ${shown} is not snowflake.` }
				: { code: 'BASE_TYPE_INVALID', message: `Value ${shown} is not a valid ${String(error.params.format ?? 'value')}.` };
		case 'type': {
			const expected = String(error.params.type);
			if (expected.includes('string')) return { code: 'BASE_TYPE_STRING', message: 'Could not interpret the value as string.' };
			if (expected.includes('integer')) return { code: 'NUMBER_TYPE_COERCE', message: `Value ${shown} is not int.` };
			if (expected.includes('number')) return { code: 'NUMBER_TYPE_COERCE', message: `Value ${shown} is not a number.` };
			if (expected.includes('boolean')) return { code: 'BASE_TYPE_BOOLEAN', message: 'Must be either true or false.' };
			if (expected.includes('array')) return { code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' };
			return { code: 'MODEL_TYPE_CONVERT', message: 'Only dictionaries may be used in a ModelType' };
		}
		default:
			return { code: 'BASE_TYPE_INVALID', message: `Invalid value (${error.message ?? error.keyword}).` };
	}
}
