// Text from a repository, a server or git, made safe for the plain-text places of the editor UI.
// Several of them are not as plain as they look: status bar items, code lens titles and quick pick
// items draw `$(name)` as an icon, and notifications turn `[label](command:…)` into a link that runs
// the command (VS Code's parseLinkedText, opened with allowCommands). Markdown has its own module,
// markdown.ts, built on `singleLine` below.
import { inertLine } from '../core/inertText';

/**
 * One line of visible text: escape sequences, control characters and bidi controls removed (the same
 * rule as the CLI's), every run of whitespace (U+2028 included) one space.
 */
export function singleLine(text: string): string {
  return inertLine(text).replace(/\s+/g, ' ').trim();
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
