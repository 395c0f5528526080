// The HTTP side: /api/v10 routing, bot-token auth, JSON bodies, rate-limit headers on every answer
// (generous, so discord.js never waits unless a test injects a 429, or Discord's real limits when
// the fake is started with `rateLimits`: rate-limits.ts), fault injection, and a record of every
// request for tests to assert on.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeContext, RouteResult } from './context.js';
import { DiscordApiError, discordErrorMessage, ErrorCode, invalidFormBody } from './errors.js';
import { bucketHash, RateLimiter, type RateLimitHits } from './rate-limits.js';
import { buildRoutes, matchRoute, type Route } from './routes.js';
import { checkRequest, checkResponse, operationFor, type SpecViolation } from './spec.js';
import type { FailNextSpec, HeldRequest, HoldNextSpec, RecordedRequest } from './types.js';

const apiPrefix = '/api/v10';

interface FailureRule {
	method: string | null;
	path: RegExp;
	status: number;
	remaining: number;
	retryAfterSeconds: number;
	global: boolean;
	code: number | null;
}

interface HoldRule {
	method: string | null;
	path: RegExp;
	arrived(request: { method: string; path: string }): void;
	released: Promise<void>;
}

interface Answer extends RouteResult {
	headers?: Record<string, string>;
}

export class RestApi {
	readonly requests: RecordedRequest[] = [];
	/** Exceptions thrown by the fake itself (bugs in the fake, not Discord errors); answered with 500. */
	readonly internalErrors: Error[] = [];
	/** 2xx answers of the fake that Discord's OpenAPI spec does not allow (bugs in the fake, like internalErrors). */
	readonly specViolations: SpecViolation[] = [];
	private failures: FailureRule[] = [];
	private holds: HoldRule[] = [];
	/** Releases every hold (the fake is closing: nothing may stay unanswered). */
	private releaseAll: Array<() => void> = [];
	private readonly routes: Route[];
	/** Discord's global and per-route limits, when the fake was started with `rateLimits`. */
	private readonly limiter: RateLimiter | null;

	constructor(private readonly context: () => FakeContext) {
		this.routes = buildRoutes(context);
		const limits = context().options.rateLimits;
		this.limiter = limits === null ? null : new RateLimiter(limits);
	}

	/** The 429s the rate limits sent, by scope (injected ones not counted); zeros when limits are off. */
	get rateLimitHits(): RateLimitHits {
		return { ...(this.limiter?.hits ?? { global: 0, user: 0 }) };
	}

	private get ctx(): FakeContext {
		return this.context();
	}

	failNext(spec: FailNextSpec): void {
		this.failures.push({
			method: spec.method?.toUpperCase() ?? null,
			path: spec.path,
			status: spec.status,
			remaining: spec.times ?? 1,
			retryAfterSeconds: spec.retryAfterSeconds ?? 0.05,
			global: spec.global ?? false,
			code: spec.code ?? null,
		});
	}

	holdNext(spec: HoldNextSpec): HeldRequest {
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		let arrived!: (request: { method: string; path: string }) => void;
		const arrival = new Promise<{ method: string; path: string }>((resolve) => (arrived = resolve));
		this.holds.push({ method: spec.method?.toUpperCase() ?? null, path: spec.path, arrived, released });
		this.releaseAll.push(release);
		return { arrived: arrival, release };
	}

	/** Lets every held request be answered. */
	releaseHolds(): void {
		for (const release of this.releaseAll.splice(0)) release();
	}

	private takeHold(method: string, path: string): HoldRule | null {
		const rule = this.holds.find((candidate) => {
			if (candidate.method !== null && candidate.method !== method) return false;
			candidate.path.lastIndex = 0;
			return candidate.path.test(path);
		});
		if (rule) this.holds = this.holds.filter((candidate) => candidate !== rule);
		return rule ?? null;
	}

	private takeFailure(method: string, path: string): FailureRule | null {
		for (const rule of this.failures) {
			if (rule.method !== null && rule.method !== method) continue;
			rule.path.lastIndex = 0;
			if (!rule.path.test(path)) continue;
			rule.remaining -= 1;
			if (rule.remaining <= 0) this.failures = this.failures.filter((candidate) => candidate !== rule);
			return rule;
		}
		return null;
	}

	private failureAnswer(rule: FailureRule): Answer {
		if (rule.status === 429) {
			const retryAfter = String(rule.retryAfterSeconds);
			return {
				status: 429,
				body: { message: 'You are being rate limited.', retry_after: rule.retryAfterSeconds, global: rule.global },
				headers: {
					'retry-after': retryAfter,
					'x-ratelimit-limit': '5',
					'x-ratelimit-remaining': '0',
					'x-ratelimit-reset': ((Date.now() + rule.retryAfterSeconds * 1000) / 1000).toFixed(3),
					'x-ratelimit-reset-after': retryAfter,
					'x-ratelimit-scope': rule.global ? 'global' : 'user',
					...(rule.global ? { 'x-ratelimit-global': 'true' } : {}),
				},
			};
		}
		if (rule.status >= 500) return { status: rule.status, body: { message: discordErrorMessage(rule.status, 0), code: 0 } };
		const code = rule.code ?? (rule.status === 403 ? ErrorCode.MissingPermissions : 0);
		return { status: rule.status, body: { message: discordErrorMessage(rule.status, code), code } };
	}

	async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const receivedAt = Date.now();
		const chunks: Buffer[] = [];
		for await (const chunk of request) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks).toString('utf8');
		const url = new URL(request.url ?? '/', 'http://127.0.0.1');
		const method = (request.method ?? 'GET').toUpperCase();
		const underApi = url.pathname.startsWith(`${apiPrefix}/`);
		const segments = (underApi ? url.pathname.slice(apiPrefix.length) : url.pathname).split('/').slice(1).map(safeDecode);
		const path = `/${segments.join('/')}`;

		let body: unknown = null;
		let answer: Answer | null = null;
		let routeName: string | null = null;
		let injected = false;
		let limited: ReturnType<RateLimiter['take']> | null = null;

		const contentType = request.headers['content-type'] ?? '';
		if (rawBody.length > 0) {
			if (contentType.includes('multipart/form-data')) {
				answer = { status: 400, body: { message: 'fake-discord: multipart bodies (file uploads) are not supported', code: 0 } };
			} else {
				try {
					body = JSON.parse(rawBody) as unknown;
				} catch {
					answer = { status: 400, body: { message: discordErrorMessage(400, ErrorCode.InvalidJson), code: ErrorCode.InvalidJson } };
				}
			}
		}

		const hold = this.takeHold(method, path);
		if (hold) {
			hold.arrived({ method, path });
			await hold.released;
		}

		const match = underApi ? matchRoute(this.routes, method, segments) : null;
		if (match !== null && match !== 'method-not-allowed') routeName = `${match.route.method} ${match.route.pattern}`;

		if (!answer) {
			const rule = this.takeFailure(method, path);
			if (rule) {
				answer = this.failureAnswer(rule);
				injected = true;
			}
		}
		if (!answer) {
			if (match === null) {
				answer = { status: 404, body: { message: '404: Not Found', code: 0 } };
			} else if (match === 'method-not-allowed') {
				answer = { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
			} else if (match.route.auth && request.headers.authorization !== `Bot ${this.ctx.options.token}`) {
				answer = { status: 401, body: { message: '401: Unauthorized', code: 0 } };
			} else if ((limited = this.limiter?.take({ route: routeName!, params: match.params, token: match.route.auth ? this.ctx.options.token : null }, this.limiter.now()) ?? null) && !limited.allowed) {
				answer = { status: 429, body: limited.body, headers: limited.headers };
			} else {
				const routeRequest = { method, path, params: match.params, query: url.searchParams, body, receivedAt };
				const operation = operationFor(method, match.route.pattern);
				const formErrors = operation === null ? null : checkRequest(operation, body);
				try {
					if (formErrors !== null) {
						const refusal = invalidFormBody(formErrors);
						this.ctx.interactions.recordRefused(routeRequest, refusal);
						throw refusal;
					}
					answer = match.route.handler(routeRequest);
					if (operation !== null && answer.status < 300 && answer.body !== undefined) {
						const problems = checkResponse(operation, answer.status, answer.body);
						if (problems.length > 0) {
							this.specViolations.push({ method, path, operationId: operation.operationId, status: answer.status, errors: problems });
							console.error(`fake-discord: ${method} ${path} answered outside Discord's spec (${operation.operationId}): ${problems.join('; ')}`);
						}
					}
				} catch (error) {
					if (error instanceof DiscordApiError) {
						answer = { status: error.status, body: error.body };
					} else {
						const failure = error instanceof Error ? error : new Error(String(error));
						this.internalErrors.push(failure);
						console.error(`fake-discord: ${method} ${path} crashed inside the fake:`, failure);
						answer = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
					}
				}
			}
		}

		const recorded: RecordedRequest = {
			method,
			path,
			route: routeName,
			query: Object.fromEntries(url.searchParams),
			body,
			status: answer.status,
			response: answer.body ?? null,
			injected,
			at: Date.now(),
		};
		this.requests.push(recorded);
		this.ctx.events.emit('request', recorded);

		// With limits on, an answer carries its bucket's headers (a global 429 only the global ones).
		const generous: Record<string, string> = this.limiter
			? {}
			: {
					'x-ratelimit-limit': '10000',
					'x-ratelimit-remaining': '9999',
					'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
					'x-ratelimit-reset-after': '1.000',
					'x-ratelimit-bucket': bucketHash(routeName ?? path),
				};
		const headers: Record<string, string> = {
			...generous,
			via: '1.1 fake-discord',
			...(limited?.allowed ? limited.headers : {}),
			...answer.headers,
		};
		if (answer.status === 204 || answer.body === undefined) {
			response.writeHead(answer.status, headers);
			response.end();
			return;
		}
		const text = JSON.stringify(answer.body);
		response.writeHead(answer.status, { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
		response.end(text);
	}
}

function safeDecode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		return segment;
	}
}
