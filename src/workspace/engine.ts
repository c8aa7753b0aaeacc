// The engine's entry points. The CLI asks one question per command through a query function (reportQuery,
// doraQuery, lensQuery...), each choosing what it loads; the extension keeps one snapshot per folder
// (loadSnapshot) and asks the snapshot-level functions (fileLens, mergeCheck, explainSlo...).
// Data flows one way: sources -> this snapshot -> core computes -> views and CLI render.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Deployment, DoraBands, DoraReport, FileChange, Incident, MergeVerdict, Problem, SloDefinition, SloReport, SourceState, WorkspaceConfig } from '../core/model';
import { RECENT_DEPLOYMENT_LIMIT, deploymentImpacts, impactBoundaries, impactSloOfReport, type DeploymentImpact, type ImpactSlo } from '../core/deploymentImpact';
import type { PrometheusImpact } from './impactData';
import { sloWindowRange } from '../core/sloCounts';
import { readsPrometheus } from '../core/compositeSlo';
import { effectiveRecentDays, isOpenAt, isRecentAt, searchIncidents } from '../core/incidents';
import { explainSloReport, type SloExplanation } from '../core/explain';
import type { DoraExplanation } from '../core/doraExplain';
import { doraExplanationOf } from './doraExplanation';
import { SUSPECT_CAUTION_DAYS, decideMerge } from '../core/mergeCheck';
import { servicePolicies } from '../core/policy';
import { linkFileChanges, type FileCommit } from '../core/linking';
import { servicesForPath, servicesForPaths } from '../core/servicePaths';
import { defaultBranch, existingBranch, readChange, resolveBase } from '../sources/git/branches';
import { copyFolderAtRevision } from '../sources/git/revisionFolder';
import { baseRuleCautions, type JudgedBy } from '../core/baseRule';
import { GitSourceError, NotAGitRepositoryError, UnknownRefError } from '../sources/git/errors';
import { blameRecentLines, recentCommitsOfFile } from '../sources/git/fileHistory';
import { SourceError } from '../sources/http/sourceError';
import { forgetDeliveryWindows } from '../sources/git/deliveryWindow';
import { repositoryLayout } from '../sources/git/layout';
import { forgetShippingAnswers } from '../sources/git/shipping';
import type { RemoteSourceSettings, TokenProvider } from '../sources/remoteSources';
import type { WorkspaceDefinitions } from './definitions';
import { RELIABILITY_FOLDER, WorkspaceNotFoundError } from './reliabilityFolder';
import { DORA_WINDOW_DAYS, deliveryScope, loadDelivery, readDeploymentList, shippingOfCommits, type DeliveryResult, type DeploymentListRead } from './delivery';
import { EARLIER_DEPLOYMENT, deploymentsAsOf } from '../core/deployments';
import type { IncidentView, WorkspaceSnapshot } from './snapshot';
import { StarterExistsError, StarterOutsideError, StarterRootError } from './starter';
import { HookConflictError } from './prePushHook';
import { prefetchTagHistory } from './historyPrefetch';
import type { LastGoodData } from './lastGood';
import type { PrometheusSession } from '../sources/prometheusSession';
import { planRuleFile } from '../core/recordingRules';
import { degradedDeployments } from '../core/changeSignal';
import type { RuleFilePlan } from '../core/recordingRules';
import type { StarterPlan } from '../core/starterFiles';

const DAY_MS = 86_400_000;

// Remote sources (an HTTP client and its dependencies) and SLI data are loaded on first use: a CLI
// command that needs neither (`dora`, `lens`) starts faster without evaluating them.
const remoteSourcesModule = () => import('../sources/remoteSources');
const sloDataModule = () => import('./sloData');
const impactDataModule = () => import('./impactData');
// The definitions' schemas and the YAML parser take a good part of a cold start: they are evaluated
// only after git has started on the history (loadWorkspaceDefinitions), and the two overlap.
const definitionsModule = () => import('./definitions');
const inferredSetupModule = () => import('./inferredSetup');

export interface EngineOptions {
  /** Evaluation time (epoch ms); nothing in the engine reads the clock. */
  now: number;
  tokens?: TokenProvider;
  /** The user's connection settings (TLS verification, answer size cap) for every remote source. */
  remoteSettings?: RemoteSourceSettings;
  signal?: AbortSignal;
  /** false in an untrusted workspace or with --offline: no remote source is contacted. Default true. */
  allowRemote?: boolean;
  doraBands?: DoraBands;
  /** Skip reading SLI data (commands that only need delivery history). Default true. */
  sloData?: boolean;
  /** Whether SLO reports carry their burn-down buckets (sloData.ts SloDataOptions.burnDown). Default true. */
  burnDown?: boolean;
  /** What is kept about Prometheus between refreshes (the editor's, per folder). */
  prometheusSession?: PrometheusSession;
  /**
   * Which DORA reports to compute: `both` (current and previous window, for the editor's trend
   * arrows), `current`, or `none` (questions that need only what shipped what, like a file's lens).
   * Default `both`.
   */
  dora?: 'both' | 'current' | 'none';
  /**
   * Check that incidents' root-cause commits exist in the repository (one `git cat-file`), adding a
   * warning to `problems` for each that does not. Default true; commands that do not show problems skip it.
   */
  rootCauseWarnings?: boolean;
  /**
   * false in an untrusted workspace: a repository's own git configuration can run commands (fsmonitor,
   * diff drivers), which is why VS Code's git extension is off in Restricted Mode too. Default true.
   */
  allowGit?: boolean;
  /** Build `snapshot.deployments` (each deployment with its changes and incidents). Default true. */
  deploymentList?: boolean;
  /**
   * How much delivery history the question reads (delivery.ts DeliveryScope): `report` (the default)
   * reads the DORA windows and names the deployment of every incident it lists (`exactLinks`);
   * `window` reads the DORA windows
   * for their numbers only; `{ lensDays }` reads what shipped the commits of a file's recent window;
   * `none` reads no delivery history at all; `suspects` (the merge check) reads the deployments of the
   * last SUSPECT_DAYS days with their impact, and their incidents' links only when one degraded.
   */
  deliveryQuestion?: 'report' | 'window' | { lensDays: number } | 'none' | 'suspects';
  /**
   * Assess the deployments of the DORA window for their impact on the SLOs (snapshot.deploymentImpacts):
   * default true for the `report` question (the views), false otherwise; `window` and a file's lens
   * (which of its changes a degraded deployment shipped, core/changeSignal.ts) may ask for it.
   */
  deploymentImpact?: boolean;
  /**
   * SLOs read from Prometheus: only the latest this many deployments are asked about, a query each
   * (default: the Delivery view's RECENT_DEPLOYMENT_LIMIT for the `report` question, none otherwise).
   */
  impactLimit?: number;
  /**
   * With `report`: which incidents get their deployment named however old their root cause (a search
   * in git per old commit). Default: those open or recent at `now` by `recentDays`, the ones the
   * report and the views list. Others whose root causes all precede the window show no deployment
   * (IncidentView.deploymentBeforeWindow says so).
   */
  exactLinks?: (incident: Incident) => boolean;
  /** How many days count as recent (`--recent-days`, the editor's setting); default config.yaml's. */
  recentDays?: number;
  /** A long-lived caller's memory of each remote source's last good answer, shown stale when it fails. */
  lastGood?: LastGoodData;
  /**
   * Called before the promise resolves with the stages a slow git read passes through: a snapshot
   * holding SLOs and incidents but not yet delivery history (`deliveryPending: true`), when git is
   * still reading after everything else is in; then, when some incidents' old deployments are still
   * searched, one with delivery and those incidents marked (`linksPending: true`). The editor shows
   * each at once. Neither is called for a stage git finished before the rest was in.
   */
  onEarlySnapshot?: (snapshot: WorkspaceSnapshot) => void;
  /**
   * Where `.reliability/` (definitions and SLI data files) is read from, when not the root itself: the
   * merge check reads a copy of the base revision's (checkQuery). git is always asked at the root.
   */
  definitionsRoot?: string;
  /**
   * Zero configuration: the root has no `.reliability/`, and is read as this plan (what `init` would
   * write, inferSetup) describes it instead. The snapshot carries it, so views can say so.
   */
  inferred?: StarterPlan;
}

const GIT_RESTRICTED = 'Restricted Mode: git history is not read in an untrusted workspace (trust it to see delivery and code lenses)';

/** Errors whose message is meant for the user as it is (bad input, configuration, git state, a source). */
export function isUserFacingError(error: unknown): error is Error {
  return (
    error instanceof WorkspaceNotFoundError ||
    error instanceof GitSourceError ||
    error instanceof SourceError ||
    error instanceof StarterExistsError ||
    error instanceof StarterOutsideError ||
    error instanceof StarterRootError ||
    error instanceof HookConflictError ||
    error instanceof EngineInputError
  );
}

export class EngineInputError extends Error {
  override name = 'EngineInputError';
}

async function isDirectory(dir: string): Promise<boolean> {
  return fs.stat(dir).then((s) => s.isDirectory(), () => false);
}

/** The folder holding `.reliability/`: `start` itself or its nearest parent that has one. */
export async function resolveWorkspaceRoot(start: string): Promise<string> {
  let dir = path.resolve(start);
  for (;;) {
    if (await isDirectory(path.join(dir, RELIABILITY_FOLDER))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new WorkspaceNotFoundError(path.resolve(start));
    dir = parent;
  }
}

/** The top-level folder of the git repository holding `directory`; null outside one. */
export async function repositoryTopLevel(directory: string): Promise<string | null> {
  return repositoryLayout(directory).then(
    (layout) => layout.topLevel,
    () => null,
  );
}

/** Whether `root` itself holds a `.reliability/` folder. */
export function hasReliabilityFolder(root: string): Promise<boolean> {
  return isDirectory(path.join(root, RELIABILITY_FOLDER));
}

/**
 * What `init` would write for the repository at `root` (services, tag pattern, and why): a
 * zero-configuration load reads the root as this plan describes it (EngineOptions.inferred).
 */
export async function inferSetup(root: string, options: { allowGit?: boolean; signal?: AbortSignal } = {}): Promise<StarterPlan> {
  return (await inferredSetupModule()).inferSetup(path.resolve(root), options);
}

/** Folders under `folder` (itself, and children two levels down) that hold a `.reliability/` folder. */
export async function findWorkspaceRoots(folder: string): Promise<string[]> {
  const roots: string[] = [];
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (await isDirectory(path.join(dir, RELIABILITY_FOLDER))) roots.push(dir);
    if (depth === 0) return;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    await Promise.all(
      entries
        .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
        .map((e) => visit(path.join(dir, e.name), depth - 1)),
    );
  };
  await visit(path.resolve(folder), 2);
  return roots.sort();
}

/** Merges remote incidents into the ledger's; the ledger wins when both know an id. */
function mergeIncidents(ledger: readonly Incident[], remote: readonly Incident[]): Incident[] {
  const ids = new Set(ledger.map((i) => i.id));
  return [...ledger, ...remote.filter((i) => !ids.has(i.id))];
}

/**
 * The first step of every load, and the one place the history prefetch starts: git begins reading the
 * tag history (when git may be read at all), then the definitions module is evaluated and
 * `.reliability/` parsed while git runs.
 */
async function loadWorkspaceDefinitions(absoluteRoot: string, options: Pick<EngineOptions, 'allowGit' | 'definitionsRoot' | 'inferred'>): Promise<WorkspaceDefinitions> {
  if (options.allowGit !== false) await prefetchTagHistory(absoluteRoot);
  if (options.inferred) return (await inferredSetupModule()).inferredDefinitions(options.inferred);
  return (await definitionsModule()).loadDefinitions(options.definitionsRoot ?? absoluteRoot);
}

export async function loadSnapshot(root: string, options: EngineOptions): Promise<WorkspaceSnapshot> {
  const absoluteRoot = path.resolve(root);
  return snapshotOf(absoluteRoot, await loadWorkspaceDefinitions(absoluteRoot, options), options);
}

/** The snapshot of a workspace whose definitions are loaded: remote sources, SLI data and delivery history. */
async function snapshotOf(absoluteRoot: string, defs: WorkspaceDefinitions, options: EngineOptions): Promise<WorkspaceSnapshot> {
  const { now } = options;
  const allowRemote = options.allowRemote ?? true;
  const tokens: TokenProvider = options.tokens ?? (async () => undefined);
  const { config } = defs;

  const hasRemoteSources = config.incidents.sources.some((s) => s.type !== 'file') || config.deployments.source === 'github';
  const fetchedRemote =
    hasRemoteSources && allowRemote
      ? remoteSourcesModule().then((remote) => remote.fetchRemoteIncidents(config, tokens, now, options.signal, options.remoteSettings))
      : Promise.resolve({
          incidents: [],
          deployments: [],
          states: hasRemoteSources ? [{ name: 'remote', state: 'disabled' as const, message: 'remote sources are off (untrusted workspace or --offline)' }] : [],
        });
  const remotePromise = options.lastGood ? fetchedRemote.then((fetched) => options.lastGood!.applyToRemote(fetched, now)) : fetchedRemote;
  const question = options.deliveryQuestion ?? 'report';
  const impactSince = impactWindowStart(question, options);
  // The deployments are read first when their impact is asked: the SLI data pass sums events between
  // the times their impact needs, so it waits for their times (a for-each-ref the prefetch started).
  const deploymentsRead =
    options.allowGit === false || (question === 'none' && impactSince === null)
      ? null
      : config.deployments.source === 'github'
        ? remotePromise.then((remote) => readDeploymentList({ root: absoluteRoot, config, listedDeployments: remote.deployments, now, signal: options.signal }))
        : readDeploymentList({ root: absoluteRoot, config, listedDeployments: defs.deployments, now, signal: options.signal });
  // A failing read is reported by the delivery read below; it must not go unhandled meanwhile.
  deploymentsRead?.catch(() => undefined);
  const impactDeployments: Promise<Deployment[] | null> =
    impactSince === null || deploymentsRead === null || options.sloData === false
      ? Promise.resolve(null)
      : deploymentsRead.then((read) => deploymentsAsOf(read.deployments, now), () => null);
  const sloPromise =
    options.sloData === false
      ? Promise.resolve({ reports: [], problems: [], sources: [] })
      : Promise.all([sloDataModule(), impactDeployments]).then(([slo, deployments]) => slo.computeSloReports(options.definitionsRoot ?? absoluteRoot, config, defs.slos, {
          now,
          allowRemote,
          tokens,
          remoteSettings: options.remoteSettings,
          signal: options.signal,
          burnDown: options.burnDown,
          prometheusSession: options.prometheusSession,
          ...(deployments && impactSince !== null
            ? { impactTimes: (def: SloDefinition) => impactBoundaries(deployments, def.service, impactSince, now, sloWindowRange(def, now).start) }
            : {}),
        }));

  // The SLOs read from Prometheus count each deployment's spans with a query of their own, while
  // the SLI data loads; their failures are warnings, the rest of the impact stands.
  const prometheusSlos = defs.slos.filter(readsPrometheus);
  const prometheusImpactPromise: Promise<PrometheusImpact | null> =
    prometheusSlos.length === 0 || !allowRemote
      ? Promise.resolve(null)
      : Promise.all([impactDeployments, impactDataModule()]).then(([deployments, impactData]) =>
          deployments === null || impactSince === null
            ? null
            : impactData.prometheusImpact({
                config,
                slos: prometheusSlos,
                deployments,
                since: impactSince,
                now,
                limit: options.impactLimit ?? (question === 'report' ? RECENT_DEPLOYMENT_LIMIT : undefined),
                tokens,
                remoteSettings: options.remoteSettings,
                signal: options.signal,
                cache: options.prometheusSession?.impacts,
              }),
        ).catch((error: unknown) => ({
          // Only an unexpected failure gets here (a question's own failure is a warning already): said, never thrown.
          countsIn: () => null,
          problems: [{ file: 'prometheus', line: 0, column: 0, severity: 'warning' as const, message: `deployment impact was not read from Prometheus: ${error instanceof Error ? error.message : String(error)}` }],
        }));
  const impactSlosOf = (reports: readonly SloReport[], prometheus: PrometheusImpact | null): ImpactSlo[] =>
    reports.map((report) => {
      const def = prometheus ? prometheusSlos.find((slo) => slo.service === report.service && slo.name === report.name) : undefined;
      return impactSloOfReport(report, def && prometheus ? (span) => prometheus.countsIn(def, span) : undefined);
    });

  const remote = await remotePromise;
  const incidents = mergeIncidents(defs.incidents, remote.incidents);
  const listedDeployments = config.deployments.source === 'github' ? remote.deployments : defs.deployments;
  let deliveryDone = false;
  // The interim stage (delivery known, some incidents' old deployments still searched) may arrive
  // before the SLOs are in: it is shown once they are, never before the first early snapshot.
  let emitInterim: (() => void) | undefined;
  let interimReady: (() => void) | undefined;
  const deliveryPromise = (
    options.allowGit === false
      ? Promise.resolve(withoutGit())
      : question === 'none'
        ? Promise.resolve(deliveryNotAsked())
        : question === 'suspects'
          ? suspectLinks(
              absoluteRoot,
              { config, listedDeployments, incidents, now, signal: options.signal, deploymentsRead, impactSince, bands: options.doraBands ?? '2023' },
              Promise.all([sloPromise, prometheusImpactPromise]).then(([slo, prometheus]) => impactSlosOf(slo.reports, prometheus)),
              impactDeployments,
            )
          : loadDelivery({
          root: absoluteRoot,
          config,
          listedDeployments,
          incidents,
          now,
          bands: options.doraBands ?? '2023',
          dora: options.dora ?? 'both',
          rootCauseWarnings: options.rootCauseWarnings ?? true,
          deploymentList: options.deploymentList ?? true,
          ...(deploymentsRead ? { deploymentsRead } : {}),
          scope: deliveryScope(now, {
            dora: options.dora ?? 'both',
            lensDays: typeof question === 'object' ? question.lensDays : undefined,
            exactLinks: question === 'report' ? (options.exactLinks ?? listedIncidents(now, effectiveRecentDays(config.recentDays, options.recentDays))) : () => false,
          }),
          signal: options.signal,
          onInterim: (interim, namingIncidents) => {
            if (options.onEarlySnapshot && !options.signal?.aborted) emitInterim = () => options.onEarlySnapshot?.(assemble(interim, namingIncidents));
            interimReady?.();
          },
        })
  ).finally(() => (deliveryDone = true));
  // A failing delivery read is awaited below; it must not go unhandled while the SLOs load.
  deliveryPromise.catch(() => undefined);
  const slo = await sloPromise;
  const sloResult = options.lastGood ? options.lastGood.applyToSloReports(slo.reports, slo.sources, now) : { reports: slo.reports, states: slo.sources };
  const assessedDeployments = await impactDeployments;
  // Awaited with the SLOs: an early snapshot shows no impact anyway (it waits for delivery's links).
  const prometheusImpact = await prometheusImpactPromise;
  const impactSlos = impactSlosOf(sloResult.reports, prometheusImpact);
  // Suspects need the incidents' links, so the impact is shown once delivery is in; the merge check's
  // question reads links only when something degraded (suspectLinks), and without a read none is.
  const impactsOf = (delivery: DeliveryResult | null): { deploymentImpacts?: DeploymentImpact[] } => {
    if (impactSince === null || assessedDeployments === null || delivery === null) return {};
    if (!delivery.data && question !== 'suspects') return {};
    const impacts = deploymentImpacts({
      deployments: delivery.data?.delivery.deployments ?? assessedDeployments,
      since: impactSince,
      now,
      slos: impactSlos,
      incidents,
      links: delivery.data?.incidentDeployments ?? new Map(),
    });
    // Without links (nothing degraded, so none were read; or git failed) no deployment is known to be a suspect.
    return { deploymentImpacts: delivery.data ? impacts : impacts.map((entry) => ({ ...entry, suspect: false })) };
  };
  const assemble = (delivery: DeliveryResult | null, namingIncidents?: ReadonlySet<string>): WorkspaceSnapshot => ({
    root: absoluteRoot,
    now,
    config,
    slos: defs.slos,
    sloReports: sloResult.reports,
    incidents: incidents.map((incident) => incidentView(incident, delivery?.data?.incidentDeployments.get(incident.id), namingIncidents?.has(incident.id) === true)),
    deployments: delivery?.deployments ?? [],
    ...impactsOf(delivery),
    dora: delivery?.dora ?? null,
    previousDora: delivery?.previousDora ?? null,
    problems: [...defs.problems, ...slo.problems, ...(prometheusImpact?.problems ?? []), ...(delivery?.problems ?? [])],
    sources: [...(delivery ? [delivery.state] : []), ...sloResult.states, ...remote.states],
    delivery: delivery?.data ?? null,
    deliveryError: delivery?.error ?? null,
    ...(delivery ? {} : { deliveryPending: true }),
    ...(namingIncidents ? { linksPending: true } : {}),
    ...(options.inferred ? { inferred: options.inferred } : {}),
  });
  if (options.onEarlySnapshot && !deliveryDone && !options.signal?.aborted) {
    if (emitInterim) emitInterim();
    else {
      options.onEarlySnapshot(assemble(null));
      interimReady = () => emitInterim?.();
    }
  }
  const delivered = await deliveryPromise;
  interimReady = undefined;
  return assemble(delivered);
}

/**
 * An incident as the views and the report show it. One linked to EARLIER_DEPLOYMENT (a deployment
 * before the window read, not searched for: the incident is neither open nor recent) shows no
 * deployment name, and says it was earlier.
 */
function incidentView(incident: Incident, link: string | null | undefined, lookupPending: boolean): IncidentView {
  if (lookupPending) return { ...incident, deployment: null, deploymentLookupPending: true };
  if (link === EARLIER_DEPLOYMENT) return { ...incident, deployment: null, deploymentBeforeWindow: true };
  return { ...incident, deployment: link ?? null };
}

/** How far back the merge check looks for suspect deployments (DOMAIN.md section 4). */
export const SUSPECT_DAYS = SUSPECT_CAUTION_DAYS;

/**
 * Since when deployments are assessed for their impact (DOMAIN.md section 6), or null when the
 * question does not show it: the DORA window's for the report and the views, the merge check's week.
 */
function impactWindowStart(question: NonNullable<EngineOptions['deliveryQuestion']>, options: EngineOptions): number | null {
  if (question === 'suspects') return options.now - SUSPECT_DAYS * DAY_MS;
  const asked = options.deploymentImpact ?? question === 'report';
  return asked && question !== 'none' ? options.now - DORA_WINDOW_DAYS * DAY_MS : null;
}

/**
 * The merge check's delivery: the incidents' links to the deployments of its week, read only when one
 * of them degraded an SLO (a suspect needs no link), and then for that week alone. Otherwise no git
 * history is read, as before the check knew about deployments.
 */
async function suspectLinks(
  root: string,
  input: {
    config: WorkspaceConfig;
    listedDeployments: readonly Deployment[];
    incidents: readonly Incident[];
    now: number;
    signal?: AbortSignal;
    deploymentsRead: Promise<DeploymentListRead> | null;
    impactSince: number | null;
    bands: DoraBands;
  },
  impactSlos: Promise<ImpactSlo[]>,
  impactDeployments: Promise<Deployment[] | null>,
): Promise<DeliveryResult> {
  const [slos, deployments] = await Promise.all([impactSlos, impactDeployments]);
  if (deployments === null || input.impactSince === null) return deliveryNotAsked();
  const provisional = deploymentImpacts({ deployments, since: input.impactSince, now: input.now, slos, incidents: [], links: new Map() });
  if (!provisional.some((entry) => entry.verdict === 'degraded')) return deliveryNotAsked();
  return loadDelivery({
    root,
    config: input.config,
    listedDeployments: input.listedDeployments,
    incidents: input.incidents,
    now: input.now,
    bands: input.bands,
    dora: 'none',
    rootCauseWarnings: false,
    deploymentList: false,
    scope: { since: input.impactSince, lanes: 'all', exactLinks: () => false },
    signal: input.signal,
    ...(input.deploymentsRead ? { deploymentsRead: input.deploymentsRead } : {}),
  });
}

/** The incidents the report and the views list: open at `now`, or recent by `recentDays`. */
function listedIncidents(now: number, recentDays: number): (incident: Incident) => boolean {
  return (incident) => isRecentAt(incident, now, recentDays);
}

/** The delivery of a question that reads none (the merge check). */
function deliveryNotAsked(): DeliveryResult {
  return { data: null, deployments: [], dora: null, previousDora: null, problems: [], state: { name: 'git', state: 'ok', message: 'delivery history not read for this question' }, error: null };
}

function withoutGit(): DeliveryResult {
  return {
    data: null,
    deployments: [],
    dora: null,
    previousDora: null,
    problems: [],
    state: { name: 'git', state: 'disabled', message: GIT_RESTRICTED },
    error: new EngineInputError(GIT_RESTRICTED),
  };
}

/** Services a workspace-relative path belongs to. */
export function servicesOfFile(snapshot: WorkspaceSnapshot, relativePath: string): string[] {
  return servicesForPath(relativePath, snapshot.config.services);
}

/** The git failure behind a snapshot without delivery history, thrown for questions that need git. */
export function requireDelivery(snapshot: WorkspaceSnapshot) {
  if (snapshot.delivery) return snapshot.delivery;
  throw snapshot.deliveryError ?? new EngineInputError('no git history');
}

/** Every command reads git; outside a repository there is nothing sensible to report. */
export function requireGitRepository(snapshot: WorkspaceSnapshot): void {
  if (snapshot.deliveryError instanceof NotAGitRepositoryError) throw snapshot.deliveryError;
}

/** What git says about one file: its recent commits and the lines each still owns. */
export interface FileLensReads {
  recentCommits: FileCommit[];
  blameRanges: Map<string, Array<[number, number]>>;
}

/**
 * The git reads of a file's lens, which need no snapshot: a caller may start them while the
 * snapshot loads and hand them to fileLens.
 */
export async function readFileLens(root: string, absoluteFile: string, options: { now: number; recentDays: number; signal?: AbortSignal }): Promise<FileLensReads> {
  const since = options.now - options.recentDays * DAY_MS;
  const [recentCommits, blameRanges] = await Promise.all([
    recentCommitsOfFile(root, absoluteFile, since, options.now, options.signal),
    blameRecentLines(root, absoluteFile, since, options.signal),
  ]);
  return { recentCommits, blameRanges };
}

/** A file's recent commits, the lines each still owns, its shipping deployment and linked incidents. */
export async function fileLens(
  snapshot: WorkspaceSnapshot,
  absoluteFile: string,
  options: { recentDays: number; signal?: AbortSignal; reads?: Promise<FileLensReads> },
): Promise<FileChange[]> {
  const delivery = requireDelivery(snapshot);
  const relative = path.relative(snapshot.root, absoluteFile).split(path.sep).join('/');
  const { recentCommits, blameRanges } = await (options.reads ??
    readFileLens(snapshot.root, absoluteFile, { now: snapshot.now, recentDays: options.recentDays, signal: options.signal }));
  if (recentCommits.length === 0) return [];
  const { shipping, incidentDeployments } = await shippingOfCommits(
    delivery,
    snapshot.incidents,
    recentCommits.map((commit) => commit.sha),
    options.signal,
  );
  return linkFileChanges({
    file: relative,
    fileServices: servicesOfFile(snapshot, relative),
    recentCommits,
    blameRanges,
    shippedBy: shipping,
    incidents: snapshot.incidents,
    incidentDeployments,
  });
}

/** What the merge check is asked about: the change (its base, or the services named) and who exempts it. */
export interface ChangeQuestion {
  base?: string;
  /**
   * The tip of the change (default HEAD): the Action names the pull request's own head, since the
   * job's HEAD is GitHub's merge commit, which is no commit of the change.
   */
  head?: string;
  services?: string[];
  /** The pull request's labels (the Action reads them from the event): the policy's exemptLabel among them exempts a freeze. */
  labels?: readonly string[];
  /** `--exempt "<reason>"`: the person running the check exempts the change from a freeze, saying why. */
  exemptReason?: string;
}

export interface MergeCheckResult extends MergeVerdict {
  /** The base the change was compared against; null when services were named instead. */
  base: string | null;
  /** The SLO reports of the services the verdict is about, for the CI reports' tables (without the dashboard's burn-down and the counts). */
  slos: CheckedSlo[];
  /** The incidents open at `now` on those services. */
  openIncidents: Incident[];
  /** The change's files (none when services were named) with the services each belongs to. */
  changedFiles: ChangedFile[];
  now: number;
}

export type CheckedSlo = Omit<SloReport, 'burnDown' | 'counts'>;

/** An SLO report's numbers without the series only the dashboard and `explain` read (which a check may not load). */
function checkedSlo({ burnDown: _burnDown, counts: _counts, ...numbers }: SloReport): CheckedSlo {
  return numbers;
}

export interface ChangedFile {
  path: string;
  services: string[];
}


/**
 * The merge check of the current branch with the snapshot's definitions (the editor's Can I Merge?,
 * which judges by the folder it shows): services from `git diff --name-only BASE...HEAD` (or the named
 * ones), their SLO statuses and open incidents, with the exemptions. `reliability-lens check` and the
 * Action judge by the base revision's definitions instead (checkQuery).
 */
export async function mergeCheck(snapshot: WorkspaceSnapshot, options: ChangeQuestion): Promise<MergeCheckResult> {
  const base = await baseOfChange(snapshot.root, snapshot.config.defaultBranch, options.base);
  return judgeChange(snapshot, { name: base, revision: base }, options, { judgedBy: 'editor', skipped: [] });
}

/**
 * The verdict on the change against the base (named as the user did, compared at `revision`), by the
 * definitions `snapshot` holds: `judgedBy` says whose they are, for the base rule's cautions.
 */
async function judgeChange(
  snapshot: WorkspaceSnapshot,
  base: { name: string; revision: string },
  options: ChangeQuestion,
  definitions: { judgedBy: JudgedBy; skipped: readonly string[] },
): Promise<MergeCheckResult> {
  if (snapshot.deliveryError instanceof EngineInputError) throw snapshot.deliveryError;
  const known = new Set([...snapshot.config.services.map((s) => s.name), ...snapshot.sloReports.map((s) => s.service)]);
  const unknown = (options.services ?? []).filter((s) => !known.has(s));
  if (unknown.length > 0) {
    throw new EngineInputError(`unknown service ${unknown.map((s) => `"${s}"`).join(', ')}; services: ${[...known].join(', ') || 'none configured'}`);
  }
  // The files are read with named services too: an edit of `.reliability/` cautions either way.
  const { files, commits } = await readChange(snapshot.root, base.revision, { files: true, ...(options.head !== undefined ? { head: options.head } : {}) });
  const services = options.services ?? servicesForPaths(files, snapshot.config.services);
  const onServices = new Set(services);
  const verdict = decideMerge({
    services,
    sloReports: snapshot.sloReports,
    incidents: snapshot.incidents,
    commits,
    policy: snapshot.config.policy,
    now: snapshot.now,
    incidentSources: snapshot.sources.filter((source) => isIncidentSourceState(source, snapshot.config)),
    deploymentImpacts: snapshot.deploymentImpacts,
    servicePolicies: servicePolicies(snapshot.config.services),
    ...(options.labels ? { labels: options.labels } : {}),
    ...(options.exemptReason !== undefined ? { exemptReason: options.exemptReason } : {}),
    changeCautions: baseRuleCautions({ base: base.name, folder: RELIABILITY_FOLDER, editedFiles: files, ...definitions }),
  });
  return {
    ...verdict,
    base: base.name,
    slos: snapshot.sloReports.filter((slo) => onServices.has(slo.service)).map(checkedSlo),
    openIncidents: snapshot.incidents.filter((incident) => onServices.has(incident.service) && isOpenAt(incident, snapshot.now)),
    changedFiles: files.map((file) => ({ path: file, services: servicesForPath(file, snapshot.config.services) })),
    now: snapshot.now,
  };
}

/** Whether a source state is about incidents: one of config.yaml's remote incident sources, or all of them at once (`remote`). */
function isIncidentSourceState(source: SourceState, config: WorkspaceConfig): boolean {
  return source.name === 'remote' || config.incidents.sources.some((entry) => entry.type !== 'file' && entry.type === source.name);
}

/**
 * The base a change is compared with: `--base`, else config.yaml's defaultBranch, else the one git
 * names. defaultBranch is the one setting read from the working tree: it says which revision the rest
 * is read from (a CI job names its base with --base, as the Action does).
 */
async function baseOfChange(root: string, configured: string | undefined, base: string | undefined): Promise<string> {
  if (base !== undefined) return base;
  if (configured === undefined) return defaultBranch(root);
  const found = await existingBranch(root, configured);
  if (found !== null) return found;
  const alternative = configured.startsWith('origin/') ? '' : ` (nor origin/${configured})`;
  throw new UnknownRefError(
    configured,
    `defaultBranch "${configured}" in ${RELIABILITY_FOLDER}/config.yaml is no branch, tag or commit of this repository${alternative}; correct it, or name the base with --base`,
  );
}

/** Health of every data source: git, the workspace's files, and each remote source. */
export async function sourcesQuery(root: string, options: QueryOptions): Promise<SourceState[]> {
  const snapshot = await loadSnapshot(root, { ...options, sloData: true, allowRemote: false });
  const local: SourceState[] = snapshot.sources.filter((s) => s.name === 'git');
  const errors = snapshot.problems.filter((p) => p.severity === 'error');
  local.push({
    name: 'workspace files',
    host: undefined,
    state: errors.length === 0 ? 'ok' : 'failing',
    message: errors.length === 0 ? `${snapshot.slos.length} SLOs, ${snapshot.incidents.length} incidents` : `${errors.length} problems, first: ${errors[0].file}:${errors[0].line}: ${errors[0].message}`,
  });
  if (options.allowRemote === false) return local;
  const remote = await (await remoteSourcesModule()).checkSources(
    snapshot.config,
    options.tokens ?? (async () => undefined),
    options.now,
    options.signal,
    options.remoteSettings,
    snapshot.slos,
  );
  return [...local, ...remote];
}

/** Which SLO to explain: its name, and its service when the name alone is not unique. */
export interface SloSelector {
  slo: string;
  service?: string;
}

/**
 * The explanation of one SLO at the snapshot's evaluation time (core/explain.ts), from the counts its
 * report was evaluated from. An unknown SLO, or a name several services use without `service`, is an
 * EngineInputError naming the choices.
 */
export function explainSlo(snapshot: WorkspaceSnapshot, selector: SloSelector): SloExplanation {
  const report = findSloReport(snapshot, selector);
  const explanation = explainSloReport(snapshot, report);
  if (!explanation) throw new EngineInputError(`SLO "${report.name}" of ${report.service} has no definition in this workspace`);
  return explanation;
}

function findSloReport(snapshot: WorkspaceSnapshot, selector: SloSelector): SloReport {
  const named = snapshot.sloReports.filter((report) => report.name === selector.slo);
  const matching = selector.service === undefined ? named : named.filter((report) => report.service === selector.service);
  if (matching.length === 1) return matching[0];
  if (matching.length > 1) {
    throw new EngineInputError(
      `SLO "${selector.slo}" is defined by several services (${matching.map((report) => report.service).join(', ')}); name one with --service`,
    );
  }
  const known = snapshot.sloReports.map((report) => `${report.service}/${report.name}`).join(', ') || 'none defined';
  const which = selector.service === undefined ? `"${selector.slo}"` : `"${selector.slo}" of service "${selector.service}"`;
  throw new EngineInputError(`unknown SLO ${which}; SLOs (service/name): ${known}`);
}

/** Every DORA metric's inputs over the report's window (core/doraExplain.ts); needs git history. */
export function explainDora(snapshot: WorkspaceSnapshot): DoraExplanation {
  requireDelivery(snapshot);
  const explanation = doraExplanationOf(snapshot);
  if (!explanation) throw new EngineInputError('no DORA report: the delivery history gave none');
  return explanation;
}

// One function per question the CLI asks. Each chooses what its answer needs loaded; none reaches
// back into the caller. Every load starts with loadWorkspaceDefinitions, which starts git first.

/** What a caller says about every question: when, how to reach remote sources, and which DORA bands. */
export type QueryOptions = Pick<EngineOptions, 'now' | 'tokens' | 'remoteSettings' | 'signal' | 'allowRemote' | 'doraBands' | 'recentDays' | 'inferred'>;

/** The whole report: SLOs, DORA with its problems, incidents. Answers outside a repository too (delivery then says why it is missing). */
export function reportQuery(root: string, options: QueryOptions): Promise<WorkspaceSnapshot> {
  // The report shows no deployment's impact, so its SLI data pass does not wait for the deployments.
  return loadSnapshot(root, { ...options, deploymentImpact: false });
}

/** Incidents matching `query` (core/incidents.ts's search); with `recentDays`, only the open and recent ones. */
export async function incidentsQuery(
  root: string,
  question: { query: string; recentDays?: number },
  options: QueryOptions,
): Promise<{ snapshot: WorkspaceSnapshot; incidents: IncidentView[] }> {
  // The incidents found are the ones shown with their deployments: those are named exactly.
  const snapshot = await loadSnapshot(root, {
    ...options,
    deploymentImpact: false,
    exactLinks: (incident) => searchIncidents([incident], question.query, options.now).length > 0,
  });
  const matching = searchIncidents(snapshot.incidents, question.query, snapshot.now);
  const { recentDays } = question;
  const incidents = recentDays === undefined ? matching : matching.filter((incident) => isRecentAt(incident, snapshot.now, recentDays));
  return { snapshot, incidents };
}

/** What a current-window DORA answer needs: no SLI data, no previous window, no problems list, no deployment list. */
const DORA_ONLY: Partial<EngineOptions> = { sloData: false, dora: 'current', rootCauseWarnings: false, deploymentList: false, deliveryQuestion: 'window' };

/** The snapshot of a question that cannot be answered without git history; outside a repository, its error. */
async function loadGitSnapshot(root: string, options: EngineOptions): Promise<WorkspaceSnapshot> {
  const snapshot = await loadSnapshot(root, options);
  requireGitRepository(snapshot);
  return snapshot;
}

/** The DORA metrics of the current window. */
export async function doraQuery(root: string, options: QueryOptions): Promise<DoraReport> {
  const snapshot = await loadGitSnapshot(root, { ...options, ...DORA_ONLY });
  requireDelivery(snapshot);
  return snapshot.dora!;
}

/** The deployments of the DORA window, newest first, once per service, with their impact on its SLOs (DOMAIN.md section 6). */
export async function deploymentsQuery(root: string, options: QueryOptions): Promise<{ snapshot: WorkspaceSnapshot; deployments: DeploymentImpact[] }> {
  const snapshot = await loadGitSnapshot(root, { ...options, dora: 'current', rootCauseWarnings: false, deploymentList: false, deliveryQuestion: 'window', deploymentImpact: true });
  requireDelivery(snapshot);
  return { snapshot, deployments: snapshot.deploymentImpacts ?? [] };
}

/** Every DORA metric's inputs over the current window. */
export async function explainDoraQuery(root: string, options: QueryOptions): Promise<DoraExplanation> {
  return explainDora(await loadGitSnapshot(root, { ...options, ...DORA_ONLY }));
}

/** One SLO's explanation; it needs its SLI data only: no git history, no DORA, no incidents' links. */
export async function explainSloQuery(root: string, selector: SloSelector, options: QueryOptions): Promise<SloExplanation> {
  const snapshot = await loadSnapshot(root, { ...options, allowGit: false, dora: 'none', rootCauseWarnings: false, deploymentList: false });
  return explainSlo(snapshot, selector);
}

/**
 * The recording rules for the workspace's Prometheus SLOs (`reliability-lens rules`): definitions only,
 * no git and no server. `problems` are the workspace's, so a spec that did not load is not silently missing.
 */
export async function rulesQuery(root: string): Promise<{ plan: RuleFilePlan; problems: Problem[] }> {
  const defs = await loadWorkspaceDefinitions(path.resolve(root), { allowGit: false });
  return { plan: planRuleFile(defs.slos), problems: defs.problems };
}

/** The merge check of the current branch against `base` (or of the named services). */
export async function checkQuery(root: string, change: ChangeQuestion, options: QueryOptions): Promise<MergeCheckResult> {
  const absoluteRoot = path.resolve(root);
  // The gate cannot be talked out of by the change it judges: the policy, services, sources,
  // maintenance windows, SLOs, their data and the incident ledger are the base revision's `.reliability/`.
  // Only where the base is comes from the working tree (--base, else its defaultBranch).
  const configured = change.base === undefined ? (await (await definitionsModule()).loadConfigFile(absoluteRoot)).defaultBranch : undefined;
  const base = await baseOfChange(absoluteRoot, configured, change.base);
  // Resolving the base first says at once when the folder is no repository, a shallow clone, or the base unknown.
  const baseSha = await resolveBase(absoluteRoot, base);
  const copy = await copyFolderAtRevision(absoluteRoot, baseSha, RELIABILITY_FOLDER);
  try {
    // The verdict needs SLOs, incidents and the change itself. Delivery history is read only for the
    // week's deployments, and only when one of them degraded an SLO: then its incidents' links say
    // whether it is a suspect (DOMAIN.md section 4's caution).
    const snapshot = await loadSnapshot(absoluteRoot, {
      ...options,
      dora: 'none',
      deploymentList: false,
      deliveryQuestion: 'suspects',
      ...(copy ? { definitionsRoot: copy.root } : {}),
    });
    const definitions = copy ? { judgedBy: 'base' as const, skipped: copy.skipped } : { judgedBy: 'no-base-folder' as const, skipped: [] };
    return await judgeChange(snapshot, { name: base, revision: baseSha }, change, definitions);
  } finally {
    await copy?.remove();
  }
}

/** A file's lens, with its path relative to the workspace root. */
export interface LensAnswer {
  relativePath: string;
  changes: FileChange[];
  /** The deployments that degraded an SLO of the file's services, by name: which changes carry a signal (core/changeSignal.ts), as in the editor. */
  degraded: Map<string, string[]>;
}

/**
 * A file's lens. It needs what shipped each commit and the incidents' deployments, not DORA or the
 * problems list. The file's own git reads start as soon as the configuration says how recent is
 * recent, while git still reads the history.
 */
export async function lensQuery(root: string, absoluteFile: string, options: QueryOptions & { recentDays?: number }): Promise<LensAnswer> {
  const absoluteRoot = path.resolve(root);
  const defs = await loadWorkspaceDefinitions(absoluteRoot, { inferred: options.inferred });
  const recentDays = effectiveRecentDays(defs.config.recentDays, options.recentDays);
  const reads = readFileLens(absoluteRoot, absoluteFile, { now: options.now, recentDays, signal: options.signal });
  // Awaited by fileLens below; a failure while the snapshot still loads must not go unhandled.
  reads.catch(() => undefined);
  // The SLO data is read for the deployments' impact alone (no burn-down), over the deployments the
  // editor assesses: the DORA window's, and in Prometheus mode the latest the Delivery view lists.
  const snapshot = await snapshotOf(absoluteRoot, defs, {
    ...options,
    burnDown: false,
    deploymentImpact: true,
    impactLimit: RECENT_DEPLOYMENT_LIMIT,
    dora: 'none',
    rootCauseWarnings: false,
    deploymentList: false,
    deliveryQuestion: { lensDays: recentDays },
  });
  requireGitRepository(snapshot);
  const changes = await fileLens(snapshot, absoluteFile, { recentDays, reads });
  const relativePath = path.relative(absoluteRoot, absoluteFile).split(path.sep).join('/');
  return { relativePath, changes, degraded: degradedDeployments(snapshot.deploymentImpacts, servicesOfFile(snapshot, relativePath)) };
}

/**
 * Drops what the git source keeps between loads for the repository holding `root` (each lane's window
 * read, the shipping answers found): the editor calls it when the folder closes, so the extension
 * host's memory follows the folders open. Another folder of the same repository reads afresh.
 */
export async function forgetRepositoryReads(root: string): Promise<void> {
  const { topLevel } = await repositoryLayout(root);
  forgetDeliveryWindows(topLevel);
  forgetShippingAnswers(topLevel);
}

// The extension reaches the engine through this one module (loaded lazily by the views), so the few
// helpers it needs from elsewhere are exported here too.
export { WorkspaceNotFoundError } from './reliabilityFolder';
export { createStarterFolder } from './starter';
export { installPrePushHook, uninstallPrePushHook } from './prePushHook';
export { searchIncidents } from '../core/incidents';
export { remoteFirstBranch, revisionExists } from '../sources/git/branches';
export { ShallowCloneError } from '../sources/git/errors';
