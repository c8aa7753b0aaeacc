// Text from a repository, a server or git, made safe for the plain-text places of the editor UI.
// Several of them are not as plain as they look: status bar items, code lens titles and quick pick
// items draw `$(name)` as an icon, and notifications turn `[label](command:…)` into a link that runs
// the command (VS Code's parseLinkedText, opened with allowCommands). Markdown has its own module,
// markdown.ts, built on `singleLine` below.
import { stripVTControlCharacters } from 'node:util';

// What stripVTControlCharacters leaves: lone C0/C1 controls (tab, CR and LF become spaces in
// `singleLine`) and the bidirectional overrides that make text read differently from what it is
// ("Trojan Source", CVE-2021-42574).
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of visible text: terminal escape sequences, control characters and bidirectional
 * overrides removed, every run of whitespace (newlines, U+2028 included) one space.
 */
export function singleLine(text: string): string {
  return stripVTControlCharacters(text).replace(CONTROL_CHARACTERS, '').replace(/\s+/g, ' ').trim();
}

/**
 * For texts VS Code renders `$(name)` icons in: `\$(name)` is the escape its icon renderer
 * (renderLabelWithIcons) shows as the literal text.
 */
export function escapeIcons(text: string): string {
  return singleLine(text).replace(/\$\(/g, '\\$(');
}

/**
 * For notification messages: `[label](target)` becomes a link there only when `](` touch, so a space
 * between them leaves the text readable and inert.
 */
export function notificationText(text: string): string {
  return singleLine(text).replace(/\]\(/g, '] (');
}
