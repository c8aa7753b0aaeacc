// Every piece of markdown the editor renders (tree tooltips, hovers, the status bar tooltip, the
// incident page) is a `Markdown` value, and only this module makes one. Markdown syntax comes from
// the literal parts of an `md` template, written here in the code; every value from a repository, a
// server, git or the settings is interpolated, and interpolation escapes it, so it renders as the
// text it is: no link, no image, no HTML, no formatting, in trusted and Restricted Mode alike.
// A link exists only when a helper below makes it: to an http(s) page, shown as its own address, or
// to one of this extension's commands.
import type { COMMANDS } from './ids';
import { singleLine } from './untrustedText';

// Held back so that no other module can wrap a raw string as Markdown.
const MINT: unique symbol = Symbol('Markdown');

export class Markdown {
  /** The markdown source. */
  readonly value: string;
  /** This extension's commands its links run; the only ones the renderer may be trusted with. */
  readonly commands: readonly string[];

  constructor(key: typeof MINT, value: string, commands: readonly string[] = []) {
    if (key !== MINT) throw new Error('Markdown is made by src/views/markdown.ts only');
    this.value = value;
    this.commands = commands;
  }
}

export type MarkdownValue = string | number | Markdown;

/** A command of this extension (not the workbench's `manageTrust`), the only kind a link may run. */
export type OwnCommand = Exclude<(typeof COMMANDS)[keyof typeof COMMANDS], (typeof COMMANDS)['manageTrust']>;

// CommonMark lets a backslash escape any ASCII punctuation, and every markdown construct starts with
// one: emphasis, links, images, code, headings, lists, tables, HTML, and also GFM's bare-URL and
// e-mail autolinks (`https://…`, `www.…`, `a@b.c`), which escaping `:`, `.` and `@` breaks up.
// `&`, `<` and `>` become entities instead, so the text stays inert HTML even where a renderer
// passes raw HTML through (the markdown preview does).
const ASCII_PUNCTUATION = /[!-\/:-@\[-`{-~]/g;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * A data value as markdown text that renders exactly as typed, on one line (every place the views
 * put data is inline: a heading, a list item, a table cell).
 */
export function escapeMarkdown(text: string): string {
  return singleLine(text).replace(ASCII_PUNCTUATION, (ch) => ENTITIES[ch] ?? `\\${ch}`);
}

/** Markdown from a template: the literal parts are markdown, every interpolated value is escaped text. */
export function md(literals: TemplateStringsArray, ...values: readonly MarkdownValue[]): Markdown {
  const commands = new Set<string>();
  let text = literals[0];
  values.forEach((value, index) => {
    text += piece(value, commands) + literals[index + 1];
  });
  return new Markdown(MINT, text, [...commands]);
}

/**
 * Markdown from a translated message: `template` is what `l10n.t('…{0}…')` gives without values (our
 * text or our translators', markdown), and `{0}`, `{1}`… take the values, each escaped as in `md`.
 * The values are put in one pass, so a value's own `{1}` stays text.
 */
export function mdt(template: string, ...values: readonly MarkdownValue[]): Markdown {
  const commands = new Set<string>();
  const text = template.replace(/\{(\d+)\}/g, (whole, index: string) => {
    const value = values[Number(index)];
    return value === undefined ? whole : piece(value, commands);
  });
  return new Markdown(MINT, text, [...commands]);
}

/** Lines or items joined with a separator written here, keeping the commands their links run. */
export function joinMarkdown(parts: readonly Markdown[], separator: '\n' | '\n\n' | ', ' | ' · ' = '\n'): Markdown {
  const commands = new Set<string>();
  const text = parts.map((part) => piece(part, commands)).join(separator);
  return new Markdown(MINT, text, [...commands]);
}

function piece(value: MarkdownValue, commands: Set<string>): string {
  if (value instanceof Markdown) {
    for (const command of value.commands) commands.add(command);
    return value.value;
  }
  return escapeMarkdown(String(value));
}

/**
 * A commit id in code style when it is one (hex); anything else is escaped text, since code spans
 * have their own edge cases (backtick runs, autolinks that outrank them) not worth reasoning about.
 */
export function commitId(sha: string): Markdown {
  return /^[0-9a-f]{4,64}$/i.test(sha) ? new Markdown(MINT, `\`${sha}\``) : md`${sha}`;
}

/**
 * A link to a web page named by data (an incident's URL, a postmortem), shown as its own address so
 * it cannot pose as another. Only http(s) becomes a link: `command:`, `file:`, `vscode:`,
 * `javascript:`, addresses with credentials and anything unparsable stay inert text.
 */
export function webLink(url: string): Markdown {
  const target = httpTarget(url);
  if (target === undefined) return md`${url}`;
  return new Markdown(MINT, `[${escapeMarkdown(url)}](${target})`);
}

function httpTarget(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(singleLine(url));
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  // `https://docs.example.com@evil.example/` reads as one host and goes to the other.
  if (parsed.username || parsed.password) return undefined;
  // The URL parser encodes spaces, quotes and angle brackets but not parentheses, which would end
  // the link destination early.
  return parsed.href.replace(/[()'\\]/g, percentEncode);
}

/**
 * A link that runs one of this extension's commands with JSON arguments. The renderer is trusted
 * with exactly the commands such links name (`markdownTrust`).
 */
export function commandLink(text: string, command: OwnCommand, args: readonly unknown[]): Markdown {
  // encodeURIComponent leaves `(`, `)`, `!`, `'` and `*`: a `)` in an argument would end the link.
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[!'()*]/g, percentEncode);
  return new Markdown(MINT, `[${escapeMarkdown(text)}](command:${command}?${query})`, [command]);
}

function percentEncode(ch: string): string {
  return `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * What a MarkdownString built from this markdown may be trusted with: nothing, or exactly the
 * commands of its own links (`isTrusted: { enabledCommands }`), never every command.
 */
export function markdownTrust(markdown: Markdown): false | { enabledCommands: readonly string[] } {
  return markdown.commands.length ? { enabledCommands: [...markdown.commands] } : false;
}
