// "Incidents": the open and recent incidents (DOMAIN.md section 1), in the one incident order of
// core/incidents.ts, the same list `reliability-lens report` prints.
import type { IncidentView, WorkspaceSnapshot } from '../../workspace/snapshot';
import { formatUtc, shortSha } from '../../core/format';
import { effectiveRecentDays, isOpenAt, recentIncidents } from '../../core/incidents';
import { formatIncidentDeployment, formatIncidentDuration, formatIncidentLabel } from '../format';
import { COMMANDS, VIEWS } from '../ids';
import type { IncidentArgs } from '../ids';
import { commitId, joinMarkdown, md } from '../markdown';
import type { Markdown } from '../markdown';
import { workspaceStateNodes } from './viewNode';
import type { ViewNode, WorkspaceViewState } from './viewNode';

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
      label: 'No open or recent incidents',
      description: `incidents of the last ${recentDays} day${recentDays === 1 ? '' : 's'} show here`,
      icon: { id: 'pass', color: 'testing.iconPassed' },
      contextValue: 'noIncidents',
    });
  }
  for (const incident of incidents) nodes.push(incidentNode(base, workspace.root, snapshot, incident, isOpenAt(incident, snapshot.now)));
  return nodes;
}

function incidentNode(base: string, root: string, snapshot: WorkspaceSnapshot, incident: IncidentView, open: boolean): ViewNode {
  return {
    id: `${base}:incident:${incident.id}`,
    label: formatIncidentLabel(incident),
    description: formatIncidentDuration(incident, snapshot.now),
    tooltip: incidentTooltip(snapshot, incident),
    icon: open ? { id: 'flame', color: 'errorForeground' } : { id: 'pass', color: 'testing.iconPassed' },
    contextValue: incident.url ? 'incidentWithUrl' : 'incident',
    command: { command: COMMANDS.openIncident, title: 'Open Incident', arguments: [{ root, ids: [incident.id] } satisfies IncidentArgs] },
  };
}

function incidentTooltip(snapshot: WorkspaceSnapshot, incident: IncidentView): Markdown {
  const lines = [
    md`**${incident.title}**`,
    md``,
    md`${formatIncidentLabel(incident)} · started ${formatUtc(incident.startedAt)} · ${formatIncidentDuration(incident, snapshot.now)}`,
    md``,
    md`Deployment: ${formatIncidentDeployment(incident, snapshot.deliveryPending === true)}`,
  ];
  const deployment = incident.deployment ? snapshot.deployments.find((d) => d.name === incident.deployment) : undefined;
  const commits = incident.commits.length
    ? incident.commits.map((sha) => commitId(shortSha(sha)))
    : (deployment?.changes ?? []).slice(0, 10).map((change) => md`${commitId(shortSha(change.sha))} ${change.subject}`);
  if (commits.length) {
    lines.push(md``, incident.commits.length ? md`Root-cause commits:` : md`Shipped by ${deployment?.name ?? ''}:`, md``);
    for (const commit of commits) lines.push(md`- ${commit}`);
  }
  return joinMarkdown(lines);
}
