// "Incidents": open ones first, then the ones resolved in the last 30 days.
import type { IncidentView, WorkspaceSnapshot } from '../../workspace/snapshot';
import {
  formatIncidentDuration,
  formatIncidentLabel,
  formatUtc,
  openThenRecentIncidents,
  shortSha,
} from '../format';
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
  const { open, recent } = openThenRecentIncidents(snapshot.incidents, snapshot.now);
  if (open.length === 0 && recent.length === 0) {
    nodes.push({
      id: `${base}:none`,
      label: 'No open or recent incidents',
      description: 'resolved within 30 days show here',
      icon: { id: 'pass', color: 'testing.iconPassed' },
      contextValue: 'noIncidents',
    });
  }
  for (const incident of open) nodes.push(incidentNode(base, workspace.root, snapshot, incident, true));
  for (const incident of recent) nodes.push(incidentNode(base, workspace.root, snapshot, incident, false));
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
    md`Deployment: ${incident.deployment ?? 'none linked'}`,
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
