// `reliability-lens`: the engine of the extension, in a terminal or a CI job (DOMAIN.md section 5).
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { DoraBands } from '../core/model';
import { effectiveRecentDays } from '../core/incidents';
import { renderRuleFileYaml } from '../core/recordingRules';
import type { QueryOptions } from '../workspace/engine';
import type { TokenProvider } from '../sources/remoteSources';
import { insecureSkipVerifyFromEnvironment } from '../sources/http/tlsVerification';
import { parseArgs, parseNow, UsageError, type OptionSpec, type ParsedArgs } from './args';
import { deploymentsJson, doraJson, incidentJson, lensJson, reportJson } from './json';
import { CHECK_FORMATS, isCheckFormat, renderCheck, type CheckFormat } from '../ci/formats/checkFormats';
import { FAIL_ON_VALUES, gateFails, isFailOn, type FailOn } from '../core/gateOutcome';
import {
  renderDeployments,
  renderDora,
  renderDoraExplanation,
  renderIncidents,
  renderLens,
  renderProblems,
  renderReport,
  renderSloExplanation,
  renderSources,
  renderVerdict,
  renderWeekly,
} from './humanReport';
import { doraExplanationJson, sloExplanationJson } from './explainJson';
import { createStyler, type Styler } from './table';
import { inertJson, inertLine } from '../core/inertText';
import { zeroConfigurationNote, type StarterPlan } from '../core/starterFiles';
import { initJson, renderInit } from './initOutput';

// The engine is evaluated on first use; each command asks it one question (a query function), and the
// query starts git on the history before the definitions' schemas and YAML parser are evaluated.
const engineModule = () => import('../workspace/engine');

export const EXIT_OK = 0;
export const EXIT_FREEZE = 1;
export const EXIT_BAD_INPUT = 2;

interface CommandContext {
  args: ParsedArgs;
  root: string;
  /** Zero configuration: the root has no `.reliability/` and is read as `init` would describe it. */
  inferred?: StarterPlan;
  now: number;
  json: boolean;
  bands: DoraBands;
  style: Styler;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** What runs this CLI (CliIo.program), for the hook it installs. */
  program?: CliProgram;
  out(text: string): void;
  err(text: string): void;
}

interface Command {
  name: string;
  usage: string;
  summary: string;
  options: OptionSpec[];
  /**
   * Which folder the command works in: `workspace` (the default), the nearest folder holding
   * `.reliability/`; `zero-configuration`, that or, when there is none, the repository read as
   * `init` would describe it; `here`, --workspace or the current folder as it is.
   */
  root?: 'workspace' | 'zero-configuration' | 'here';
  run(ctx: CommandContext): Promise<number>;
}

const COMMON_OPTIONS: OptionSpec[] = [
  { name: 'workspace', kind: 'string', valueName: 'DIR', description: 'workspace root holding .reliability/ (default: the current folder or the nearest parent with one)' },
  { name: 'now', kind: 'string', valueName: 'ISO', description: 'evaluation time, ISO 8601 (default: the current time)' },
  { name: 'json', kind: 'boolean', description: 'print one JSON object on stdout' },
  { name: 'bands', kind: 'string', valueName: '2023|2021', description: 'DORA tier bands (default 2023)' },
  { name: 'offline', kind: 'boolean', description: 'do not contact remote sources (Prometheus, PagerDuty, ...)' },
  { name: 'help', kind: 'boolean', description: 'show help' },
];

/** `--recent-days`: for every command that lists incidents or recent changes, the same option and rule. */
const RECENT_DAYS_OPTION: OptionSpec = {
  name: 'recent-days',
  kind: 'string',
  valueName: 'N',
  description: 'how many days count as recent (default: recentDays in .reliability/config.yaml, 30)',
};

/** The `--recent-days` value, undefined when not given; a usage error unless a positive number. */
function recentDaysOption(ctx: CommandContext): number | undefined {
  const text = ctx.args.options.get('recent-days') as string | undefined;
  if (text === undefined) return undefined;
  const days = Number(text);
  if (text.trim() === '' || !Number.isFinite(days) || days <= 0) {
    throw new UsageError(`invalid --recent-days "${text}": expected a positive number of days`);
  }
  return days;
}

/** The longest `--exempt` reason: a sentence for the verdict, not a document. */
const MAX_EXEMPT_REASON = 300;

/**
 * `--exempt "<reason>"`: the reason is shown in the verdict (and a CI's summary), so it must say
 * something, on one line; undefined when the option is not given.
 */
function exemptOption(ctx: CommandContext): string | undefined {
  const text = ctx.args.options.get('exempt') as string | undefined;
  if (text === undefined) return undefined;
  const reason = text.trim();
  if (reason.length === 0) throw new UsageError('--exempt needs a reason, such as --exempt "hotfix for INC-9 approved by the SRE on call"');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(reason)) throw new UsageError('--exempt: the reason must be one line of text without control characters');
  if (reason.length > MAX_EXEMPT_REASON) throw new UsageError(`--exempt: the reason is ${reason.length} characters long; at most ${MAX_EXEMPT_REASON}`);
  return reason;
}

/**
 * Why a snapshot has no delivery history (not a git repository, a shallow clone...), in one line after
 * the answer; on stderr with --json, so stdout stays one JSON object (whose `sources` say it too).
 */
function printDeliveryMissing(ctx: CommandContext, snapshot: { delivery: unknown; deliveryError: Error | null }): void {
  if (snapshot.delivery) return;
  const note = `Delivery (deployments, DORA metrics, incidents linked to deployments) is not shown: ${snapshot.deliveryError?.message ?? 'no git history'}`;
  if (ctx.json) ctx.err(note);
  else ctx.out(`\n${note}`);
}

/**
 * Tokens from the environment. The remote sources module (an HTTP client and its dependencies) is
 * loaded only when a token is asked for, so commands without remote sources start faster.
 */
function environmentTokenProvider(env: NodeJS.ProcessEnv): TokenProvider {
  let provider: Promise<TokenProvider> | undefined;
  return async (request) => {
    provider ??= import('../sources/remoteSources').then((remote) => remote.environmentTokens(env));
    return (await provider)(request);
  };
}

/** `check --format`, with `--json` the same as `--format json`; a usage error for anything else or both disagreeing. */
function checkFormatOption(ctx: CommandContext): CheckFormat | 'text' {
  const text = ctx.args.options.get('format') as string | undefined;
  if (text === undefined) return ctx.json ? 'json' : 'text';
  if (text !== 'text' && !isCheckFormat(text)) throw new UsageError(`invalid --format "${text}": expected text, ${CHECK_FORMATS.join(', ')}`);
  if (ctx.json && text !== 'json') throw new UsageError(`--json and --format ${text} ask for two formats; give one`);
  return text;
}

/** `check --fail-on`, with `--strict` the same as `--fail-on caution`. */
function failOnOption(ctx: CommandContext): FailOn {
  const text = ctx.args.options.get('fail-on') as string | undefined;
  const strict = Boolean(ctx.args.options.get('strict'));
  if (text === undefined) return strict ? 'caution' : 'freeze';
  if (!isFailOn(text)) throw new UsageError(`invalid --fail-on "${text}": expected ${FAIL_ON_VALUES.join(', ')}`);
  if (strict && text !== 'caution') throw new UsageError(`--strict means --fail-on caution, which contradicts --fail-on ${text}; give one`);
  return text;
}

function queryOptions(ctx: CommandContext): QueryOptions {
  return {
    now: ctx.now,
    doraBands: ctx.bands,
    allowRemote: !ctx.args.options.get('offline'),
    tokens: environmentTokenProvider(ctx.env),
    remoteSettings: { prometheusInsecureSkipVerify: insecureSkipVerifyFromEnvironment(ctx.env) },
    ...(ctx.inferred ? { inferred: ctx.inferred } : {}),
  };
}

/**
 * Zero configuration says so first, and how to write it down: on stderr with --json (stdout stays one
 * JSON object), else above the answer.
 */
function printZeroConfigurationNote(ctx: CommandContext): void {
  if (!ctx.inferred) return;
  const note = zeroConfigurationNote(ctx.inferred, 'Run `reliability-lens init` to write it down.');
  if (ctx.json) ctx.err(note);
  else ctx.out(`${note}\n`);
}

const COMMANDS: Command[] = [
  {
    name: 'init',
    usage: 'init [--dry-run]',
    summary: 'write a starter .reliability/ here from what the repository shows: services from CODEOWNERS or folders, the tag pattern from its tags',
    options: [{ name: 'dry-run', kind: 'boolean', description: 'print the files init would write, and write nothing' }],
    root: 'here',
    async run(ctx) {
      const dryRun = Boolean(ctx.args.options.get('dry-run'));
      const result = await (await engineModule()).createStarterFolder(ctx.root, { dryRun });
      ctx.out(ctx.json ? inertJson(initJson(result, dryRun)) : renderInit(result, dryRun));
      return EXIT_OK;
    },
  },
  {
    name: 'report',
    usage: 'report',
    summary: 'SLOs, error budgets, burn rates, DORA metrics and open and recent incidents',
    options: [RECENT_DAYS_OPTION],
    async run(ctx) {
      const option = recentDaysOption(ctx);
      const snapshot = await (await engineModule()).reportQuery(ctx.root, { ...queryOptions(ctx), recentDays: option });
      const recentDays = effectiveRecentDays(snapshot.config.recentDays, option);
      ctx.out(ctx.json ? inertJson(reportJson(snapshot, recentDays)) : renderReport(snapshot, ctx.bands, ctx.style, recentDays));
      printDeliveryMissing(ctx, snapshot);
      return EXIT_OK;
    },
  },
  {
    name: 'check',
    usage: 'check [--base REF] [--service NAME] [--strict] [--exempt "REASON"]',
    summary: 'can this branch merge? The error budget policy applied to the services it touches',
    options: [
      { name: 'base', kind: 'string', valueName: 'REF', description: 'compare against REF (default: the default branch); the change is BASE...HEAD' },
      { name: 'service', kind: 'string[]', valueName: 'NAME', description: 'check these services instead of the ones the change touches (repeatable, or comma-separated)' },
      { name: 'strict', kind: 'boolean', description: 'exit 1 on caution too (the same as --fail-on caution)' },
      { name: 'fail-on', kind: 'string', valueName: 'WHEN', description: 'which verdicts exit 1: freeze (the default), caution (and freeze) or never' },
      {
        name: 'format',
        kind: 'string',
        valueName: 'FORMAT',
        description: 'text (the default), json (as --json), markdown (a merge-request note), github (workflow-command annotations) or junit (JUnit XML)',
      },
      { name: 'exempt', kind: 'string', valueName: 'REASON', description: 'let the change through a freeze, saying why (the verdict lists it: exempt (--exempt: "REASON"))' },
    ],
    async run(ctx) {
      const services = ctx.args.options.get('service') as string[] | undefined;
      const base = ctx.args.options.get('base') as string | undefined;
      const format = checkFormatOption(ctx);
      const failOn = failOnOption(ctx);
      const exemptReason = exemptOption(ctx);
      const change = { base, services, ...(exemptReason !== undefined ? { exemptReason } : {}) };
      const result = await (await engineModule()).checkQuery(ctx.root, change, queryOptions(ctx));
      ctx.out(format === 'text' ? renderVerdict(result, ctx.style) : renderCheck(result, format, failOn));
      return gateFails(result.verdict, failOn) ? EXIT_FREEZE : EXIT_OK;
    },
  },
  {
    name: 'incidents',
    usage: 'incidents [QUERY] [--recent-days N]',
    summary: 'incidents matching id, title, service or severity (all of them without a query; only open and recent ones with --recent-days)',
    options: [RECENT_DAYS_OPTION],
    async run(ctx) {
      const recentDays = recentDaysOption(ctx);
      const query = ctx.args.positionals.join(' ');
      const { snapshot, incidents: found } = await (await engineModule()).incidentsQuery(ctx.root, { query, recentDays }, queryOptions(ctx));
      ctx.out(
        ctx.json
          ? inertJson({ incidents: found.map((incident) => incidentJson(incident, snapshot.now)) })
          : renderIncidents(found, snapshot.now, ctx.style),
      );
      printDeliveryMissing(ctx, snapshot);
      return EXIT_OK;
    },
  },
  {
    name: 'dora',
    usage: 'dora',
    summary: 'DORA metrics over the last 90 days, with tiers and the weekly trend (without .reliability/: from the tags init would pick)',
    options: [],
    root: 'zero-configuration',
    async run(ctx) {
      printZeroConfigurationNote(ctx);
      const dora = await (await engineModule()).doraQuery(ctx.root, queryOptions(ctx));
      ctx.out(ctx.json ? inertJson(doraJson(dora)) : `${renderDora(dora, ctx.bands)}\n\n${renderWeekly(dora)}`);
      return EXIT_OK;
    },
  },
  {
    name: 'deployments',
    usage: 'deployments',
    summary: 'deployments of the last 90 days, newest first, with their impact on each SLO (burn before and after, budget spent, degraded or not)',
    options: [],
    async run(ctx) {
      const { deployments } = await (await engineModule()).deploymentsQuery(ctx.root, queryOptions(ctx));
      ctx.out(ctx.json ? inertJson(deploymentsJson(deployments)) : renderDeployments(deployments, ctx.now, ctx.style));
      return EXIT_OK;
    },
  },
  {
    name: 'lens',
    usage: 'lens FILE',
    summary: "a file's recent commits, the lines each still owns, the deployment that shipped it and linked incidents",
    options: [RECENT_DAYS_OPTION],
    async run(ctx) {
      const file = ctx.args.positionals[0];
      if (!file) throw new UsageError('lens needs a FILE (a path in the workspace)');
      const recentDays = recentDaysOption(ctx);
      const absolute = path.resolve(ctx.cwd, file);
      const { relativePath: relative, changes, degraded } = await (await engineModule()).lensQuery(ctx.root, absolute, { ...queryOptions(ctx), recentDays });
      ctx.out(ctx.json ? inertJson(lensJson(relative, changes, degraded)) : renderLens(relative, changes, ctx.now, ctx.style, degraded));
      return EXIT_OK;
    },
  },
  {
    name: 'explain',
    usage: 'explain SLO [--service NAME] | explain --dora',
    summary: 'every number of an SLO (windows, good and total counts, the budget formula, alert rules, source) or, with --dora, of the DORA metrics',
    options: [
      // The same spec as check's --service (one option table serves every command); explain takes one name.
      { name: 'service', kind: 'string[]', valueName: 'NAME', description: "the SLO's service, needed only when several services have an SLO of that name" },
      { name: 'dora', kind: 'boolean', description: "explain the DORA metrics: each deployment of the window with its changes, lead times and incidents" },
    ],
    async run(ctx) {
      const engine = await engineModule();
      if (ctx.args.options.get('dora')) {
        if (ctx.args.positionals.length > 0 || ctx.args.options.get('service')) throw new UsageError('explain --dora takes no SLO and no --service');
        const explanation = await engine.explainDoraQuery(ctx.root, queryOptions(ctx));
        ctx.out(ctx.json ? inertJson(doraExplanationJson(explanation)) : renderDoraExplanation(explanation, ctx.bands, ctx.style));
        return EXIT_OK;
      }
      const slo = ctx.args.positionals.join(' ');
      if (!slo) throw new UsageError('explain needs an SLO name (or --dora)');
      const services = ctx.args.options.get('service') as string[] | undefined;
      if (services && services.length > 1) throw new UsageError('explain takes one --service');
      const explanation = await engine.explainSloQuery(ctx.root, { slo, service: services?.[0] }, queryOptions(ctx));
      ctx.out(ctx.json ? inertJson(sloExplanationJson(explanation)) : renderSloExplanation(explanation, ctx.style));
      return EXIT_OK;
    },
  },
  {
    name: 'rules',
    usage: 'rules [--format prometheus|json]',
    summary: "a Prometheus rule file recording each Occurrences ratio SLO's event counts, so refreshes read a few recorded samples (README: Load on Prometheus)",
    options: [{ name: 'format', kind: 'string', valueName: 'FORMAT', description: 'prometheus (a rule file, the default) or json (the rule groups and how each SLO is read)' }],
    async run(ctx) {
      const format = ctx.json ? 'json' : ((ctx.args.options.get('format') as string | undefined) ?? 'prometheus');
      if (format !== 'prometheus' && format !== 'json') throw new UsageError(`--format is prometheus or json, not "${format}"`);
      const { plan, problems } = await (await engineModule()).rulesQuery(ctx.root);
      // The rule file goes to stdout (to redirect into a file); what did not load, to stderr.
      const errors = problems.filter((problem) => problem.severity === 'error');
      if (errors.length > 0) {
        ctx.err(`${errors.length} problem(s) in .reliability/; the SLOs they concern are not in the rules:`);
        for (const line of renderProblems(errors, ctx.style).split('\n')) ctx.err(line);
      }
      ctx.out(format === 'json' ? inertJson({ groups: plan.file.groups, slos: plan.slos }) : renderRuleFileYaml(plan));
      return EXIT_OK;
    },
  },
  {
    name: 'hook',
    usage: 'hook install [--chain] | hook uninstall',
    summary: 'install (or remove) the git pre-push hook that runs check and blocks a push on freeze',
    options: [{ name: 'chain', kind: 'boolean', description: 'keep an existing pre-push hook and run it before the check' }],
    root: 'here',
    async run(ctx) {
      const [action, ...extra] = ctx.args.positionals;
      if ((action !== 'install' && action !== 'uninstall') || extra.length > 0) throw new UsageError('hook needs install or uninstall');
      const engine = await engineModule();
      if (action === 'uninstall') {
        if (ctx.args.options.get('chain')) throw new UsageError('--chain applies to hook install');
        const result = await engine.uninstallPrePushHook(ctx.root);
        ctx.out(
          !result.removed
            ? `No pre-push hook at ${result.hookPath}: nothing to remove.`
            : result.restored
              ? `Removed the reliability-lens pre-push hook; the hook it ran first is back at ${result.hookPath}.`
              : `Removed the reliability-lens pre-push hook ${result.hookPath}.`,
        );
        return EXIT_OK;
      }
      if (!ctx.program) throw new UsageError('hook install needs to know the node binary and script running it; run it as `reliability-lens hook install`');
      // The hook checks the workspace this command finds (the nearest folder holding .reliability/).
      const workspace = await engine.resolveWorkspaceRoot(ctx.root);
      const result = await engine.installPrePushHook(workspace, { chain: Boolean(ctx.args.options.get('chain')), ...ctx.program });
      const chained = result.chainedPath ? ` It first runs the hook that was there, kept as ${result.chainedPath}.` : '';
      ctx.out(
        `${result.action === 'updated' ? 'Updated' : 'Installed'} the pre-push hook ${result.hookPath}: \`git push\` runs \`reliability-lens check\` and stops on freeze.${chained}`,
      );
      return EXIT_OK;
    },
  },
  {
    name: 'sources',
    usage: 'sources',
    summary: 'check each configured data source (git, files, Prometheus, incident tools) and print its state',
    options: [],
    async run(ctx) {
      const states = await (await engineModule()).sourcesQuery(ctx.root, queryOptions(ctx));
      ctx.out(ctx.json ? inertJson({ sources: states }) : renderSources(states, ctx.style));
      return states.some((s) => s.state === 'failing' || s.state === 'needs-token') ? EXIT_BAD_INPUT : EXIT_OK;
    },
  },
];

function help(command?: Command): string {
  const optionLines = (specs: OptionSpec[]) =>
    specs.map((s) => `  --${s.name}${s.valueName ? ` ${s.valueName}` : ''}`.padEnd(26) + s.description).join('\n');
  if (command) {
    return `reliability-lens ${command.usage} [--workspace DIR] [--now ISO] [--json]\n\n${command.summary}\n\nOptions:\n${optionLines([...command.options, ...COMMON_OPTIONS])}`;
  }
  const commands = COMMANDS.map((c) => `  ${c.usage.padEnd(48)}${c.summary}`).join('\n');
  return `reliability-lens: SLOs, error budgets, DORA metrics, incidents and a merge check from your repository.

Usage: reliability-lens <command> [--workspace DIR] [--now ISO] [--json]

Commands:
${commands}

Options:
${optionLines(COMMON_OPTIONS)}

Exit codes: 0 ok (check: go or caution), 1 check says freeze (or caution with --strict or --fail-on caution), 2 bad input or configuration.
Tokens come from RELIABILITY_LENS_PROMETHEUS_TOKEN, RELIABILITY_LENS_PAGERDUTY_TOKEN, RELIABILITY_LENS_OPSGENIE_TOKEN and GITHUB_TOKEN.
A token goes only to its provider's own API, or to the server <VARIABLE>_ORIGIN names (GITHUB_API_URL for GITHUB_TOKEN);
a Prometheus token is sent only with RELIABILITY_LENS_PROMETHEUS_TOKEN_ORIGIN set.`;
}

/**
 * The folder a command works in (Command.root). Without --workspace, the nearest folder up from here
 * holding .reliability/ (like git finds .git); for a zero-configuration command without one, the
 * repository holding the current folder (or the folder --workspace names), read as `init` would.
 */
async function commandRoot(command: Command, cwd: string, workspaceOption: string | undefined): Promise<{ root: string; inferred?: StarterPlan }> {
  const engine = await engineModule();
  const named = workspaceOption === undefined ? undefined : path.resolve(cwd, workspaceOption);
  const kind = command.root ?? 'workspace';
  if (kind === 'here') return { root: named ?? path.resolve(cwd) };
  if (kind === 'workspace') return { root: named ?? (await engine.resolveWorkspaceRoot(cwd)) };
  if (named !== undefined) {
    return (await engine.hasReliabilityFolder(named)) ? { root: named } : { root: named, inferred: await engine.inferSetup(named) };
  }
  try {
    return { root: await engine.resolveWorkspaceRoot(cwd) };
  } catch (error) {
    if (!(error instanceof engine.WorkspaceNotFoundError)) throw error;
    const root = (await engine.repositoryTopLevel(cwd)) ?? path.resolve(cwd);
    return { root, inferred: await engine.inferSetup(root) };
  }
}

/** The node binary and script running the CLI: what an installed hook runs. */
export interface CliProgram {
  nodePath: string;
  cliPath: string;
}

export interface CliIo {
  argv: string[];
  /** Absent when the CLI runs inside another program (tests): `hook install` then refuses. */
  program?: CliProgram;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTty: boolean;
  clock(): number;
  stdout(text: string): void;
  stderr(text: string): void;
}

/**
 * A command reads its data once and keeps nearly all of it to the end (a window's commits, a month
 * of SLI samples), so almost everything it allocates survives the young generation. V8 then doubles
 * the young generation after each such collection, up to 32 MB of semi-spaces that only copy data on
 * its way to the old generation: measured on a window of 50,000 commits, a fifth of the peak memory
 * for no gain in time. Only the command-line process does this; the extension host keeps V8's defaults.
 */
function keepYoungGenerationSmall(): void {
  // Read by V8 each time it grows the young generation, so it applies to a running process.
  setFlagsFromString('--semi-space-growth-factor=1');
}

export async function runCli(rawIo: CliIo): Promise<number> {
  // Error messages carry values from files, servers and the command line: one line each, printed
  // inert. Only an internal error keeps its lines (the stack), each made inert on its own.
  const io: CliIo = { ...rawIo, stderr: (text) => rawIo.stderr(inertLine(text)) };
  const printInternalError = (text: string) => rawIo.stderr(text.split('\n').map(inertLine).join('\n'));
  const allOptions = [...COMMON_OPTIONS, ...COMMANDS.flatMap((c) => c.options)];
  let args: ParsedArgs;
  try {
    args = parseArgs(io.argv, allOptions);
  } catch (error) {
    io.stderr(`reliability-lens: ${(error as Error).message} (see --help)`);
    return EXIT_BAD_INPUT;
  }
  const command = COMMANDS.find((c) => c.name === args.command);
  if (args.command === undefined || args.command === 'help') {
    const about = COMMANDS.find((c) => c.name === args.positionals[0]);
    io.stdout(help(about));
    return args.command === undefined && !args.options.get('help') ? EXIT_BAD_INPUT : EXIT_OK;
  }
  if (!command) {
    io.stderr(`reliability-lens: unknown command "${args.command}"; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    return EXIT_BAD_INPUT;
  }
  if (args.options.get('help')) {
    io.stdout(help(command));
    return EXIT_OK;
  }
  const allowed = new Set([...COMMON_OPTIONS, ...command.options].map((o) => o.name));
  const stray = [...args.options.keys()].find((name) => !allowed.has(name));
  const style = createStyler(io.isTty && !io.env.NO_COLOR);
  try {
    if (stray) throw new UsageError(`option --${stray} does not apply to ${command.name}`);
    const bands = (args.options.get('bands') as string | undefined) ?? '2023';
    if (bands !== '2023' && bands !== '2021') throw new UsageError(`invalid --bands "${bands}": expected 2023 or 2021`);
    const workspaceOption = args.options.get('workspace') as string | undefined;
    const { root, inferred } = await commandRoot(command, io.cwd, workspaceOption);
    const ctx: CommandContext = {
      args,
      root,
      ...(inferred ? { inferred } : {}),
      now: parseNow(args.options.get('now') as string | undefined, io.clock),
      json: Boolean(args.options.get('json')),
      bands,
      style,
      env: io.env,
      cwd: io.cwd,
      ...(io.program ? { program: io.program } : {}),
      out: io.stdout,
      err: io.stderr,
    };
    return await command.run(ctx);
  } catch (error) {
    if (error instanceof UsageError || (await engineModule()).isUserFacingError(error)) {
      const engine = await engineModule();
      const hint = error instanceof engine.WorkspaceNotFoundError ? ' (`reliability-lens init` writes a starter one)' : '';
      io.stderr(`reliability-lens: ${(error as Error).message}${hint}`);
      return EXIT_BAD_INPUT;
    }
    printInternalError(`reliability-lens: internal error: ${(error as Error)?.stack ?? String(error)}`);
    return EXIT_BAD_INPUT;
  }
}

if (require.main === module) {
  keepYoungGenerationSmall();
  runCli({
    argv: process.argv.slice(2),
    program: { nodePath: process.execPath, cliPath: __filename },
    cwd: process.cwd(),
    env: process.env,
    isTty: Boolean(process.stdout.isTTY),
    clock: () => Date.now(),
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`reliability-lens: ${inertLine(String(error))}\n`);
      process.exitCode = EXIT_BAD_INPUT;
    },
  );
}
