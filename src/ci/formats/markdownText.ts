// Data in markdown for a merge-request note or a job summary (GitHub, GitLab, Bitbucket): every value
// from a repository, a server or git renders as the text it is, on one line, so it can stand in a
// table cell. Only the literal markdown of the report modules is markdown.
import { inertLine } from '../../core/inertText';

// CommonMark lets a backslash escape any ASCII punctuation, and every markdown construct starts with
// one: emphasis, links, images, code spans, headings, lists, a table's `|`, and GFM's bare-URL and
// e-mail autolinks, which escaping `:`, `.` and `@` breaks up. `&`, `<` and `>` become entities
// instead, so the text stays inert where a renderer passes raw HTML through (GitHub does, for
// `<details>` and others).
const ASCII_PUNCTUATION = /[!-\/:-@\[-`{-~]/g;
const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * GitHub turns `@name` into a mention (a notification to that person or team) after rendering, from
 * the text itself, so no escape stops it: a word joiner after the `@` does, invisibly.
 */
const MENTION = /@(?=[A-Za-z0-9])/g;

/** A data value as markdown text on one line: no markup, no HTML, no line or table-cell break, no mention. */
export function markdownText(value: string): string {
  const line = inertLine(value).replace(/\s+/g, ' ').trim();
  return line.replace(ASCII_PUNCTUATION, (ch) => ENTITIES[ch] ?? `\\${ch}`).replace(MENTION, '@\u2060');
}

// Characters a link destination must not hold as they are: they would end it (`)`, space, `>`),
// open another construct, or break out of the markdown into HTML.
const UNSAFE_IN_DESTINATION = /[()[\]<>"'`\\\s*_{}|^]/g;

/**
 * A link to an http(s) page, labelled with escaped text; any other address (javascript:, data:, a
 * relative path) is left out and the label stands alone.
 */
export function markdownLink(label: string, url: string | undefined): string {
  const text = markdownText(label);
  if (url === undefined) return text;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return text;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return text;
  const destination = parsed.href.replace(UNSAFE_IN_DESTINATION, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${text}](${destination})`;
}
