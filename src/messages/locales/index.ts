// Every shipped language, one line each. English is the fallback for any key a language lacks
// (and the only language of areas whose sentences are not in a catalog yet).
export { default as en } from './en.js';
export { default as fr } from './fr.js';
export { default as es } from './es.js';
