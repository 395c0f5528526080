/** The JSON error codes the fake answers with, named as in Discord's docs. */
export const ErrorCode = {
	General: 0,
	UnknownChannel: 10003,
	UnknownGuild: 10004,
	UnknownMember: 10007,
	UnknownRole: 10011,
	UnknownMessage: 10008,
	UnknownUser: 10013,
	UnknownEmoji: 10014,
	UnknownWebhook: 10015,
	UnknownApplicationCommand: 10063,
	UnknownInteraction: 10062,
	ChannelSendRateLimit: 20028,
	MaximumReactions: 30010,
	Unauthorized: 40001,
	NotApplicationOwner: 20012,
	InteractionAlreadyAcknowledged: 40060,
	CannotSendInForumChannel: 40058,
	MissingAccess: 50001,
	CannotEditOthersMessage: 50005,
	EmptyMessage: 50006,
	CannotSendInNonTextChannel: 50008,
	MissingPermissions: 50013,
	CannotExecuteOnChannelType: 50024,
	InvalidWebhookToken: 50027,
	ThreadArchived: 50083,
	InvalidFormBody: 50035,
	InvalidJson: 50109,
	ThreadLocked: 160005,
	ThreadAlreadyCreated: 160004,
	BlockedByAutoMod: 200000,
	BlockedByHarmfulLinksFilter: 240000,
} as const;

const messageForCode: Record<number, string> = {
	[ErrorCode.UnknownChannel]: 'Unknown Channel',
	[ErrorCode.UnknownGuild]: 'Unknown Guild',
	[ErrorCode.UnknownMember]: 'Unknown Member',
	[ErrorCode.UnknownRole]: 'Unknown Role',
	[ErrorCode.ThreadAlreadyCreated]: 'A thread has already been created for this message',
	[ErrorCode.UnknownMessage]: 'Unknown Message',
	[ErrorCode.UnknownUser]: 'Unknown User',
	[ErrorCode.UnknownEmoji]: 'Unknown Emoji',
	[ErrorCode.UnknownWebhook]: 'Unknown Webhook',
	[ErrorCode.UnknownApplicationCommand]: 'Unknown application command',
	[ErrorCode.UnknownInteraction]: 'Unknown interaction',
	[ErrorCode.MaximumReactions]: 'Maximum number of reactions reached (20)',
	[ErrorCode.NotApplicationOwner]: 'You are not authorized to perform this action on this application',
	[ErrorCode.InteractionAlreadyAcknowledged]: 'Interaction has already been acknowledged.',
	[ErrorCode.MissingAccess]: 'Missing Access',
	[ErrorCode.CannotEditOthersMessage]: 'Cannot edit a message authored by another user',
	[ErrorCode.EmptyMessage]: 'Cannot send an empty message',
	[ErrorCode.CannotSendInNonTextChannel]: 'Cannot send messages in a non-text channel',
	[ErrorCode.MissingPermissions]: 'Missing Permissions',
	[ErrorCode.InvalidWebhookToken]: 'Invalid Webhook Token',
	[ErrorCode.ThreadArchived]: 'Thread is archived',
	[ErrorCode.ThreadLocked]: 'Thread is locked',
	[ErrorCode.InvalidFormBody]: 'Invalid Form Body',
	[ErrorCode.InvalidJson]: 'The request body contains invalid JSON.',
	[ErrorCode.ChannelSendRateLimit]: 'This action cannot be performed due to channel send rate limit',
	[ErrorCode.CannotSendInForumChannel]: 'Cannot send a message in a forum channel',
	[ErrorCode.CannotExecuteOnChannelType]: 'Cannot execute action on this channel type',
	[ErrorCode.BlockedByAutoMod]: 'Message was blocked by automatic moderation',
	[ErrorCode.BlockedByHarmfulLinksFilter]: 'Message blocked by harmful links filter',
};

export function discordErrorMessage(status: number, code: number): string {
	return messageForCode[code] ?? `${status}: ${httpStatusText(status)}`;
}

function httpStatusText(status: number): string {
	const texts: Record<number, string> = {
		400: 'Bad Request',
		401: 'Unauthorized',
		403: 'Forbidden',
		404: 'Not Found',
		405: 'Method Not Allowed',
		429: 'Too Many Requests',
		500: 'Internal Server Error',
		502: 'Bad Gateway',
		503: 'Service Unavailable',
	};
	return texts[status] ?? 'Error';
}

/** Thrown by route handlers; the REST layer turns it into Discord's error JSON. */
export class DiscordApiError extends Error {
	readonly status: number;
	readonly code: number;
	readonly body: Record<string, unknown>;

	constructor(status: number, code: number, extra: Record<string, unknown> = {}) {
		const message = discordErrorMessage(status, code);
		super(`${status} ${code} ${message}`);
		this.status = status;
		this.code = code;
		this.body = { message, code, ...extra };
	}
}

/** A nested `{ field: { _errors: [...] } }` tree, Discord's shape for 50035 details. */
export type FormErrorTree = { [field: string]: FormErrorTree | Array<{ code: string; message: string }> };

export function invalidFormBody(errors: FormErrorTree): DiscordApiError {
	return new DiscordApiError(400, ErrorCode.InvalidFormBody, { errors });
}

/** Collects 50035 problems at paths like ['embeds', 0, 'description']. */
export class FormErrors {
	readonly tree: FormErrorTree = {};
	private count = 0;

	add(path: Array<string | number>, code: string, message: string): void {
		let node: FormErrorTree = this.tree;
		for (const segment of path) {
			const key = String(segment);
			const next = node[key];
			if (next === undefined || Array.isArray(next)) {
				const created: FormErrorTree = {};
				node[key] = created;
				node = created;
			} else {
				node = next;
			}
		}
		const existing = node._errors;
		const errors = Array.isArray(existing) ? existing : [];
		errors.push({ code, message });
		node._errors = errors;
		this.count += 1;
	}

	maxLength(path: Array<string | number>, value: unknown, max: number): void {
		if (typeof value === 'string' && value.length > max) {
			this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
		}
	}

	get empty(): boolean {
		return this.count === 0;
	}

	throwIfAny(): void {
		if (!this.empty) throw invalidFormBody(this.tree);
	}
}
