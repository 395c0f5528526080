// Which backend a KEYV_URL names. A new backend is one file in src/store/ and one line here.
import type { Backend } from './backend.js';
import type { StoreKind } from './types.js';

/** Where the store lives when KEYV_URL is unset. */
export const DEFAULT_SQLITE_FILE = 'data/serial-fiction-bot.sqlite';

interface BackendEntry {
	kind: StoreKind;
	schemes: readonly string[];
	/** The target the backend is opened with, from the whole URL. */
	target(url: string, scheme: string): string;
	open(target: string, hooks: { onReconnected?: (() => void) | undefined }): Promise<Backend>;
}

const BACKENDS: readonly BackendEntry[] = [
	{
		kind: 'sqlite',
		schemes: ['sqlite'],
		target: (url) => {
			const file = url.slice('sqlite://'.length);
			if (file === '') throw new Error(`KEYV_URL sqlite:// needs a file path, e.g. sqlite://${DEFAULT_SQLITE_FILE}`);
			return file;
		},
		open: async (target) => (await import('./sqlite.js')).openSqliteBackend(target),
	},
	{ kind: 'redis', schemes: ['redis', 'rediss'], target: (url) => url, open: async (target, hooks) => (await import('./redis.js')).openRedisBackend(target, hooks.onReconnected) },
	{ kind: 'postgres', schemes: ['postgres', 'postgresql'], target: (url) => url, open: async (target) => (await import('./postgres.js')).openPostgresBackend(target) },
];

const ACCEPTED_SCHEMES = BACKENDS.flatMap((entry) => entry.schemes.map((scheme) => (scheme === 'sqlite' ? 'sqlite://PATH' : `${scheme}://`))).join(', ');

/** Which backend a KEYV_URL names; throws a one-line Error for anything else. */
export function parseStoreUrl(url: string | undefined): { kind: StoreKind; target: string } {
	if (url === undefined || url.trim() === '') return { kind: 'sqlite', target: DEFAULT_SQLITE_FILE };
	const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
	const entry = BACKENDS.find((candidate) => scheme !== undefined && candidate.schemes.includes(scheme));
	// Only the scheme is echoed: the rest of a URL may hold a password.
	if (!entry || !scheme) throw new Error(`KEYV_URL has unsupported scheme ${scheme ? `"${scheme}://"` : '(none)'}; use ${ACCEPTED_SCHEMES}, or leave it unset for ${DEFAULT_SQLITE_FILE}`);
	return { kind: entry.kind, target: entry.target(url, scheme) };
}

/** Opens the backend of a parsed URL (nothing connects yet except what the backend opens itself). */
export function openBackend(kind: StoreKind, target: string, hooks: { onReconnected?: (() => void) | undefined }): Promise<Backend> {
	const entry = BACKENDS.find((candidate) => candidate.kind === kind);
	if (!entry) throw new Error(`no store backend called ${kind}`);
	return entry.open(target, hooks);
}
