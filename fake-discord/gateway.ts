// The gateway: JSON over WebSocket, v10, no compression. It speaks the handshake discord.js
// (@discordjs/ws) expects — HELLO, IDENTIFY, READY + GUILD_CREATEs, heartbeats, RESUME with replay,
// INVALID_SESSION — and routes each dispatch to the session of the shard that owns the guild.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { FakeContext } from './context.js';
import { shardForGuild } from './snowflake.js';

const Op = {
	Dispatch: 0,
	Heartbeat: 1,
	Identify: 2,
	PresenceUpdate: 3,
	VoiceStateUpdate: 4,
	Resume: 6,
	Reconnect: 7,
	RequestGuildMembers: 8,
	InvalidSession: 9,
	Hello: 10,
	HeartbeatAck: 11,
} as const;

const CloseCode = {
	UnknownOpcode: 4001,
	DecodeError: 4002,
	NotAuthenticated: 4003,
	AuthenticationFailed: 4004,
	AlreadyAuthenticated: 4005,
	InvalidShard: 4010,
	ShardingRequired: 4011,
	InvalidApiVersion: 4012,
	InvalidIntents: 4013,
} as const;

/** Close codes after which Discord will not let the session be resumed. */
const sessionEndingCloseCodes = new Set([1000, 1001, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

/**
 * Events that only carry state. READY + GUILD_CREATE of the next session carry that state anyway,
 * so these are never queued for a session that does not exist yet.
 */
const stateEvents = new Set(['READY', 'RESUMED', 'GUILD_CREATE', 'GUILD_ROLE_CREATE', 'GUILD_ROLE_UPDATE', 'CHANNEL_UPDATE', 'THREAD_CREATE', 'THREAD_UPDATE', 'GUILD_MEMBERS_CHUNK']);

/** Callbacks for callers that care about delivery itself (interactions start their deadline on it). */
export interface DeliveryHooks {
	/** The payload was written to the bot's socket (first time only). */
	onWritten?: () => void;
	/** The session ended before the payload was ever written, so the bot will never see it. */
	onDropped?: () => void;
}

interface LogEntry {
	seq: number;
	event: string;
	text: string;
	sent: boolean;
	hooks: DeliveryHooks;
	/** Resolves the promise dispatch() returned, once. */
	settle: () => void;
}

interface PendingDispatch {
	event: string;
	data: unknown;
	guildId: string | null;
	intent: number;
	hooks: DeliveryHooks;
}

export class GatewaySession {
	readonly id = randomBytes(16).toString('hex');
	seq = 0;
	readonly log: LogEntry[] = [];
	connection: GatewayConnection | null = null;
	ended = false;

	constructor(
		readonly shardId: number,
		readonly shardCount: number,
		readonly intents: number,
	) {}
}

class GatewayConnection {
	session: GatewaySession | null = null;
	/** The fake closed it (dropConnection), so its close code says nothing about the client's intent. */
	closingByServer = false;
	heartbeatWaiters: Array<() => void> = [];

	constructor(
		readonly socket: WebSocket,
		readonly path: string,
	) {}

	get open(): boolean {
		return this.socket.readyState === WebSocket.OPEN;
	}
}

export class Gateway {
	private readonly server: WebSocketServer;
	private readonly sessions = new Map<string, GatewaySession>();
	private readonly connections = new Set<GatewayConnection>();
	private pending: PendingDispatch[] = [];
	/** Fires whenever a session becomes ready, resumes or goes away; waitForReady listens to it. */
	readonly changes = new EventEmitter();
	identifyCount = 0;
	resumeCount = 0;
	url = '';

	constructor(
		private readonly context: () => FakeContext,
		httpServer: Server,
	) {
		this.server = new WebSocketServer({ server: httpServer });
		this.server.on('connection', (socket, request) => this.onConnection(socket, request));
		// Errors of the shared HTTP server are handled there; ws only re-emits them.
		this.server.on('error', () => undefined);
	}

	private get ctx(): FakeContext {
		return this.context();
	}

	get resumeUrl(): string {
		return `${this.url}/resume`;
	}

	get connected(): boolean {
		for (const connection of this.connections) {
			if (connection.session && !connection.session.ended && connection.open) return true;
		}
		return false;
	}

	/** Every shard of the newest shard count has a connected session that finished READY or RESUMED. */
	get ready(): boolean {
		const connected = [...this.sessions.values()].filter((session) => !session.ended && session.connection?.open);
		const newest = connected.at(-1);
		if (!newest) return false;
		for (let shardId = 0; shardId < newest.shardCount; shardId += 1) {
			if (!connected.some((session) => session.shardCount === newest.shardCount && session.shardId === shardId)) return false;
		}
		return true;
	}

	/**
	 * Sends a dispatch to the session of the shard that owns `guildId` (shard 0 for DMs), unless the
	 * session's intents exclude it. The promise resolves once the payload is written to the bot's
	 * socket, or at once when the bot is not connected: then the event waits in the session's replay
	 * log for a RESUME (and is lost if the bot identifies afresh, as on Discord). Events for a shard
	 * that never had a session wait for its first one.
	 */
	dispatch(event: string, data: unknown, guildId: string | null, intent: number, hooks: DeliveryHooks = {}): Promise<void> {
		if (this.ctx.options.everySession) {
			const sessions = this.sessionsFor(guildId);
			// The interaction's deadline starts with the first delivery; it is dropped only if no session gets it.
			if (sessions.length > 1) {
				let written = false;
				let dropped = 0;
				const shared: DeliveryHooks = {
					onWritten: () => (written ? undefined : ((written = true), hooks.onWritten?.())),
					onDropped: () => (++dropped === sessions.length && !written ? hooks.onDropped?.() : undefined),
				};
				return Promise.all(sessions.map((session) => this.dispatchTo(session, event, data, intent, shared))).then(() => undefined);
			}
		}
		const session = this.sessionFor(guildId);
		if (session) return this.dispatchTo(session, event, data, intent, hooks);
		if (!stateEvents.has(event)) this.pending.push({ event, data, guildId, intent, hooks });
		return Promise.resolve();
	}

	/** Whether some session would receive events for this guild now (or on RESUME). */
	hasSessionFor(guildId: string | null): boolean {
		return this.sessionFor(guildId) !== null;
	}

	/** Every live session of the shard that owns `guildId` (everySession). */
	private sessionsFor(guildId: string | null): GatewaySession[] {
		return [...this.sessions.values()].filter((session) => !session.ended && (guildId === null ? 0 : shardForGuild(guildId, session.shardCount)) === session.shardId);
	}

	private sessionFor(guildId: string | null): GatewaySession | null {
		let newest: GatewaySession | null = null;
		for (const session of this.sessions.values()) {
			if (session.ended) continue;
			const shardId = guildId === null ? 0 : shardForGuild(guildId, session.shardCount);
			if (shardId === session.shardId) newest = session;
		}
		return newest;
	}

	private dispatchTo(session: GatewaySession, event: string, data: unknown, intent: number, hooks: DeliveryHooks = {}): Promise<void> {
		if (intent !== 0 && (session.intents & intent) === 0) return Promise.resolve();
		session.seq += 1;
		return new Promise<void>((resolve) => {
			let settled = false;
			const entry: LogEntry = {
				seq: session.seq,
				event,
				text: JSON.stringify({ op: Op.Dispatch, t: event, s: session.seq, d: data }),
				sent: false,
				hooks,
				settle: () => {
					if (settled) return;
					settled = true;
					resolve();
				},
			};
			session.log.push(entry);
			if (session.log.length > this.ctx.options.replayLimit) session.log.shift();
			if (session.connection?.open) this.write(session.connection, entry);
			else entry.settle();
		});
	}

	private write(connection: GatewayConnection, entry: LogEntry): void {
		if (!connection.open) {
			entry.settle();
			return;
		}
		connection.socket.send(entry.text, (error) => {
			if (!error && !entry.sent) {
				entry.sent = true;
				entry.hooks.onWritten?.();
			}
			entry.settle();
		});
	}

	private flushPending(): void {
		const waiting = this.pending;
		this.pending = [];
		for (const item of waiting) {
			const session = this.sessionFor(item.guildId);
			if (!session) {
				this.pending.push(item);
				continue;
			}
			void this.dispatchTo(session, item.event, item.data, item.intent, item.hooks);
		}
	}

	/** Ends a session. Events it never delivered are lost, as on Discord; their owners hear about it. */
	private endSession(session: GatewaySession): void {
		if (session.ended) return;
		session.ended = true;
		this.sessions.delete(session.id);
		if (session.connection) session.connection.session = null;
		session.connection = null;
		for (const entry of session.log) {
			if (!entry.sent) entry.hooks.onDropped?.();
			entry.settle();
		}
		session.log.length = 0;
		this.changes.emit('change');
	}

	// ---- connections -------------------------------------------------------------------------------

	private onConnection(socket: WebSocket, request: IncomingMessage): void {
		const url = new URL(request.url ?? '/', 'ws://127.0.0.1');
		const connection = new GatewayConnection(socket, url.pathname);
		this.connections.add(connection);
		socket.on('message', (data, isBinary) => this.onMessage(connection, data, isBinary));
		socket.on('close', (code) => this.onClose(connection, code));
		// A reset socket is just a dropped connection; 'close' follows.
		socket.on('error', () => undefined);

		if (url.searchParams.get('v') !== '10') {
			this.closeConnection(connection, CloseCode.InvalidApiVersion, 'Invalid API version.');
			return;
		}
		if ((url.searchParams.get('encoding') ?? 'json') !== 'json' || url.searchParams.has('compress')) {
			this.closeConnection(connection, CloseCode.DecodeError, 'fake-discord speaks JSON without transport compression only.');
			return;
		}
		this.sendOp(connection, { op: Op.Hello, d: { heartbeat_interval: this.ctx.options.heartbeatIntervalMs, _trace: ['["fake-discord-gateway"]'] }, s: null, t: null });
	}

	private onClose(connection: GatewayConnection, code: number): void {
		this.connections.delete(connection);
		for (const waiter of connection.heartbeatWaiters) waiter();
		connection.heartbeatWaiters = [];
		const session = connection.session;
		if (!session || session.connection !== connection) return;
		session.connection = null;
		// A client closing with 1000/1001 ends its session on Discord; anything else keeps it resumable.
		if (!connection.closingByServer && (code === 1000 || code === 1001)) this.endSession(session);
		this.changes.emit('change');
	}

	private sendOp(connection: GatewayConnection, payload: Record<string, unknown>): void {
		if (connection.open) connection.socket.send(JSON.stringify(payload));
	}

	private closeConnection(connection: GatewayConnection, code: number, reason: string): Promise<void> {
		connection.closingByServer = true;
		if (connection.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
		return new Promise((resolve) => {
			connection.socket.once('close', () => resolve());
			connection.socket.close(code, reason);
		});
	}

	private onMessage(connection: GatewayConnection, raw: RawData, isBinary: boolean): void {
		let payload: { op?: unknown; d?: unknown };
		try {
			if (isBinary) throw new Error('binary');
			payload = JSON.parse(rawToString(raw)) as { op?: unknown; d?: unknown };
		} catch {
			void this.closeConnection(connection, CloseCode.DecodeError, 'Error while decoding payload.');
			return;
		}
		const d = (typeof payload.d === 'object' && payload.d !== null ? payload.d : {}) as Record<string, unknown>;
		switch (payload.op) {
			case Op.Heartbeat: {
				this.sendOp(connection, { op: Op.HeartbeatAck });
				const waiters = connection.heartbeatWaiters;
				connection.heartbeatWaiters = [];
				for (const waiter of waiters) waiter();
				return;
			}
			case Op.Identify:
				this.onIdentify(connection, d);
				return;
			case Op.Resume:
				this.onResume(connection, d);
				return;
			case Op.PresenceUpdate:
			case Op.VoiceStateUpdate:
				if (!connection.session) void this.closeConnection(connection, CloseCode.NotAuthenticated, 'Not authenticated.');
				return;
			case Op.RequestGuildMembers:
				this.onRequestGuildMembers(connection, d);
				return;
			default:
				void this.closeConnection(connection, CloseCode.UnknownOpcode, 'Unknown opcode.');
		}
	}

	private tokenMatches(token: unknown): boolean {
		return typeof token === 'string' && token.replace(/^Bot\s+/i, '') === this.ctx.options.token;
	}

	/** IDENTIFY and RESUME alike: once per connection, with the right token, or Discord's close code. */
	private admits(connection: GatewayConnection, token: unknown): boolean {
		if (connection.session) {
			void this.closeConnection(connection, CloseCode.AlreadyAuthenticated, 'Already authenticated.');
			return false;
		}
		if (!this.tokenMatches(token)) {
			void this.closeConnection(connection, CloseCode.AuthenticationFailed, 'Authentication failed.');
			return false;
		}
		return true;
	}

	private onIdentify(connection: GatewayConnection, d: Record<string, unknown>): void {
		this.identifyCount += 1;
		if (!this.admits(connection, d.token)) return;
		if (typeof d.intents !== 'number') {
			void this.closeConnection(connection, CloseCode.InvalidIntents, 'Invalid intent(s).');
			return;
		}
		const shardField = Array.isArray(d.shard) ? d.shard : [0, 1];
		const shard: [number, number] = [Number(shardField[0]), Number(shardField[1])];
		if (!(Number.isInteger(shard[0]) && Number.isInteger(shard[1]) && shard[1] >= 1 && shard[0] >= 0 && shard[0] < shard[1])) {
			void this.closeConnection(connection, CloseCode.InvalidShard, 'Invalid shard.');
			return;
		}
		const { world, options, events } = this.ctx;
		const guilds = [...world.guilds.values()].filter((guild) => shard[1] === 1 || shardForGuild(guild.id, shard[1]) === shard[0]);
		if (options.maxGuildsPerShard > 0 && guilds.length > options.maxGuildsPerShard) {
			void this.closeConnection(connection, CloseCode.ShardingRequired, 'Sharding required.');
			return;
		}
		events.emit('identify', { shard, intents: d.intents, properties: d.properties });

		// A fresh IDENTIFY for a shard replaces whatever session that shard had (a restarted bot).
		for (const session of [...this.sessions.values()]) {
			if (options.everySession) break;
			if (session.shardId === shard[0] && session.shardCount === shard[1]) this.endSession(session);
		}
		const session = new GatewaySession(shard[0], shard[1], d.intents);
		this.sessions.set(session.id, session);
		session.connection = connection;
		connection.session = session;

		void this.dispatchTo(session, 'READY', {
			v: 10,
			user_settings: {},
			user: { ...world.renderUser(world.botUser), verified: true, mfa_enabled: false, email: null },
			guilds: guilds.map((guild) => ({ id: guild.id, unavailable: true })),
			session_id: session.id,
			session_type: 'normal',
			resume_gateway_url: this.resumeUrl,
			shard,
			application: { id: options.applicationId, flags: 0 },
			private_channels: [],
			relationships: [],
			presences: [],
			guild_join_requests: [],
			geo_ordered_rtc_regions: ['fake'],
			auth: {},
			_trace: ['["fake-discord-gateway"]'],
		}, 0);
		for (const guild of guilds) {
			void this.dispatchTo(session, 'GUILD_CREATE', world.renderGuild(guild, { forGateway: true }), 0);
		}
		events.emit('ready', { sessionId: session.id, shard, guildCount: guilds.length });
		this.flushPending();
		this.changes.emit('change');
	}

	private onResume(connection: GatewayConnection, d: Record<string, unknown>): void {
		this.resumeCount += 1;
		if (!this.admits(connection, d.token)) return;
		const sessionId = String(d.session_id ?? '');
		const seq = typeof d.seq === 'number' ? d.seq : 0;
		const session = this.sessions.get(sessionId);
		const oldestReplayable = session?.log[0]?.seq ?? (session ? session.seq + 1 : 0);
		const accepted = session !== undefined && !session.ended && seq <= session.seq && seq + 1 >= oldestReplayable;
		this.ctx.events.emit('resume', { sessionId, seq, accepted });
		if (!session || !accepted) {
			if (session) this.endSession(session);
			this.sendOp(connection, { op: Op.InvalidSession, d: false, s: null, t: null });
			return;
		}
		const previous = session.connection;
		if (previous && previous !== connection) {
			previous.session = null;
			void this.closeConnection(previous, 4000, 'Session resumed elsewhere.');
		}
		session.connection = connection;
		connection.session = session;
		for (const entry of session.log) {
			if (entry.seq > seq) this.write(connection, entry);
		}
		void this.dispatchTo(session, 'RESUMED', { _trace: ['["fake-discord-gateway"]'] }, 0);
		this.flushPending();
		this.changes.emit('change');
	}

	private onRequestGuildMembers(connection: GatewayConnection, d: Record<string, unknown>): void {
		const session = connection.session;
		if (!session) {
			void this.closeConnection(connection, CloseCode.NotAuthenticated, 'Not authenticated.');
			return;
		}
		const { world } = this.ctx;
		const guildIds = Array.isArray(d.guild_id) ? d.guild_id.map(String) : [String(d.guild_id)];
		const userIds = d.user_ids === undefined ? null : (Array.isArray(d.user_ids) ? d.user_ids : [d.user_ids]).map(String);
		for (const guildId of guildIds) {
			const guild = world.guilds.get(guildId);
			if (!guild) continue;
			const { members, notFound } = world.membersMatching(guild, {
				userIds,
				prefix: typeof d.query === 'string' && d.query.length > 0 ? d.query : null,
				limit: typeof d.limit === 'number' ? d.limit : 0,
			});
			void this.dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
				guild_id: guildId,
				members,
				chunk_index: 0,
				chunk_count: 1,
				...(notFound.length > 0 ? { not_found: notFound } : {}),
				...(d.nonce !== undefined ? { nonce: d.nonce } : {}),
			}, 0);
		}
	}

	// ---- test controls -------------------------------------------------------------------------------

	private connectionsFor(shardId: number | undefined): GatewayConnection[] {
		return [...this.connections].filter((connection) => connection.session && !connection.session.ended && (shardId === undefined || connection.session.shardId === shardId));
	}

	async dropConnection(code: number, shardId?: number): Promise<void> {
		const targets = this.connectionsFor(shardId);
		await Promise.all(targets.map((connection) => {
			const session = connection.session;
			if (session && sessionEndingCloseCodes.has(code)) this.endSession(session);
			return this.closeConnection(connection, code, 'fake-discord dropped the connection');
		}));
	}

	invalidateSession(resumable: boolean, shardId?: number): void {
		for (const connection of this.connectionsFor(shardId)) {
			const session = connection.session;
			this.sendOp(connection, { op: Op.InvalidSession, d: resumable, s: null, t: null });
			if (!resumable && session) this.endSession(session);
			else if (session) {
				// The client answers a resumable INVALID_SESSION with RESUME on the same socket.
				session.connection = null;
				connection.session = null;
			}
		}
	}

	requestReconnect(shardId?: number): void {
		for (const connection of this.connectionsFor(shardId)) this.sendOp(connection, { op: Op.Reconnect, d: null, s: null, t: null });
	}

	async requestHeartbeat(shardId?: number): Promise<void> {
		await Promise.all(this.connectionsFor(shardId).map((connection) => new Promise<void>((resolve) => {
			connection.heartbeatWaiters.push(resolve);
			this.sendOp(connection, { op: Op.Heartbeat, d: null });
		})));
	}

	async close(): Promise<void> {
		for (const connection of this.connections) connection.socket.terminate();
		this.connections.clear();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

function rawToString(raw: RawData): string {
	if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
	if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
	return raw.toString('utf8');
}
