// Data in XML 1.0 (JUnit reports): the five markup characters as entities, and characters XML 1.0
// does not allow at all (most C0 controls, lone surrogates, U+FFFE and U+FFFF) replaced by U+FFFD, since
// no escape can carry them and one of them makes the whole report unreadable to a CI system.
const MARKUP: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
// eslint-disable-next-line no-control-regex
const NOT_IN_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for element content or an attribute value. */
export function xmlText(value: string): string {
  return value.replace(NOT_IN_XML, '\uFFFD').replace(/[&<>"']/g, (ch) => MARKUP[ch]);
}

/**
 * An attribute value on one line: a parser normalises a literal line break in an attribute to a
 * space, so breaks are written as character references and survive.
 */
export function xmlAttribute(value: string): string {
  return xmlText(value).replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
