// GitHub Actions workflow commands (`::error file=…,title=…::message`): the runner reads a command
// from any line of a step's output that starts with `::`, so a value may never end a line or add a
// property. Encoding as the runner decodes it (actions/toolkit, command.ts): `%`, CR and LF in the
// message; `%`, CR, LF, `:` and `,` in a property's value.
import { inertLine } from '../../core/inertText';

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface AnnotationProperties {
  file?: string;
  title?: string;
}

/** A message: each line made inert for the log (no escape sequences or controls), then encoded. */
export function encodeCommandData(value: string): string {
  // The breaks stay (a message may have several lines) and are encoded; the text between them is made inert.
  const parts = value.split(/(\r|\n)/).map((part, index) => (index % 2 === 1 ? part : inertLine(part)));
  return parts.join('').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property's value (one line): the message's encoding, and `:` and `,`, which end a property. */
export function encodeCommandProperty(value: string): string {
  return inertLine(value).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** One annotation command line. */
export function workflowCommand(level: AnnotationLevel, properties: AnnotationProperties, message: string): string {
  const pairs = Object.entries(properties)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${encodeCommandProperty(value)}`);
  return `::${level}${pairs.length > 0 ? ` ${pairs.join(',')}` : ''}::${encodeCommandData(message)}`;
}
