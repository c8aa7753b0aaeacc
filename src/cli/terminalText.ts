// Values the CLI prints come from files, servers and commit messages written by others. A terminal acts
// on control characters: ESC]0;...BEL retitles the window, ESC[2J clears it, OSC 8 makes a link that
// goes elsewhere, a bare CR rewrites the line (a fake "Can I merge? GO"), and bidi overrides make a
// line read differently from what it holds. Every value is made inert here before it is printed, and
// before the CLI's own colours are added around it.
import { stripVTControlCharacters } from 'node:util';

/**
 * Characters a terminal may act on or that reorder text, beyond C0: DEL, the C1 controls (U+0080 to
 * U+009F, among them the one-byte CSI U+009B) and the bidi embeddings, overrides and isolates.
 */
const UNSAFE_BEYOND_C0 = '\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069';

/**
 * Terminated string sequences (OSC, DCS, SOS, PM, APC, in their ESC and C1 forms): their payload is
 * for the terminal, not the reader, so it goes with them. stripVTControlCharacters alone leaves part
 * of a payload with spaces in it ("ESC]0;my title BEL" becomes "y title").
 */
// eslint-disable-next-line no-control-regex
const STRING_SEQUENCE = /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)/g;

/** Line and cell breaks: a single-line value (a table cell, a title) reads them as one space. */
// eslint-disable-next-line no-control-regex
const BREAKS = /[\t\n\v\f\r]+/g;

// eslint-disable-next-line no-control-regex
const UNSAFE = new RegExp(`[\\u0000-\\u001f${UNSAFE_BEYOND_C0}]`, 'g');
const UNSAFE_IN_JSON = new RegExp(`[${UNSAFE_BEYOND_C0}]`, 'g');

/**
 * `value` as one line a terminal only displays: escape sequences removed whole, breaks turned into a
 * space, and every remaining control or bidi character removed (so none can survive in a broken
 * sequence either). The readable text stays.
 */
export function terminalLine(value: string): string {
  return stripVTControlCharacters(value.replace(STRING_SEQUENCE, '')).replace(BREAKS, ' ').replace(UNSAFE, '');
}

/**
 * JSON text that is safe to print: JSON.stringify escapes C0 but writes DEL, C1 and bidi characters
 * as they are; here they become \u escapes, so the text parses to the very same value.
 */
export function terminalJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
