// Delivery history of a workspace: deployments (git tags, deployments.yaml or GitHub), what each shipped,
// the incidents linked to them, and DORA over the current and the previous window.
import type { Deployment, DoraBands, DoraReport, Incident, Problem, SourceState, WorkspaceConfig } from '../core/model';
import { computeDelivery, type DeliveryHistory } from '../core/deployments';
import { computeDora } from '../core/dora';
import { linkIncidentsToDeployments } from '../core/dora/linkedIncidents';
import { GitSourceError } from '../sources/git/errors';
import { readHistory, readTagDeployments, type GitHistory } from '../sources/git/history';
import { resolveDeploymentCommits, rootCauseCommitWarnings } from '../sources/git/revisions';
import type { DeploymentView } from './snapshot';

const DAY_MS = 86_400_000;
export const DORA_WINDOW_DAYS = 90;

export interface DeliveryData {
  history: GitHistory;
  delivery: DeliveryHistory;
  /** Incident id -> linked deployment name. */
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
  /** Check that root-cause commits exist (one `git cat-file`). Default true. */
  rootCauseWarnings?: boolean;
  /** Build the deployment list with each deployment's changes (views, report). Default true. */
  deploymentList?: boolean;
  /** Aborting stops the git processes of the read (a superseding refresh, a closed folder). */
  signal?: AbortSignal;
}

async function deploymentsAndHistory(input: DeliveryInput, problems: Problem[]): Promise<{ history: GitHistory; deployments: Deployment[] }> {
  const { config } = input;
  if (config.deployments.source === 'git-tags') {
    return readTagDeployments(input.root, { tagPattern: config.deployments.tagPattern, services: config.services, now: input.now });
  }
  const { deployments, warnings } = await resolveDeploymentCommits(input.root, input.listedDeployments);
  const file = config.deployments.source === 'file' ? '.reliability/deployments.yaml' : 'github';
  for (const message of warnings) problems.push({ file, line: 0, column: 0, severity: 'warning', message });
  const history = await readHistory(input.root, deployments.map((d) => d.commit));
  return { history, deployments };
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

export async function loadDelivery(input: DeliveryInput): Promise<DeliveryResult> {
  const problems: Problem[] = [];
  try {
    const [{ history, deployments }, warnings] = await Promise.all([
      deploymentsAndHistory(input, problems),
      input.rootCauseWarnings === false ? Promise.resolve([]) : rootCauseCommitWarnings(input.root, input.incidents),
    ]);
    for (const message of warnings) problems.push({ file: '.reliability/incidents.yaml', line: 0, column: 0, severity: 'warning', message });
    const delivery = computeDelivery(deployments, history.commits, input.now, history.graph);
    const incidentDeployments = linkIncidentsToDeployments({
      incidents: input.incidents,
      deployments: delivery.deployments,
      commits: history.commits,
      shippedBy: delivery.shippedBy,
      commitPrefixes: history.commitPrefixes,
    });
    const doraInput = {
      deployments: delivery.deployments,
      changesByDeployment: delivery.changesByDeployment,
      commits: history.commits,
      shippedBy: delivery.shippedBy,
      commitPrefixes: history.commitPrefixes,
      incidents: input.incidents,
      windowDays: DORA_WINDOW_DAYS,
      bands: input.bands,
    };
    const reports = input.dora ?? 'both';
    // The links above are over the deployments at or before now: the current window's own.
    const dora = reports === 'none' ? null : computeDora({ ...doraInput, now: input.now, incidentDeployments });
    const previousDora = reports === 'both' ? computeDora({ ...doraInput, now: input.now - DORA_WINDOW_DAYS * DAY_MS }) : null;
    return {
      data: { history, delivery, incidentDeployments },
      deployments: input.deploymentList === false ? [] : deploymentViews(delivery, history, incidentDeployments),
      dora,
      previousDora,
      problems,
      state: { name: 'git', state: 'ok', message: `${count(delivery.deployments.length, 'deployment')}, ${count(history.commits.size, 'commit')}`, lastSuccess: input.now },
      error: null,
    };
  } catch (error) {
    if (!(error instanceof GitSourceError)) throw error;
    return { data: null, deployments: [], dora: null, previousDora: null, problems, state: { name: 'git', state: 'failing', message: error.message }, error };
  }
}

/** Deployments newest first, each with what it shipped and the incidents linked to it. */
function deploymentViews(delivery: DeliveryHistory, history: GitHistory, incidentDeployments: ReadonlyMap<string, string | null>): DeploymentView[] {
  const incidentsByDeployment = new Map<string, string[]>();
  for (const [incident, deployment] of incidentDeployments) {
    if (deployment) incidentsByDeployment.set(deployment, [...(incidentsByDeployment.get(deployment) ?? []), incident]);
  }
  return [...delivery.deployments].reverse().map((deployment) => ({
    ...deployment,
    changes: (delivery.changesByDeployment.get(deployment.name) ?? []).map((sha) => {
      const commit = history.commits.get(sha);
      return { sha, subject: commit?.subject ?? '', time: commit?.time ?? 0 };
    }),
    incidents: incidentsByDeployment.get(deployment.name) ?? [],
  }));
}
