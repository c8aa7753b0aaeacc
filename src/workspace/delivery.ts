// Delivery history of a workspace: deployments (git tags, deployments.yaml or GitHub), what each shipped,
// the incidents linked to them, and DORA over the current and the previous window. Only what the question
// needs is read from git: the deployments' commits since the start of its window (sources/git/deliveryWindow.ts),
// and, for the few commits outside it that an answer names (a root cause from years ago), a query for each
// (sources/git/shipping.ts).
import type { Deployment, DoraBands, DoraReport, Incident, Problem, SourceState, WorkspaceConfig } from '../core/model';
import { computeDelivery, deploymentsAsOf, EARLIER_DEPLOYMENT, type DeliveryHistory, type ShippingLookup } from '../core/deployments';
import { computeDora } from '../core/dora';
import { linkIncidentsToDeployments } from '../core/dora/linkedIncidents';
import { formatUtc } from '../core/format';
import { readDeliveryWindow, type DeliveryWindow } from '../sources/git/deliveryWindow';
import { GitSourceError } from '../sources/git/errors';
import { readTagDeployments } from '../sources/git/history';
import { commitGraphAdvice } from '../sources/git/layout';
import { resolveDeploymentCommits, resolveRootCauses } from '../sources/git/revisions';
import { shippingOf } from '../sources/git/shipping';
import type { DeploymentView } from './snapshot';

const DAY_MS = 86_400_000;
export const DORA_WINDOW_DAYS = 90;

/**
 * How much of the history a question reads, and how exactly it names old deployments.
 * - `since`: deployments after it get their changes; git reads only the commits they shipped.
 * - `lanes`: `all` for each deployment's changes per service (DORA, the deployment list); `every` for
 *   only what shipped each commit (a file's lens).
 * - `exactLinks`: which incidents get the name of their deployment however old their root cause (those
 *   the report and the views list: open and recent ones, or those a search found). Every other incident
 *   whose root causes all precede the window is linked to EARLIER_DEPLOYMENT, which is all the window's
 *   numbers need, and no old commit is searched for it: on a history of years, each search costs a
 *   walk of its own, and a ledger of years holds hundreds of them.
 */
export interface DeliveryScope {
  since: number;
  lanes: 'all' | 'every';
  exactLinks: (incident: Incident) => boolean;
}

/** The scope of a question asked at `now`: DORA (`both` windows or the `current` one) or a file's lens of `lensDays`. */
export function deliveryScope(
  now: number,
  question: { dora: 'both' | 'current' | 'none'; lensDays?: number; exactLinks: (incident: Incident) => boolean },
): DeliveryScope {
  if (question.lensDays !== undefined) return { since: now - question.lensDays * DAY_MS, lanes: 'every', exactLinks: question.exactLinks };
  const windows = question.dora === 'current' ? 1 : 2;
  return { since: now - windows * DORA_WINDOW_DAYS * DAY_MS, lanes: 'all', exactLinks: question.exactLinks };
}

export interface DeliveryData {
  root: string;
  /** The commits read (`window.commits`): those the deployments after `window.since` shipped, with their messages. */
  window: DeliveryWindow;
  /** Deployments at or before now in time order (`delivery.deployments`), what each shipped, what shipped each commit read. */
  delivery: DeliveryHistory;
  /** What shipped a commit: the window's walks, and the answers found for root causes outside it. */
  shipping: ShippingLookup;
  /** Incidents' root-cause prefixes as git resolved them. */
  rootCauses: ReadonlyMap<string, string | null>;
  /** Incident id -> linked deployment name (EARLIER_DEPLOYMENT for one the scope did not ask to name). */
  incidentDeployments: Map<string, string | null>;
}

export interface DeliveryResult {
  data: DeliveryData | null;
  deployments: DeploymentView[];
  dora: DoraReport | null;
  previousDora: DoraReport | null;
  problems: Problem[];
  state: SourceState;
  /** Set when git could not give a history: why, as one plain line. */
  error: GitSourceError | null;
}

export interface DeliveryInput {
  root: string;
  config: WorkspaceConfig;
  /** Deployments from deployments.yaml or GitHub, commits not yet resolved to full SHAs. */
  listedDeployments: readonly Deployment[];
  incidents: readonly Incident[];
  now: number;
  bands: DoraBands;
  /** Which DORA reports to compute (engine.ts EngineOptions.dora). Default `both`. */
  dora?: 'both' | 'current' | 'none';
  /** Report root-cause commits that name nothing as problems. Default true. */
  rootCauseWarnings?: boolean;
  /** Build the deployment list with each deployment's changes (views, report). Default true. */
  deploymentList?: boolean;
  /** What to read; default the scope of `dora` with exact links. */
  scope?: DeliveryScope;
  /** Aborting stops the git processes of the read (a superseding refresh, a closed folder). */
  signal?: AbortSignal;
  /**
   * The deployments, when the caller has started reading them already (readDeploymentList): the
   * engine reads them first, since the SLI data pass needs their times (deployment impact).
   */
  deploymentsRead?: Promise<DeploymentListRead>;
  /**
   * Called when everything but the names of some incidents' old deployments is known (the ids given),
   * before those are searched: the editor shows delivery at once and the names when they arrive.
   */
  onInterim?: (result: DeliveryResult, namingIncidents: ReadonlySet<string>) => void;
}

/** The deployments of a workspace as its source gives them, with the warnings of the read as problems. */
export interface DeploymentListRead {
  deployments: Deployment[];
  problems: Problem[];
}

/**
 * The deployments (tags, deployments.yaml or GitHub, commits resolved to full SHAs). Throws the
 * GitSourceError of a folder that is no repository or a pattern no tag matches, as loadDelivery reports.
 */
export async function readDeploymentList(input: Pick<DeliveryInput, 'root' | 'config' | 'listedDeployments' | 'now' | 'signal'>): Promise<DeploymentListRead> {
  const { config } = input;
  if (config.deployments.source === 'git-tags') {
    const { deployments, warnings } = await readTagDeployments(input.root, {
      tagPattern: config.deployments.tagPattern,
      services: config.services,
      now: input.now,
      signal: input.signal,
    });
    return { deployments, problems: warnings.map((message) => ({ file: '.reliability/config.yaml', line: 0, column: 0, severity: 'warning', message })) };
  }
  const { deployments, warnings } = await resolveDeploymentCommits(input.root, input.listedDeployments);
  const file = config.deployments.source === 'file' ? '.reliability/deployments.yaml' : 'github';
  return { deployments, problems: warnings.map((message) => ({ file, line: 0, column: 0, severity: 'warning', message })) };
}

async function readDeployments(input: DeliveryInput, problems: Problem[]): Promise<Deployment[]> {
  const read = await (input.deploymentsRead ?? readDeploymentList(input));
  problems.push(...read.problems);
  return read.deployments;
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/**
 * A lookup answering from the searches' answers (null: no deployment reaches the commit) where they
 * have one, else from `base` (the window's walks, or a lookup built on them).
 */
function shippingLookup(base: ShippingLookup, answers: ReadonlyMap<string, string | null>): ShippingLookup {
  return { get: (sha) => (answers.has(sha) ? (answers.get(sha) ?? undefined) : base.get(sha)) };
}

/** Whether the window's `every` walk answered the commit (it is in the window read). */
function inWindow(window: DeliveryWindow, sha: string): boolean {
  const ordinal = window.every.find(sha);
  return ordinal !== undefined && window.every.commits[ordinal] !== undefined;
}

/**
 * Which root-cause commits outside the window need a search, and why. An incident with root causes
 * inside the window and outside links to an earlier deployment only if one outside was deployed: its
 * outside ones are searched for the window's numbers. An incident with every root cause outside links
 * before the window either way (EARLIER_DEPLOYMENT), which is all the numbers need; it is searched
 * only for its name, when the scope names that incident exactly.
 */
function rootCausePlan(input: {
  incidents: readonly Incident[];
  rootCauses: ReadonlyMap<string, string | null>;
  window: DeliveryWindow;
  exactLinks: (incident: Incident) => boolean;
}): { forNumbers: string[]; forNames: string[]; namedIncidents: Set<string>; earlier: string[] } {
  const plan = { forNumbers: [] as string[], forNames: [] as string[], namedIncidents: new Set<string>(), earlier: [] as string[] };
  for (const incident of input.incidents) {
    const shas = incident.commits.map((prefix) => input.rootCauses.get(prefix) ?? null).filter((sha): sha is string => sha !== null);
    const outside = shas.filter((sha) => !inWindow(input.window, sha));
    if (outside.length === 0) continue;
    if (outside.length < shas.length) plan.forNumbers.push(...outside);
    else if (input.exactLinks(incident)) {
      plan.forNames.push(...outside);
      plan.namedIncidents.add(incident.id);
    } else plan.earlier.push(...outside);
  }
  return plan;
}

/** Answers of searches, with EARLIER_DEPLOYMENT for the commits left unsearched (not for one a search found undeployed). */
function withEarlier(answers: ReadonlyMap<string, string | null>, unsearched: readonly string[]): Map<string, string | null> {
  const all = new Map(answers);
  for (const sha of unsearched) if (!all.has(sha)) all.set(sha, EARLIER_DEPLOYMENT);
  return all;
}

/** Every outside root cause of incidents the scope names, searched (the interim stage left them earlier). */
async function rootCauseShipping(
  root: string,
  input: { incidents: readonly Incident[]; rootCauses: ReadonlyMap<string, string | null>; ordered: Deployment[]; window: DeliveryWindow; exactLinks: (incident: Incident) => boolean },
  signal?: AbortSignal,
): Promise<Map<string, string | null>> {
  const plan = rootCausePlan(input);
  const searched = [...plan.forNumbers, ...plan.forNames];
  const answers = searched.length === 0 ? new Map<string, string | null>() : await shippingOf(root, searched, input.ordered, signal);
  return withEarlier(answers, plan.earlier);
}

export async function loadDelivery(input: DeliveryInput): Promise<DeliveryResult> {
  const problems: Problem[] = [];
  const reports = input.dora ?? 'both';
  const scope = input.scope ?? deliveryScope(input.now, { dora: reports, exactLinks: () => true });
  try {
    const [deployments, { rootCauses, warnings }] = await Promise.all([
      readDeployments(input, problems),
      resolveRootCauses(input.root, input.incidents, input.signal),
    ]);
    if (input.rootCauseWarnings !== false) {
      for (const message of warnings) problems.push({ file: '.reliability/incidents.yaml', line: 0, column: 0, severity: 'warning', message });
    }
    const ordered = deploymentsAsOf(deployments, input.now);
    const [window, advice] = await Promise.all([
      readDeliveryWindow(input.root, ordered, scope.since, { lanes: scope.lanes, signal: input.signal }),
      commitGraphAdvice(input.root),
    ]);
    const delivery = computeDelivery(ordered, window.commits, input.now, (lane) => window.graphs.get(lane.signature));
    const plan = rootCausePlan({ incidents: input.incidents, rootCauses, window, exactLinks: scope.exactLinks });
    // The numbers first: searches that can change them, and every other old root cause left earlier.
    const forNumbers = plan.forNumbers.length === 0 ? new Map<string, string | null>() : await shippingOf(input.root, plan.forNumbers, ordered, input.signal);
    const linksOf = (answers: ReadonlyMap<string, string | null>) => {
      const shipping = shippingLookup(delivery.shippedBy, answers);
      return { shipping, incidentDeployments: linkIncidentsToDeployments({ incidents: input.incidents, deployments: delivery.deployments, commits: window.commits, shippedBy: shipping, rootCauses }) };
    };
    const interim = linksOf(withEarlier(forNumbers, [...plan.forNames, ...plan.earlier]));
    const doraInput = {
      deployments: delivery.deployments,
      changesByDeployment: delivery.changesByDeployment,
      commits: window.commits,
      shippedBy: interim.shipping,
      rootCauses,
      incidents: input.incidents,
      windowDays: DORA_WINDOW_DAYS,
      bands: input.bands,
    };
    // The links above are over the deployments at or before now: the current window's own.
    const dora = reports === 'none' ? null : computeDora({ ...doraInput, now: input.now, incidentDeployments: interim.incidentDeployments });
    const previousDora = reports === 'both' ? computeDora({ ...doraInput, now: input.now - DORA_WINDOW_DAYS * DAY_MS }) : null;
    const inRead = delivery.deployments.filter((deployment) => deployment.time > scope.since).length;
    const resultWith = ({ shipping, incidentDeployments }: ReturnType<typeof linksOf>): DeliveryResult => ({
      data: { root: input.root, window, delivery, shipping, rootCauses, incidentDeployments },
      deployments: input.deploymentList === false ? [] : deploymentViews(delivery, window, incidentDeployments, existingIncidents(input.incidents, input.now)),
      dora,
      previousDora,
      problems,
      state: {
        name: 'git',
        state: 'ok',
        message: `${count(delivery.deployments.length, 'deployment')}; the ${inRead} since ${formatUtc(scope.since)} read with the ${count(window.commits.size, 'commit')} they shipped`,
        lastSuccess: input.now,
        ...(advice ? { hint: advice } : {}),
      },
      error: null,
    });
    if (plan.forNames.length === 0) return resultWith(interim);
    // Then the names of old deployments behind the incidents shown: a search per commit, which on a
    // history of years takes a while; they link before the window, so no number above changes.
    input.onInterim?.(resultWith(interim), plan.namedIncidents);
    const forNames = await shippingOf(input.root, plan.forNames, ordered, input.signal);
    return resultWith(linksOf(withEarlier(new Map([...forNumbers, ...forNames]), plan.earlier)));
  } catch (error) {
    if (!(error instanceof GitSourceError)) throw error;
    return { data: null, deployments: [], dora: null, previousDora: null, problems, state: { name: 'git', state: 'failing', message: error.message }, error };
  }
}

/**
 * What shipped each of these commits (a file's recent commits), exactly: the window's answer, else a
 * search for that commit. When one was shipped before the window and the incidents' links were left
 * unnamed for it, the links are named now, so the `deployment` reason compares real names.
 */
export async function shippingOfCommits(
  data: DeliveryData,
  incidents: readonly Incident[],
  shas: readonly string[],
  signal?: AbortSignal,
): Promise<{ shipping: ShippingLookup; incidentDeployments: ReadonlyMap<string, string | null> }> {
  const outside = shas.filter((sha) => !inWindow(data.window, sha));
  if (outside.length === 0) return { shipping: data.shipping, incidentDeployments: data.incidentDeployments };
  const answers = await shippingOf(data.root, outside, data.delivery.deployments, signal);
  const shipping = shippingLookup(data.shipping, answers);
  const timeOf = new Map(data.delivery.deployments.map((deployment) => [deployment.name, deployment.time]));
  const shippedBeforeWindow = [...answers.values()].some((answer) => answer !== null && (timeOf.get(answer) ?? 0) <= data.window.since);
  const unnamed = [...data.incidentDeployments.values()].includes(EARLIER_DEPLOYMENT);
  if (!unnamed || !shippedBeforeWindow) return { shipping, incidentDeployments: data.incidentDeployments };
  const exact = await rootCauseShipping(data.root, { incidents, rootCauses: data.rootCauses, ordered: data.delivery.deployments, window: data.window, exactLinks: () => true }, signal);
  const exactShipping = shippingLookup(data.delivery.shippedBy, exact);
  const incidentDeployments = linkIncidentsToDeployments({ incidents, deployments: data.delivery.deployments, commits: data.window.commits, shippedBy: exactShipping, rootCauses: data.rootCauses });
  return { shipping, incidentDeployments };
}

/** Ids of the incidents that exist at `now` (started by then). */
function existingIncidents(incidents: readonly Incident[], now: number): Set<string> {
  return new Set(incidents.filter((incident) => incident.startedAt <= now).map((incident) => incident.id));
}

/** Deployments of the window read, newest first, each with what it shipped and the incidents linked to it. */
function deploymentViews(
  delivery: DeliveryHistory,
  window: DeliveryWindow,
  incidentDeployments: ReadonlyMap<string, string | null>,
  existing: ReadonlySet<string>,
): DeploymentView[] {
  const incidentsByDeployment = new Map<string, string[]>();
  for (const [incident, deployment] of incidentDeployments) {
    // An incident that starts after now has not happened (DOMAIN.md section 1): it fails no deployment
    // yet, which a look back to a past moment shows.
    if (deployment && existing.has(incident)) incidentsByDeployment.set(deployment, [...(incidentsByDeployment.get(deployment) ?? []), incident]);
  }
  // Older deployments' changes were not read: they are left out rather than shown as shipping nothing.
  const read = delivery.deployments.filter((deployment) => deployment.time > window.since);
  return read.reverse().map((deployment) => ({
    ...deployment,
    changes: (delivery.changesByDeployment.get(deployment.name) ?? []).map((sha) => {
      const commit = window.commits.get(sha);
      return { sha, subject: commit?.subject ?? '', time: commit?.time ?? 0 };
    }),
    incidents: incidentsByDeployment.get(deployment.name) ?? [],
  }));
}
