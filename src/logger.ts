import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Env } from './env.js';

export type { Logger };

/**
 * One JSON line per event (pretty when LOG_FORMAT=pretty). The token can reach a log only by
 * accident (an error carrying request options), so any field that may hold it is censored and the
 * literal token is scrubbed from messages as a last line of defence.
 */
export function createLogger(env: Pick<Env, 'logLevel' | 'logFormat' | 'discordToken'>): Logger {
	const token = env.discordToken;
	const options: pino.LoggerOptions = {
		level: env.logLevel,
		base: { pid: process.pid },
		redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization', 'discordToken'], censor: '[redacted]' },
		hooks: {
			logMethod(args, method) {
				method.apply(
					this,
					args.map((arg) => (typeof arg === 'string' && token && arg.includes(token) ? arg.replaceAll(token, '[redacted]') : arg)) as typeof args,
				);
			},
		},
		serializers: { err: (err: unknown) => scrub(pino.stdSerializers.err(err as Error), token) },
	};
	// Asynchronous writes: a slow log reader must not stall the gateway. pino flushes on exit.
	const stream = env.logFormat === 'pretty' ? pretty({ sync: true, ignore: 'pid,hostname' }) : pino.destination({ sync: false });
	return pino(options, stream);
}

function scrub<T>(value: T, token: string): T {
	if (!token) return value;
	return JSON.parse(JSON.stringify(value).replaceAll(token, '[redacted]')) as T;
}
