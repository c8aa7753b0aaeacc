// Argument parsing for the `reliability-lens` command. Hand-written: the grammar is small
// (`command [positional] [--flag] [--option value]`) and every error must name the offending argument.

import { parseIsoTime } from '../core/isoTime';

export type OptionKind = 'boolean' | 'string' | 'string[]';

export interface OptionSpec {
  name: string;
  kind: OptionKind;
  /** Shown by --help. */
  description: string;
  valueName?: string;
}

export interface ParsedArgs {
  command: string | undefined;
  positionals: string[];
  options: Map<string, string | boolean | string[]>;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const options = new Map<string, string | boolean | string[]>();
  const positionals: string[] = [];
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      for (const rest of argv.slice(i + 1)) positionals.push(rest);
      break;
    }
    if (arg.startsWith('--') || (arg.startsWith('-') && arg.length === 2 && arg !== '-')) {
      const [rawName, inlineValue] = arg.startsWith('--') ? splitInline(arg.slice(2)) : [arg === '-h' ? 'help' : arg.slice(1), undefined];
      const spec = byName.get(rawName);
      if (!spec) throw new UsageError(`unknown option ${arg}`);
      if (spec.kind === 'boolean') {
        if (inlineValue !== undefined) throw new UsageError(`option --${spec.name} takes no value`);
        options.set(spec.name, true);
        continue;
      }
      const value = inlineValue ?? argv[++i];
      if (value === undefined || (inlineValue === undefined && value.startsWith('--'))) {
        throw new UsageError(`option --${spec.name} needs a value (${spec.valueName ?? 'VALUE'})`);
      }
      if (spec.kind === 'string[]') {
        const list = (options.get(spec.name) as string[] | undefined) ?? [];
        for (const item of value.split(',')) if (item.trim()) list.push(item.trim());
        options.set(spec.name, list);
      } else {
        options.set(spec.name, value);
      }
      continue;
    }
    if (command === undefined) command = arg;
    else positionals.push(arg);
  }
  return { command, positionals, options };
}

function splitInline(text: string): [string, string | undefined] {
  const eq = text.indexOf('=');
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}

/**
 * `--now`: an ISO 8601 time; the evaluation time every number is computed at. Read by the same rule
 * as every time in `.reliability/` (no zone means UTC; a date or time that does not exist, such as
 * 2026-02-30, is refused rather than rolled over into the next month).
 */
export function parseNow(value: string | undefined, clock: () => number): number {
  if (value === undefined) return clock();
  const ms = parseIsoTime(value);
  if (ms === null) {
    throw new UsageError(`invalid --now "${value}": expected an ISO 8601 time that exists, such as 2026-11-20T12:00:00Z`);
  }
  return ms;
}
