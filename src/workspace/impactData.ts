// The events around deployments for the SLOs file mode does not read (DOMAIN.md section 6 in
// Prometheus mode): which deployments and SLOs to ask about, and asking (sources/prometheusImpact.ts).
// File mode needs nothing here: its one pass over each CSV sums around the deployments already
// (workspace/sloData.ts SloDataOptions.impactTimes).
import { afterWindowClosed, impactSpans, serviceDeploymentsIn } from '../core/deploymentImpact';
import { compareDeployments } from '../core/deployments';
import type { TimeSpan } from '../core/maintenance';
import type { Deployment, Problem, SloDefinition, WindowCounts, WorkspaceConfig } from '../core/model';
import { sloMaintenance } from '../core/slo';
import { sloWindowRange } from '../core/sloCounts';
import { plainReason } from '../sources/http/sourceError';
import { fetchImpactCounts, type ImpactCountsCache, type ImpactQuestion } from '../sources/prometheusImpact';
import { openPrometheus, type RemoteSourceSettings, type TokenProvider } from '../sources/remoteSources';

export interface PrometheusImpactInput {
  config: WorkspaceConfig;
  /** The SLOs read from Prometheus (no composite: its objectives are). */
  slos: readonly SloDefinition[];
  /** The deployments at `now`, in any order. */
  deployments: readonly Deployment[];
  since: number;
  now: number;
  /** At most this many of the latest deployments are asked about (those a view shows); none: every one since `since`. */
  limit?: number;
  tokens: TokenProvider;
  remoteSettings?: RemoteSourceSettings;
  signal?: AbortSignal;
  /** Counts of closed after-windows kept between refreshes (the editor's PrometheusSession). */
  cache?: ImpactCountsCache;
}

export interface PrometheusImpact {
  countsIn(def: SloDefinition, span: TimeSpan): WindowCounts | null;
  /** One warning per question that could not be answered. */
  problems: Problem[];
}

/**
 * One instant query per deployment and SLO for the latest `limit` deployments (bounded in parallel,
 * closed after-windows answered from the cache), or nothing when the server cannot be opened: the
 * SLOs' own source state already says why.
 */
export async function prometheusImpact(input: PrometheusImpactInput): Promise<PrometheusImpact> {
  const questions = impactQuestions(input);
  const none: PrometheusImpact = { countsIn: () => null, problems: [] };
  if (questions.length === 0) return none;
  const opened = await openPrometheus(input.config.slis.prometheus, input.tokens, input.signal, input.remoteSettings);
  if ('state' in opened) return none;
  const answers = await fetchImpactCounts(opened.client, questions, input.cache);
  const problems = answers.failures.map(({ question, reason }): Problem => ({
    file: 'prometheus',
    line: 0,
    column: 0,
    severity: 'warning',
    message: `the impact of the deployment at ${new Date(question.time).toISOString()} on SLO ${question.def.name} (${question.def.service}) was not read: ${plainReason(reason, 'Prometheus')}`,
  }));
  return { countsIn: answers.countsIn, problems };
}

/** The questions: each of the latest deployments with each SLO of each service it deploys. */
export function impactQuestions(input: Pick<PrometheusImpactInput, 'config' | 'slos' | 'deployments' | 'since' | 'now' | 'limit'>): ImpactQuestion[] {
  const { now } = input;
  const asked = latestDeployments(input.deployments, input.since, now, input.limit);
  const questions: ImpactQuestion[] = [];
  for (const def of input.slos) {
    const windowStart = sloWindowRange(def, now).start;
    const maintenance = sloMaintenance(def, input.config.policy);
    for (const { deployment, next } of serviceDeploymentsIn(input.deployments, def.service, input.since, now)) {
      if (!asked.has(deployment)) continue;
      questions.push({
        def,
        time: deployment.time,
        spans: impactSpans(deployment.time, next, now, windowStart),
        closed: afterWindowClosed(deployment.time, next, now),
        maintenance,
      });
    }
  }
  return questions;
}

function latestDeployments(deployments: readonly Deployment[], since: number, now: number, limit: number | undefined): Set<Deployment> {
  const inWindow = deployments.filter((deployment) => deployment.time > since && deployment.time <= now).sort((a, b) => compareDeployments(b, a));
  return new Set(limit === undefined ? inWindow : inWindow.slice(0, limit));
}
