// Text from files, servers and commit messages written by others, made inert for whoever shows it: the
// CLI (before its own colours) and the editor (before markdown escaping or icon escaping). A terminal
// acts on control characters: ESC]0;...BEL retitles the window, ESC[2J clears it, OSC 8 makes a link
// that goes elsewhere, a bare CR rewrites the line (a fake "Can I merge? GO"); and bidi controls make a
// line read differently from what it holds ("Trojan Source", CVE-2021-42574), in a terminal and in the
// editor alike. One rule for every front end (the CLI, the views and the dashboard's webview, which
// runs in a browser: hence no node:util here), so none can show what another removed.

/**
 * Characters a terminal may act on or that reorder text, beyond C0: DEL, the C1 controls (U+0080 to
 * U+009F, among them the one-byte CSI U+009B), the bidi marks and the bidi embeddings, overrides and
 * isolates.
 */
const UNSAFE_BEYOND_C0 = '\\u007f-\\u009f\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069';

/**
 * Terminated string sequences (OSC, DCS, SOS, PM, APC, in their ESC and C1 forms): their payload is
 * for the terminal, not the reader, so it goes with them (node's stripVTControlCharacters leaves part
 * of a payload with spaces in it: "ESC]0;my title BEL" becomes "y title").
 */
// eslint-disable-next-line no-control-regex
const STRING_SEQUENCE = /(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)/g;

/**
 * Control sequences (CSI, in its ESC [ and one-byte forms, with parameters and intermediates) and the
 * two-character ESC sequences: removed whole so no "[2J" is left behind when the ESC goes.
 */
// eslint-disable-next-line no-control-regex
const CONTROL_SEQUENCE = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]|\u001b[\u0020-\u002f]*[\u0030-\u007e]/g;

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
export function inertLine(value: string): string {
  return value.replace(STRING_SEQUENCE, '').replace(CONTROL_SEQUENCE, '').replace(BREAKS, ' ').replace(UNSAFE, '');
}

/**
 * Text of several lines (a report's message body) made inert line by line as inertLine does; the
 * breaks between lines stay, each written as LF.
 */
export function inertLines(value: string): string {
  return value.split(/\r\n|\r|\n/).map(inertLine).join('\n');
}

/**
 * JSON text that is safe to print: JSON.stringify escapes C0 but writes DEL, C1 and bidi characters
 * as they are; here they become \u escapes, so the text parses to the very same value.
 */
export function inertJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE_IN_JSON, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
