// What each command that takes an argument accepts, as zod schemas. Arguments arrive from our tree
// items, code lenses and status bar, but also from markdown command links (JSON in a URI: whoever can
// put markdown in front of the user chooses them), keybindings and other extensions. So each is
// checked like any other input before a handler reads it; an invalid one is reported, never guessed at.
// The building blocks (plain strict objects, bounded text) are shared with the webview's messages.
// Pure: no vscode, no I/O; src/views/commands.ts logs and ignores what this refuses.
import { z } from 'zod';
import { pathEscape } from '../core/folderPaths';
import { TOKEN_SOURCES } from '../sources/sourceAddresses';
import { argumentText, describeIssues, isPlainObject, plainObject } from '../shared/untrustedArguments';
import { COMMANDS } from './ids';
import type { DashboardArgs, FileLocationArgs, IncidentArgs, LookBackArgs, SloArgs } from './ids';

/** More incident ids than any one line or lens links; a list beyond it is not ours. */
export const MAX_INCIDENT_IDS = 1000;
/** Lines and columns are 1-based, 0 meaning unknown; no file we open has ten million lines. */
export const MAX_POSITION = 10_000_000;

const position = z
  .number({ error: `an integer from 0 to ${MAX_POSITION}` })
  .int({ error: `an integer from 0 to ${MAX_POSITION}` })
  .min(0, { error: `an integer from 0 to ${MAX_POSITION}` })
  .max(MAX_POSITION, { error: `an integer from 0 to ${MAX_POSITION}` });

/** A file named relative to its workspace root, staying inside it as text (the rule the schemas use). */
const workspaceRelativeFile = argumentText.refine((file) => pathEscape(file) === null, {
  error: 'a path relative to the workspace root that stays inside it',
});

const fileLocationArgs: z.ZodType<FileLocationArgs> = plainObject({
  root: argumentText,
  file: workspaceRelativeFile,
  line: position.default(0),
  column: position.default(0),
});

const incidentArgs: z.ZodType<IncidentArgs> = plainObject({
  root: argumentText,
  ids: z
    .array(argumentText, { error: 'a list of incident ids' })
    .min(1, { error: 'at least one incident id' })
    .max(MAX_INCIDENT_IDS, { error: `at most ${MAX_INCIDENT_IDS} incident ids` }),
});

const dashboardArgs: z.ZodType<DashboardArgs> = plainObject({
  root: argumentText.optional(),
  service: argumentText.optional(),
});

const sloArgs: z.ZodType<SloArgs> = plainObject({
  root: argumentText,
  service: argumentText,
  slo: argumentText,
});

/** A moment a Date can hold (±8.64e15 ms), as epoch ms. */
const lookBackArgs: z.ZodType<LookBackArgs> = plainObject({
  time: z
    .number({ error: 'a time in epoch milliseconds' })
    .int({ error: 'a time in epoch milliseconds' })
    .min(-8.64e15, { error: 'a time a date can hold' })
    .max(8.64e15, { error: 'a time a date can hold' }),
});

/**
 * The first argument of each command that reads one. Commands not listed (refresh, canIMerge,
 * createStarter, forgetToken, showLog) read no argument, so whatever they are passed is never used.
 */
export const COMMAND_ARGUMENT_SCHEMAS = {
  [COMMANDS.findIncident]: argumentText,
  [COMMANDS.openDashboard]: dashboardArgs,
  [COMMANDS.setToken]: z.enum(TOKEN_SOURCES, { error: `one of ${TOKEN_SOURCES.join(', ')}` }),
  [COMMANDS.openProblem]: fileLocationArgs,
  [COMMANDS.openLocation]: fileLocationArgs,
  [COMMANDS.openIncident]: incidentArgs,
  [COMMANDS.showIncidentDetails]: incidentArgs,
  [COMMANDS.explainSlo]: sloArgs,
  [COMMANDS.lookBack]: lookBackArgs,
  [COMMANDS.showAtIncidentStart]: incidentArgs,
} as const;

export type CommandWithArgument = keyof typeof COMMAND_ARGUMENT_SCHEMAS;
export type CommandArgument<C extends CommandWithArgument> = z.output<(typeof COMMAND_ARGUMENT_SCHEMAS)[C]>;

/** A command's argument: absent (run from the palette or a menu: the handler asks), valid, or refused with why. */
export type CheckedArgument<T> = { ok: true; value: T | undefined } | { ok: false; problem: string };

/**
 * Checks the first argument a command was run with. A tree item's context menu passes the item
 * itself; its own command's first argument is what is checked then.
 */
export function parseCommandArgument<C extends CommandWithArgument>(command: C, value: unknown): CheckedArgument<CommandArgument<C>> {
  const argument = treeItemArgument(command, value);
  if (argument === undefined) return { ok: true, value: undefined };
  const parsed = COMMAND_ARGUMENT_SCHEMAS[command].safeParse(argument);
  if (parsed.success) return { ok: true, value: parsed.data as CommandArgument<C> };
  return { ok: false, problem: describeIssues(parsed.error) };
}

/**
 * What a view item (a ViewNode with an id, a contextValue and maybe a command) stands for: its
 * `menuArguments` entry for the command when it has one, else its command's first argument. Any other value is the argument itself.
 */
function treeItemArgument(commandId: string, value: unknown): unknown {
  if (!isPlainObject(value) || typeof value.id !== 'string' || typeof value.contextValue !== 'string') return value;
  // A node whose menu command takes another argument than its click (an SLO: click opens its file, Explain needs the SLO).
  const menuArguments = value.menuArguments;
  if (isPlainObject(menuArguments) && Object.hasOwn(menuArguments, commandId)) return menuArguments[commandId];
  const command = value.command;
  if (!isPlainObject(command) || !Array.isArray(command.arguments)) return undefined;
  return command.arguments[0];
}
