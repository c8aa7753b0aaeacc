// "Incidents": the open and recent incidents (DOMAIN.md section 1), in the one incident order of
// core/incidents.ts, the same list `reliability-lens report` prints.
import type { IncidentView, WorkspaceSnapshot } from '../../workspace/snapshot';
import { formatAge, formatUtc, shortSha } from '../../core/format';
import type { DeploymentImpact } from '../../core/deploymentImpact';
import { describeImpact } from '../../core/impactText';
import { effectiveRecentDays, isOpenAt, recentIncidents } from '../../core/incidents';
import { formatIncidentDeployment, formatIncidentDuration, formatIncidentLabel, formatSloImpactLine, formatSuspectLabel } from '../format';
import { COMMANDS, VIEWS } from '../ids';
import type { IncidentArgs, LookBackArgs } from '../ids';
import * as l10n from '@vscode/l10n';
import { commitId, joinMarkdown, md, mdt } from '../markdown';
import type { Markdown } from '../markdown';
import { workspaceStateNodes } from './viewNode';
import type { ViewNode, WorkspaceViewState } from './viewNode';

/** Incident sources that keep what happened (so a past moment reads as it was); any other shows what it has now. */
const HISTORY_SOURCES: ReadonlySet<string> = new Set(['file', 'pagerduty', 'github', 'opsgenie']);
/** Said of an incident from a source without history while looking back. */
const liveText = () => l10n.t('live, not as of the moment shown');

export function buildIncidentNodes(workspace: WorkspaceViewState): ViewNode[] {
  const nodes = workspaceStateNodes(workspace, VIEWS.incidents);
  const snapshot = workspace.snapshot;
  if (!snapshot) return nodes;
  const base = `${VIEWS.incidents}:${workspace.root}`;
  const recentDays = effectiveRecentDays(snapshot.config.recentDays, workspace.recentDays);
  const incidents = recentIncidents(snapshot.incidents, snapshot.now, recentDays);
  if (incidents.length === 0) {
    nodes.push({
      id: `${base}:none`,
      label: l10n.t('No open or recent incidents'),
      description: recentDays === 1 ? l10n.t('incidents of the last 1 day show here') : l10n.t('incidents of the last {0} days show here', recentDays),
      icon: { id: 'pass', color: 'testing.iconPassed' },
      contextValue: 'noIncidents',
    });
  }
  for (const incident of incidents) nodes.push(incidentNode(base, workspace.root, snapshot, incident, isOpenAt(incident, snapshot.now), workspace.asOf !== undefined));
  const suspects = (snapshot.deploymentImpacts ?? []).filter((entry) => entry.suspect);
  if (suspects.length > 0) nodes.push(suspectsNode(base, snapshot, suspects));
  return nodes;
}

/**
 * Deployments that degraded an SLO with no incident linked to them (DOMAIN.md section 6): a burn
 * nobody has called an incident yet, or one whose incident names the wrong deployment.
 */
function suspectsNode(base: string, snapshot: WorkspaceSnapshot, suspects: readonly DeploymentImpact[]): ViewNode {
  return {
    id: `${base}:suspects`,
    label: l10n.t('Suspect deployments'),
    description: l10n.t('{0} degraded an SLO, no incident linked', suspects.length),
    tooltip: mdt(
      l10n.t('Deployments of the DORA window whose first hour or after-window burned at least twice as fast as before (and at least 1×, with 10 bad events or more), and that no incident is linked to.'),
    ),
    icon: { id: 'warning', color: 'editorWarning.foreground' },
    contextValue: 'suspects',
    expanded: true,
    children: suspects.map((entry) => ({
      id: `${base}:suspect:${entry.deployment}:${entry.service}:${entry.time}`,
      label: formatSuspectLabel(entry),
      description: `${formatAge(entry.time, snapshot.now)} · ${describeImpact(entry)}`,
      tooltip: joinMarkdown([
        mdt(l10n.t('**{0}** of {1} at {2}: degraded, no incident linked'), entry.deployment, entry.service, formatUtc(entry.time)),
        md``,
        ...entry.impact.map((slo) => md`- ${slo.slo}: ${formatSloImpactLine(slo, entry.afterEnd - entry.time)}`),
      ]),
      icon: { id: 'warning', color: 'editorWarning.foreground' },
      contextValue: 'suspectDeployment',
      menuArguments: { [COMMANDS.lookBack]: { time: entry.time } satisfies LookBackArgs },
    })),
  };
}

function incidentNode(base: string, root: string, snapshot: WorkspaceSnapshot, incident: IncidentView, open: boolean, lookingBack: boolean): ViewNode {
  // Alertmanager keeps no history: looking back, its alerts are the ones firing now, and say so.
  const live = lookingBack && !HISTORY_SOURCES.has(incident.source);
  return {
    id: `${base}:incident:${incident.id}`,
    label: formatIncidentLabel(incident),
    description: live ? `${formatIncidentDuration(incident, snapshot.now)} · ${liveText()}` : formatIncidentDuration(incident, snapshot.now),
    tooltip: live
      ? joinMarkdown([
          incidentTooltip(snapshot, incident),
          md``,
          mdt(l10n.t('{0}: {1} keeps no history, so this is what it has now, not as of {2}.'), liveText(), incident.source, formatUtc(snapshot.now)),
        ])
      : incidentTooltip(snapshot, incident),
    icon: open ? { id: 'flame', color: 'errorForeground' } : { id: 'pass', color: 'testing.iconPassed' },
    contextValue: incident.url ? 'incidentWithUrl' : 'incident',
    command: { command: COMMANDS.openIncident, title: l10n.t('Open Incident'), arguments: [{ root, ids: [incident.id] } satisfies IncidentArgs] },
  };
}

function incidentTooltip(snapshot: WorkspaceSnapshot, incident: IncidentView): Markdown {
  const lines = [
    md`**${incident.title}**`,
    md``,
    mdt(l10n.t('{0} · started {1} · {2}'), formatIncidentLabel(incident), formatUtc(incident.startedAt), formatIncidentDuration(incident, snapshot.now)),
    md``,
    mdt(l10n.t('Deployment: {0}'), formatIncidentDeployment(incident, snapshot.deliveryPending === true)),
  ];
  const deployment = incident.deployment ? snapshot.deployments.find((d) => d.name === incident.deployment) : undefined;
  const commits = incident.commits.length
    ? incident.commits.map((sha) => commitId(shortSha(sha)))
    : (deployment?.changes ?? []).slice(0, 10).map((change) => md`${commitId(shortSha(change.sha))} ${change.subject}`);
  if (commits.length) {
    lines.push(md``, incident.commits.length ? mdt(l10n.t('Root-cause commits:')) : mdt(l10n.t('Shipped by {0}:'), deployment?.name ?? ''), md``);
    for (const commit of commits) lines.push(md`- ${commit}`);
  }
  return joinMarkdown(lines);
}
