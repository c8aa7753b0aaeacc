// "Delivery": the DORA metrics with tier and trend against the previous period, then what each
// recent deployment shipped and which incidents it caused. On a first load the SLOs and incidents
// arrive before git has read the history: the view says so (with its progress bar) until it has.
import type { DeploymentView, WorkspaceSnapshot } from '../../workspace/snapshot';
import { formatAge, formatUtc, shortSha } from '../../core/format';
import {
  DELIVERY_NOT_READ_TEXT,
  DELIVERY_PENDING_TEXT,
  doraMetricLines,
  formatDeploymentDescription,
  formatImpactNumbers,
  formatIncidentLabel,
  formatSloImpactLine,
  headlineDeploymentImpact,
} from '../format';
import type { DoraMetricLine } from '../format';
import { COMMANDS, VIEWS } from '../ids';
import type { IncidentArgs, LookBackArgs } from '../ids';
import * as l10n from '@vscode/l10n';
import { commitId, joinMarkdown, md, mdt } from '../markdown';
import type { Markdown } from '../markdown';
import { doraMetricExplanationMarkdown } from '../explainPage';
import type { DoraExplanation } from '../../core/doraExplain';
import { doraExplanationOf } from '../../workspace/doraExplanation';
import { tierColor, workspaceStateNodes } from './viewNode';
import { ZERO_CONFIGURATION_HEADLINE, zeroConfigurationDetail, zeroConfigurationNote, type StarterPlan } from '../../core/starterFiles';
// How many deployments the view lists; older history is in the dashboard and the CLI.
import { RECENT_DEPLOYMENT_LIMIT, type DeploymentImpact, type SloImpact } from '../../core/deploymentImpact';
import type { ViewNode, WorkspaceViewState } from './viewNode';

export function buildDeliveryNodes(workspace: WorkspaceViewState): ViewNode[] {
  const nodes = workspaceStateNodes(workspace, VIEWS.delivery);
  const snapshot = workspace.snapshot;
  if (!snapshot) return nodes;
  const base = `${VIEWS.delivery}:${workspace.root}`;
  if (snapshot.inferred) nodes.push(zeroConfigurationNode(base, snapshot.inferred));
  if (snapshot.deliveryPending) {
    nodes.push(pendingDeliveryNode(base, workspace.loading));
    return nodes;
  }
  const git = snapshot.sources.find((source) => source.name === 'git');
  // Advice from the git source (a missing commit-graph file), in every tooltip of this view.
  const hint = git?.hint ? md`${git.hint}` : undefined;
  if (snapshot.dora) {
    const explanation = doraExplanationOf(snapshot);
    for (const line of doraMetricLines(snapshot.dora, snapshot.previousDora)) nodes.push(metricNode(base, line, snapshot.dora.window, explanation, hint));
  } else {
    // Why there is none, in git's own words: not a repository, a shallow clone, no matching tag, Restricted Mode.
    const reason = git && git.state !== 'ok' ? git.message : undefined;
    const tooltip = [...(reason === undefined ? [] : [md`${reason}`]), ...(hint ? [hint] : [])];
    nodes.push({
      id: `${base}:noDora`,
      label: l10n.t('No delivery history'),
      description: reason ?? l10n.t('no deployments found in git or the configured source'),
      tooltip: tooltip.length ? joinMarkdown(tooltip, '\n\n') : undefined,
      icon: { id: 'info' },
      contextValue: 'noDora',
    });
  }
  nodes.push(deploymentsNode(base, workspace.root, snapshot, hint));
  return nodes;
}

/** What the editor says writes a zero-configuration setup down. */
export const CREATE_STARTER_WRITES_IT_DOWN = 'Create Starter .reliability/ Folder writes it down.';

/**
 * A repository without `.reliability/` read from its tags: first, the note the CLI prints too (which
 * tags and why), and a click writes the starter folder.
 */
function zeroConfigurationNode(base: string, plan: StarterPlan): ViewNode {
  return {
    id: `${base}:zeroConfiguration`,
    label: ZERO_CONFIGURATION_HEADLINE,
    description: zeroConfigurationDetail(plan, CREATE_STARTER_WRITES_IT_DOWN),
    tooltip: md`${zeroConfigurationNote(plan, CREATE_STARTER_WRITES_IT_DOWN)}`,
    icon: { id: 'lightbulb' },
    contextValue: 'zeroConfiguration',
    command: { command: COMMANDS.createStarter, title: l10n.t('Create Starter .reliability/ Folder'), arguments: [] },
  };
}

/**
 * The early snapshot of a load holds SLOs and incidents but no delivery yet: while the load runs, git
 * is reading; when it ended without a complete snapshot (it failed, and the error node above says
 * why), a refresh tries again.
 */
function pendingDeliveryNode(base: string, loading: boolean): ViewNode {
  if (loading) {
    return {
      id: `${base}:deliveryPending`,
      label: DELIVERY_PENDING_TEXT,
      description: 'git',
      tooltip: mdt(l10n.t('SLOs and incidents are shown already; git is still reading the deployments and changes of the DORA window.')),
      icon: { id: 'loading~spin' },
      contextValue: 'deliveryPending',
      inProgress: true,
    };
  }
  return {
    id: `${base}:deliveryNotRead`,
    label: DELIVERY_NOT_READ_TEXT,
    description: l10n.t('refresh to try again'),
    tooltip: mdt(l10n.t('The load stopped before git finished reading the deployments and changes of the DORA window.')),
    icon: { id: 'info' },
    contextValue: 'deliveryNotRead',
    command: { command: COMMANDS.refresh, title: l10n.t('Refresh'), arguments: [] },
  };
}

function metricNode(base: string, line: DoraMetricLine, window: string, explanation: DoraExplanation | null, hint: Markdown | undefined): ViewNode {
  const comparison =
    line.direction === 'better'
      ? l10n.t('better than the {0}')
      : line.direction === 'worse'
        ? l10n.t('worse than the {0}')
        : line.direction === 'same'
          ? l10n.t('same as the {0}')
          : l10n.t('compared with the {0}');
  return {
    id: `${base}:dora:${line.key}`,
    label: line.label,
    description: line.description,
    tooltip: joinMarkdown([
      mdt(l10n.t('**{0}** over {1}'), line.label, window),
      md``,
      md`${line.description}`,
      md``,
      mdt(comparison, line.previousText),
      ...(line.tier ? [md``, mdt(l10n.t('DORA tier: {0}'), line.tier)] : []),
      // What the number was computed from, so it can be checked by hand.
      ...(explanation ? [md``, doraMetricExplanationMarkdown(line.key, explanation)] : []),
      ...(hint ? [md``, hint] : []),
    ]),
    icon: line.tier
      ? { id: 'dashboard', color: tierColor(line.tier) }
      : { id: 'dashboard', color: line.value === null ? 'disabledForeground' : undefined },
    contextValue: 'doraMetric',
  };
}

function deploymentsNode(base: string, root: string, snapshot: WorkspaceSnapshot, hint: Markdown | undefined): ViewNode {
  const recent = snapshot.deployments
    .filter((deployment) => deployment.time <= snapshot.now)
    .sort((a, b) => b.time - a.time)
    .slice(0, RECENT_DEPLOYMENT_LIMIT);
  return {
    id: `${base}:deployments`,
    label: l10n.t('Recent deployments'),
    description: recent.length ? l10n.t('{0} latest', recent.length) : l10n.t('none yet'),
    tooltip: hint,
    icon: { id: 'rocket' },
    contextValue: 'deployments',
    expanded: true,
    children: recent.map((deployment) => deploymentNode(base, root, snapshot, deployment)),
  };
}

function deploymentNode(base: string, root: string, snapshot: WorkspaceSnapshot, deployment: DeploymentView): ViewNode {
  const id = `${base}:deployment:${deployment.name}:${deployment.commit}`;
  const failed = deployment.incidents.length > 0;
  // Its impact on the SLOs of each service it deploys (DOMAIN.md section 6), told by the worst.
  const impacts = (snapshot.deploymentImpacts ?? []).filter((entry) => entry.deployment === deployment.name && entry.time === deployment.time);
  const headline = headlineDeploymentImpact(impacts);
  const impactNodes = impacts.flatMap((entry) => entry.impact.map((slo) => impactNode(id, entry, slo)));
  const incidents = deployment.incidents.map((incidentId) => {
    const incident = snapshot.incidents.find((candidate) => candidate.id === incidentId);
    return {
      id: `${id}:incident:${incidentId}`,
      label: incident ? formatIncidentLabel(incident) : incidentId,
      description: incident?.title,
      tooltip: incident ? md`${incident.title}` : undefined,
      icon: { id: 'flame', color: 'errorForeground' },
      contextValue: 'incident',
      command: { command: COMMANDS.openIncident, title: l10n.t('Open Incident'), arguments: [{ root, ids: [incidentId] } satisfies IncidentArgs] },
    } satisfies ViewNode;
  });
  const changes = deployment.changes.map((change) => ({
    id: `${id}:change:${change.sha}`,
    label: `${shortSha(change.sha)} ${change.subject}`,
    description: formatAge(change.time, snapshot.now),
    tooltip: md`${commitId(change.sha)}\n\n${change.subject}`,
    icon: { id: 'git-commit' },
    contextValue: 'change',
  }));
  return {
    id,
    label: deployment.name,
    description: formatDeploymentDescription(deployment, snapshot.now, headline),
    tooltip: joinMarkdown([
      mdt(l10n.t('**{0}** at {1}'), deployment.name, formatUtc(deployment.time)),
      md``,
      mdt(l10n.t('Commit {0} · services: {1}'), commitId(shortSha(deployment.commit)), deployment.services.join(', ') || l10n.t('none')),
      ...(failed ? [md``, mdt(l10n.t('Failed: {0}'), deployment.incidents.join(', '))] : []),
      ...(headline?.suspect ? [md``, mdt(l10n.t('Suspect: it degraded an SLO and no incident is linked to it.'))] : []),
      ...impacts.flatMap((entry) => entry.impact.map((slo) => md`- ${entry.service} · ${slo.slo}: ${formatSloImpactLine(slo, entry.afterEnd - entry.time)}`)),
    ]),
    icon: deploymentIcon(failed, headline),
    contextValue: failed ? 'deploymentFailed' : 'deployment',
    // "Look Back To…" from its menu: every view as of the moment it was deployed.
    menuArguments: { [COMMANDS.lookBack]: { time: deployment.time } satisfies LookBackArgs },
    children: [...impactNodes, ...incidents, ...changes],
  };
}

/** Failed (an incident is linked): red; degraded with no incident (a suspect): a warning; otherwise green, grey without data. */
function deploymentIcon(failed: boolean, impact: DeploymentImpact | undefined): { id: string; color?: string } {
  if (failed) return { id: 'error', color: 'errorForeground' };
  if (impact?.verdict === 'degraded') return { id: 'warning', color: 'editorWarning.foreground' };
  if (impact?.verdict === 'no-data') return { id: 'rocket', color: 'disabledForeground' };
  return { id: 'rocket', color: 'testing.iconPassed' };
}

/** One SLO's impact under its deployment: the verdict and the numbers DOMAIN.md section 6 gives. */
function impactNode(parentId: string, entry: DeploymentImpact, slo: SloImpact): ViewNode {
  const afterMs = entry.afterEnd - entry.time;
  return {
    id: `${parentId}:impact:${entry.service}:${slo.slo}`,
    label: slo.slo,
    description: formatSloImpactLine(slo, afterMs),
    tooltip: joinMarkdown([
      mdt(l10n.t('**{0}** ({1}) after {2}: {3}'), slo.slo, entry.service, entry.deployment, slo.verdict),
      md``,
      md`${formatImpactNumbers(slo)}`,
      md``,
      mdt(
        l10n.t('After-window {0} to {1}; degraded when the first hour or the whole window burns at least twice the burn before (at least 1×) with 10 bad events or more.'),
        formatUtc(entry.time),
        formatUtc(entry.afterEnd),
      ),
    ]),
    icon: IMPACT_ICONS[slo.verdict],
    contextValue: 'deploymentImpact',
  };
}

const IMPACT_ICONS: Record<SloImpact['verdict'], { id: string; color: string }> = {
  degraded: { id: 'graph-line', color: 'errorForeground' },
  ok: { id: 'pass', color: 'testing.iconPassed' },
  'no-data': { id: 'circle-slash', color: 'disabledForeground' },
};
