/**
 * An error whose message is written for the person who used the command. The dispatcher shows it
 * ephemerally as is; anything that is not a UserError is logged and replaced by one plain line.
 */
export class UserError extends Error {
	override name = 'UserError';
}
