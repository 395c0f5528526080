// Discord's payload limits, checked the way Discord does so that a bot which passes here does not
// meet its first 50035 in production. Lengths are JS string lengths (UTF-16 code units), which
// is what the tests promise to count. Every body first passes Discord's OpenAPI spec (spec.ts);
// these checks add the rules the spec cannot say (embed totals, duplicate custom_ids, layout) and
// those where Discord's documentation is stricter than the spec (marked below).
import { ErrorCode, DiscordApiError, FormErrors } from './errors.js';
import type { FakeAllowedMentions, FakeComponent } from './types.js';

export const MessageFlag = {
	SuppressEmbeds: 1 << 2,
	Ephemeral: 1 << 6,
	Loading: 1 << 7,
	SuppressNotifications: 1 << 12,
	IsComponentsV2: 1 << 15,
} as const;

export const Limits = {
	// The spec allows 4000 (Nitro users' limit); a bot's messages are held to 2000 per
	// https://discord.com/developers/docs/resources/message#create-message-jsonform-params.
	content: 2000,
	embeds: 10,
	embedTitle: 256,
	embedDescription: 4096,
	embedFields: 25,
	embedFieldName: 256,
	embedFieldValue: 1024,
	embedFooterText: 2048,
	embedAuthorName: 256,
	embedTotal: 6000,
	actionRows: 5,
	rowComponents: 5,
	customId: 100,
	buttonLabel: 80,
	selectPlaceholder: 150,
	selectOptions: 25,
	allowedMentionIds: 100,
	autocompleteChoices: 25,
	choiceName: 100,
	// The spec leaves autocomplete choice values unbounded; the docs cap string values at 100
	// (https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-option-choice-structure).
	choiceValue: 100,
} as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringLength(value: unknown): number {
	return typeof value === 'string' ? value.length : 0;
}

/** Validates the message fields present in `body` (a create, an edit, or an interaction callback's data). */
export function validateMessageFields(body: Json, errors: FormErrors): void {
	const flags = typeof body.flags === 'number' ? body.flags : 0;
	const componentsV2 = (flags & MessageFlag.IsComponentsV2) !== 0;

	if (body.content !== undefined && body.content !== null) {
		if (typeof body.content !== 'string') {
			errors.add(['content'], 'BASE_TYPE_STRING', 'Could not interpret the value as string.');
		} else {
			errors.maxLength(['content'], body.content, Limits.content);
			if (componentsV2 && body.content.length > 0) {
				errors.add(['content'], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The \'content\' field cannot be used when using MessageFlags.IS_COMPONENTS_V2');
			}
		}
	}

	if (body.embeds !== undefined && body.embeds !== null) {
		validateEmbeds(body.embeds, errors);
		if (componentsV2 && Array.isArray(body.embeds) && body.embeds.length > 0) {
			errors.add(['embeds'], 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2', 'The \'embeds\' field cannot be used when using MessageFlags.IS_COMPONENTS_V2');
		}
	}

	if (body.components !== undefined && body.components !== null) {
		if (componentsV2) validateComponentsV2(body.components, errors);
		else validateActionRows(body.components, errors);
	}

	if (body.allowed_mentions !== undefined && body.allowed_mentions !== null) {
		validateAllowedMentions(body.allowed_mentions, errors);
	}
}

function validateEmbeds(embeds: unknown, errors: FormErrors): void {
	if (!Array.isArray(embeds)) {
		errors.add(['embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
		return;
	}
	if (embeds.length > Limits.embeds) {
		errors.add(['embeds'], 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.embeds} or fewer in length.`);
	}
	let totalCharacters = 0;
	embeds.forEach((embed: unknown, index) => {
		if (!isObject(embed)) {
			errors.add(['embeds', index], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
			return;
		}
		errors.maxLength(['embeds', index, 'title'], embed.title, Limits.embedTitle);
		errors.maxLength(['embeds', index, 'description'], embed.description, Limits.embedDescription);
		totalCharacters += stringLength(embed.title) + stringLength(embed.description);

		if (embed.footer !== undefined && embed.footer !== null) {
			const footer = isObject(embed.footer) ? embed.footer : {};
			if (typeof footer.text !== 'string' || footer.text.length === 0) {
				errors.add(['embeds', index, 'footer', 'text'], 'BASE_TYPE_REQUIRED', 'This field is required');
			}
			errors.maxLength(['embeds', index, 'footer', 'text'], footer.text, Limits.embedFooterText);
			totalCharacters += stringLength(footer.text);
		}
		if (embed.author !== undefined && embed.author !== null) {
			const author = isObject(embed.author) ? embed.author : {};
			if (typeof author.name !== 'string' || author.name.length === 0) {
				errors.add(['embeds', index, 'author', 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
			}
			errors.maxLength(['embeds', index, 'author', 'name'], author.name, Limits.embedAuthorName);
			totalCharacters += stringLength(author.name);
		}
		if (embed.fields !== undefined && embed.fields !== null) {
			if (!Array.isArray(embed.fields)) {
				errors.add(['embeds', index, 'fields'], 'BASE_TYPE_ARRAY', 'Must be an array.');
			} else {
				if (embed.fields.length > Limits.embedFields) {
					errors.add(['embeds', index, 'fields'], 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.embedFields} or fewer in length.`);
				}
				embed.fields.forEach((field: unknown, fieldIndex) => {
					const entry = isObject(field) ? field : {};
					for (const [key, max] of [['name', Limits.embedFieldName], ['value', Limits.embedFieldValue]] as const) {
						const value = entry[key];
						if (typeof value !== 'string' || value.length === 0) {
							errors.add(['embeds', index, 'fields', fieldIndex, key], 'BASE_TYPE_REQUIRED', 'This field is required');
						}
						errors.maxLength(['embeds', index, 'fields', fieldIndex, key], value, max);
						totalCharacters += stringLength(value);
					}
				});
			}
		}
		if (embed.color !== undefined && embed.color !== null) {
			if (typeof embed.color !== 'number' || !Number.isInteger(embed.color) || embed.color < 0 || embed.color > 0xffffff) {
				errors.add(['embeds', index, 'color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
			}
		}
	});
	if (totalCharacters > Limits.embedTotal) {
		errors.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${Limits.embedTotal}`);
	}
}

const selectMenuTypes = new Set([3, 5, 6, 7, 8]);

function validateActionRows(components: unknown, errors: FormErrors): void {
	if (!Array.isArray(components)) {
		errors.add(['components'], 'BASE_TYPE_ARRAY', 'Must be an array.');
		return;
	}
	if (components.length > Limits.actionRows) {
		errors.add(['components'], 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.actionRows} or fewer in length.`);
	}
	const seenCustomIds = new Set<string>();
	components.forEach((row: unknown, rowIndex) => {
		if (!isObject(row) || row.type !== 1) {
			errors.add(['components', rowIndex, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
			return;
		}
		const children = row.components;
		if (!Array.isArray(children) || children.length < 1 || children.length > Limits.rowComponents) {
			errors.add(['components', rowIndex, 'components'], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${Limits.rowComponents} in length.`);
			return;
		}
		const hasSelect = children.some((child: unknown) => isObject(child) && selectMenuTypes.has(child.type as number));
		if (hasSelect && children.length > 1) {
			errors.add(['components', rowIndex, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
		}
		children.forEach((child: unknown, childIndex) => {
			validateInteractiveComponent(child, ['components', rowIndex, 'components', childIndex], errors, seenCustomIds);
		});
	});
}

function validateInteractiveComponent(component: unknown, path: Array<string | number>, errors: FormErrors, seenCustomIds: Set<string>): void {
	if (!isObject(component)) {
		errors.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
		return;
	}
	const customId = component.custom_id;
	if (typeof customId === 'string') {
		errors.maxLength([...path, 'custom_id'], customId, Limits.customId);
		if (seenCustomIds.has(customId)) {
			errors.add([...path, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
		}
		seenCustomIds.add(customId);
	}
	if (component.type === 2) {
		const style = component.style;
		if (typeof style !== 'number' || style < 1 || style > 6) {
			errors.add([...path, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6}.');
		} else if (style === 5) {
			if (typeof component.url !== 'string') errors.add([...path, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
			if (customId !== undefined) errors.add([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_AND_URL_INVALID', 'A custom id and url cannot both be specified');
		} else if (style !== 6 && typeof customId !== 'string') {
			errors.add([...path, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
		}
		errors.maxLength([...path, 'label'], component.label, Limits.buttonLabel);
		if (component.label === undefined && component.emoji === undefined && style !== 6) {
			errors.add([...path], 'BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED', 'A label or emoji is required');
		}
	} else if (selectMenuTypes.has(component.type as number)) {
		if (typeof customId !== 'string') errors.add([...path, 'custom_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
		errors.maxLength([...path, 'placeholder'], component.placeholder, Limits.selectPlaceholder);
		if (component.type === 3) {
			const options = component.options;
			if (!Array.isArray(options) || options.length < 1 || options.length > Limits.selectOptions) {
				errors.add([...path, 'options'], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${Limits.selectOptions} in length.`);
			}
		}
	}
}

// Components v2 nest freely (containers, sections with accessories); only the rules that catch
// real bugs are checked: custom_id length and uniqueness, plus the interactive components' own rules.
function validateComponentsV2(components: unknown, errors: FormErrors): void {
	if (!Array.isArray(components) || components.length === 0) {
		errors.add(['components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 40 in length.');
		return;
	}
	const seenCustomIds = new Set<string>();
	const walk = (component: unknown, path: Array<string | number>): void => {
		if (!isObject(component)) return;
		if (component.type === 2 || selectMenuTypes.has(component.type as number)) {
			validateInteractiveComponent(component, path, errors, seenCustomIds);
		}
		if (Array.isArray(component.components)) {
			component.components.forEach((child: unknown, index) => walk(child, [...path, 'components', index]));
		}
		if (component.accessory !== undefined) walk(component.accessory, [...path, 'accessory']);
	};
	components.forEach((component: unknown, index) => walk(component, ['components', index]));
}

function validateAllowedMentions(allowed: unknown, errors: FormErrors): void {
	if (!isObject(allowed)) {
		errors.add(['allowed_mentions'], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
		return;
	}
	const parse = Array.isArray(allowed.parse) ? allowed.parse : [];
	for (const [index, kind] of parse.entries()) {
		if (kind !== 'everyone' && kind !== 'users' && kind !== 'roles') {
			errors.add(['allowed_mentions', 'parse', index], 'BASE_TYPE_CHOICES', 'Value must be one of (\'roles\', \'users\', \'everyone\').');
		}
	}
	for (const kind of ['users', 'roles'] as const) {
		const ids = allowed[kind];
		if (Array.isArray(ids)) {
			if (ids.length > Limits.allowedMentionIds) {
				errors.add(['allowed_mentions', kind], 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.allowedMentionIds} or fewer in length.`);
			}
			if (ids.length > 0 && parse.includes(kind)) {
				errors.add(['allowed_mentions'], 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`);
			}
		}
	}
}

/** Discord's 50006: a message needs content, an embed, a component, a sticker, a file or a poll. */
export function assertNotEmpty(message: { content: string; embeds: unknown[]; components: unknown[] }, body: Json): void {
	const hasStickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
	const hasAttachments = Array.isArray(body.attachments) && body.attachments.length > 0;
	const hasPoll = isObject(body.poll);
	if (message.content.length === 0 && message.embeds.length === 0 && message.components.length === 0 && !hasStickers && !hasAttachments && !hasPoll) {
		throw new DiscordApiError(400, ErrorCode.EmptyMessage);
	}
}

export function toAllowedMentions(value: unknown): FakeAllowedMentions | null {
	if (!isObject(value)) return null;
	const allowed: FakeAllowedMentions = {};
	if (Array.isArray(value.parse)) allowed.parse = value.parse.filter((kind): kind is 'everyone' | 'users' | 'roles' => kind === 'everyone' || kind === 'users' || kind === 'roles');
	if (Array.isArray(value.users)) allowed.users = value.users.map(String);
	if (Array.isArray(value.roles)) allowed.roles = value.roles.map(String);
	if (typeof value.replied_user === 'boolean') allowed.replied_user = value.replied_user;
	return allowed;
}

export interface MentionResult {
	mention_everyone: boolean;
	mentions: string[];
	mention_roles: string[];
}

/**
 * Who a message pings, as Discord resolves it: without allowed_mentions everything in the content
 * pings; with it, only the `parse` kinds and the listed ids do (so `{ parse: [] }` pings nobody).
 * A reply pings the replied-to author unless `replied_user: false` (default false once
 * allowed_mentions is given).
 */
export function computeMentions(content: string, allowed: FakeAllowedMentions | null, repliedUserId: string | null): MentionResult {
	const parse = allowed === null ? ['everyone', 'users', 'roles'] : (allowed.parse ?? []);
	const explicitUsers = new Set(allowed?.users ?? []);
	const explicitRoles = new Set(allowed?.roles ?? []);

	const mentionedUsers = [...content.matchAll(/<@!?(\d{15,21})>/g)].map((match) => match[1] ?? '');
	const mentionedRoles = [...content.matchAll(/<@&(\d{15,21})>/g)].map((match) => match[1] ?? '');

	const mentions = unique(mentionedUsers.filter((id) => parse.includes('users') || explicitUsers.has(id)));
	const repliedUserPinged = repliedUserId !== null && (allowed === null ? true : allowed.replied_user === true);
	if (repliedUserPinged && repliedUserId !== null && !mentions.includes(repliedUserId)) mentions.push(repliedUserId);

	return {
		mention_everyone: parse.includes('everyone') && /@(everyone|here)/.test(content),
		mentions,
		mention_roles: unique(mentionedRoles.filter((id) => parse.includes('roles') || explicitRoles.has(id))),
	};
}

function unique(values: string[]): string[] {
	return [...new Set(values)];
}

/** The choices of an autocomplete callback (type 8). */
export function validateAutocompleteChoices(data: unknown): void {
	const errors = new FormErrors();
	const choices = isObject(data) ? data.choices : undefined;
	if (!Array.isArray(choices)) {
		errors.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
	} else {
		if (choices.length > Limits.autocompleteChoices) {
			errors.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', `Must be ${Limits.autocompleteChoices} or fewer in length.`);
		}
		choices.forEach((choice: unknown, index) => {
			const entry = isObject(choice) ? choice : {};
			if (typeof entry.name !== 'string' || entry.name.length < 1 || entry.name.length > Limits.choiceName) {
				errors.add(['data', 'choices', index, 'name'], 'BASE_TYPE_BAD_LENGTH', `Must be between 1 and ${Limits.choiceName} in length.`);
			}
			if (typeof entry.value === 'string') errors.maxLength(['data', 'choices', index, 'value'], entry.value, Limits.choiceValue);
			else if (typeof entry.value !== 'number') errors.add(['data', 'choices', index, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
		});
	}
	errors.throwIfAny();
}

const commandNamePattern = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Application command definitions (PUT/POST /applications/:app/.../commands). */
export function validateCommands(commands: unknown[], errors: FormErrors, bulk: boolean): void {
	const seenNames = new Set<string>();
	commands.forEach((command: unknown, index) => {
		// Bulk overwrite errors are keyed by index; a single create's errors sit at the top level.
		const path: Array<string | number> = bulk ? [index] : [];
		if (!isObject(command)) {
			errors.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
			return;
		}
		const type = typeof command.type === 'number' ? command.type : 1;
		const name = command.name;
		if (typeof name !== 'string' || !commandNamePattern.test(name) || (type === 1 && name !== name.toLowerCase())) {
			errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
		} else {
			const key = `${type}:${name}`;
			if (seenNames.has(key)) errors.add([...path, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
			seenNames.add(key);
		}
		if (type === 1) {
			const description = command.description;
			if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
				errors.add([...path, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
			}
		}
		if (command.options !== undefined && command.options !== null) validateCommandOptions(command.options, [...path, 'options'], errors);
	});
}

function validateCommandOptions(options: unknown, path: Array<string | number>, errors: FormErrors): void {
	if (!Array.isArray(options)) {
		errors.add(path, 'BASE_TYPE_ARRAY', 'Must be an array.');
		return;
	}
	if (options.length > 25) errors.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
	const seenNames = new Set<string>();
	let sawOptional = false;
	options.forEach((option: unknown, index) => {
		if (!isObject(option)) return;
		const name = option.name;
		if (typeof name !== 'string' || !commandNamePattern.test(name) || name !== name.toLowerCase()) {
			errors.add([...path, index, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
		} else if (seenNames.has(name)) {
			errors.add([...path, index, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
		} else {
			seenNames.add(name);
		}
		const description = option.description;
		if (typeof description !== 'string' || description.length < 1 || description.length > 100) {
			errors.add([...path, index, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
		}
		const isSubcommand = option.type === 1 || option.type === 2;
		if (!isSubcommand) {
			if (option.required === true && sawOptional) {
				errors.add([...path, index, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
			}
			if (option.required !== true) sawOptional = true;
		}
		if (Array.isArray(option.choices)) {
			if (option.choices.length > 25) errors.add([...path, index, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
			if (option.autocomplete === true && option.choices.length > 0) {
				errors.add([...path, index, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_AND_CHOICES', 'Autocomplete cannot be enabled on options that have choices');
			}
		}
		if (isSubcommand && option.options !== undefined) validateCommandOptions(option.options, [...path, index, 'options'], errors);
	});
}

/** Every interactive component in a message, however deeply nested (rows, v2 containers, section accessories). */
export function findComponent(components: FakeComponent[], customId: string): FakeComponent | null {
	for (const component of components) {
		if (component.custom_id === customId) return component;
		const nested = component.components ? findComponent(component.components, customId) : null;
		if (nested) return nested;
		const accessory = component.accessory;
		if (isObject(accessory) && accessory.custom_id === customId) return accessory as FakeComponent;
	}
	return null;
}
