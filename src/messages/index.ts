// Every sentence a user can see, by area: one file per area, re-exported here. Plain modules of
// functions and constants, ready to be swapped for a translation.
export { listInWords, readingMessages } from './reading.js';
export { dispatchMessages } from './dispatch.js';
export { scheduleMessages } from './schedule.js';
export { COMMAND_REGISTRATION_ERROR_WORDS, POSTING_ERROR_WORDS, REACTION_ERROR_WORDS } from './api-errors.js';
