// Every sentence a user can see, by area: one file per area, re-exported here. The words of the
// areas below are in ./locales (i18next), one catalog per language; an area whose sentences are
// plain English functions keeps working as it is until its keys are added to the catalogs.
export { CATALOGS, FALLBACK_LANGUAGE, languageFor, listIn, translator } from './i18n.js';
export { listInWords, readingMessages, readingMessagesIn, type ReadingMessages } from './reading.js';
export { dispatchMessages, dispatchMessagesIn, type DispatchMessages } from './dispatch.js';
export { cardWordsIn, type CardWords } from './cards.js';
export { COMMAND_REGISTRATION_ERROR_WORDS, POSTING_ERROR_WORDS, postingErrorWordsIn, REACTION_ERROR_WORDS } from './api-errors.js';
export { scheduleMessages, scheduleMessagesIn, type ScheduleMessages } from './schedule.js';
export { libraryMessagesIn, type LibraryMessages } from './library.js';
export { storyLabel, storyLabelIn, storyLabelsIn } from './labels.js';
