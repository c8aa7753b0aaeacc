// The trees' content as plain data: builders turn a workspace's state into ViewNodes, and the
// TreeDataProvider only maps them to TreeItems. Keeping `vscode` out of here lets the unit tests check
// every label and action a user sees.
import type { SloStatus, Tier } from '../../core/model';
import type { WorkspaceSnapshot } from '../../workspace/snapshot';
import type { BackoffNotice } from '../../state/refreshPressure';
import { COMMANDS } from '../ids';
import { singleLine } from '../untrustedText';
import * as l10n from '@vscode/l10n';
import { md, mdt } from '../markdown';
import type { Markdown } from '../markdown';

export interface ViewNodeCommand {
  command: string;
  title: string;
  arguments: unknown[];
}

export interface ViewNode {
  /** Unique within its tree and stable across refreshes, so expansion state survives a reload. */
  id: string;
  label: string;
  description?: string;
  /** Built with markdown.ts, which escapes every data value in it. */
  tooltip?: Markdown;
  /** A codicon id and an optional theme colour id. */
  icon?: { id: string; color?: string };
  /** Drives `when` clauses of item menus in package.json. */
  contextValue: string;
  command?: ViewNodeCommand;
  /**
   * The argument a context-menu command reads from this item, by command id, when it is not `command`'s
   * first argument (an SLO's click opens its file; its Explain menu needs the SLO). commandArguments.ts.
   */
  menuArguments?: Readonly<Record<string, unknown>>;
  /** Absent: a leaf. */
  children?: ViewNode[];
  expanded?: boolean;
  /** The node stands for work in flight: its view shows its progress bar while the node is shown. */
  inProgress?: boolean;
}

/** Whether any node of a tree stands for work in flight (treeModel.ts shows the view's progress bar). */
export function showsProgress(nodes: readonly ViewNode[]): boolean {
  return nodes.some((node) => node.inProgress === true || (node.children !== undefined && showsProgress(node.children)));
}

/**
 * The label and description a tree item shows. They hold names, titles and commit subjects from the
 * repository and from servers: VS Code shows them as plain text, but control and bidi characters
 * would still garble or disguise them, so they go through the same rule as every other front end.
 */
export function treeItemText(node: Pick<ViewNode, 'label' | 'description'>): { label: string; description?: string } {
  return { label: singleLine(node.label), description: node.description === undefined ? undefined : singleLine(node.description) };
}

/** What the views know about one folder holding `.reliability/`. */
export interface WorkspaceViewState {
  root: string;
  /** Folder name shown when several workspaces are open. */
  name: string;
  snapshot?: WorkspaceSnapshot;
  /** A load is in flight (the previous snapshot, if any, is still shown). */
  loading: boolean;
  /** Why the last load failed, in plain words. */
  error?: string;
  /** Restricted Mode: no remote source is contacted. */
  trusted: boolean;
  /** The user turned remote sources off in settings. */
  remoteEnabled: boolean;
  /**
   * The editor's `reliabilityLens.recentDays` when the user set it; it then replaces config.yaml's
   * `recentDays` for every view (DOMAIN.md section 1). Null or absent: config.yaml's value applies.
   */
  recentDays?: number | null;
  /** Set while the folder's refreshes back off because Prometheus was under pressure (state/refreshSchedule.ts). */
  backoff?: BackoffNotice;
  /**
   * The shown snapshot's Prometheus SLOs have no burn-down buckets: it was loaded while the dashboard
   * was hidden, and a refresh bringing them is asked for when the dashboard shows.
   */
  burnDownPending?: boolean;
  /** Set while looking back (`reliabilityLens.evaluationTime`): the moment every number is evaluated at. */
  asOf?: number;
}

const STATUS_ICONS: Record<SloStatus, { id: string; color: string }> = {
  healthy: { id: 'pass', color: 'testing.iconPassed' },
  warning: { id: 'warning', color: 'editorWarning.foreground' },
  critical: { id: 'error', color: 'errorForeground' },
  exhausted: { id: 'flame', color: 'errorForeground' },
  'no-data': { id: 'circle-slash', color: 'disabledForeground' },
};

export function statusIcon(status: SloStatus): { id: string; color: string } {
  return STATUS_ICONS[status];
}

const TIER_COLORS: Record<Tier, string> = {
  elite: 'testing.iconPassed',
  high: 'testing.iconPassed',
  medium: 'editorWarning.foreground',
  low: 'errorForeground',
};

export function tierColor(tier: Tier): string {
  return TIER_COLORS[tier];
}

/** When several workspaces are open, each one's nodes sit under a node for its folder. */
export function workspaceFolderNode(workspace: WorkspaceViewState, children: ViewNode[], view: string): ViewNode {
  return {
    id: `${view}:${workspace.root}`,
    label: workspace.name,
    description: workspace.loading ? 'loading…' : undefined,
    tooltip: md`${workspace.root}`,
    icon: { id: 'root-folder' },
    contextValue: 'workspace',
    children,
    expanded: true,
  };
}

/**
 * The nodes every view starts with when it cannot show data as usual: still loading, failed, or
 * Restricted Mode. Empty when all is well, so the data follows directly.
 */
export function workspaceStateNodes(workspace: WorkspaceViewState, view: string): ViewNode[] {
  const nodes: ViewNode[] = [];
  const base = `${view}:${workspace.root}`;
  if (!workspace.trusted) {
    nodes.push({
      id: `${base}:restricted`,
      label: l10n.t('Restricted Mode: remote sources are not contacted'),
      description: l10n.t('trust this folder to enable them'),
      tooltip: mdt(l10n.t('This folder is not trusted, so Reliability Lens reads only `.reliability/` and git. Prometheus, PagerDuty, Opsgenie, GitHub and Alertmanager stay off until you trust the folder.')),
      icon: { id: 'shield', color: 'editorWarning.foreground' },
      contextValue: 'restricted',
      command: { command: COMMANDS.manageTrust, title: l10n.t('Manage Workspace Trust'), arguments: [] },
    });
  } else if (!workspace.remoteEnabled) {
    nodes.push({
      id: `${base}:remoteOff`,
      label: l10n.t('Remote sources are off'),
      description: 'reliabilityLens.remoteSources.enabled',
      tooltip: mdt(l10n.t('Only `.reliability/` and git are read. Turn on `reliabilityLens.remoteSources.enabled` to contact the configured servers.')),
      icon: { id: 'debug-disconnect', color: 'disabledForeground' },
      contextValue: 'remoteOff',
      command: {
        command: 'workbench.action.openSettings',
        title: l10n.t('Open Settings'),
        arguments: ['reliabilityLens.remoteSources.enabled'],
      },
    });
  }
  if (workspace.error) {
    nodes.push({
      id: `${base}:error`,
      label: l10n.t('Could not load: {0}', workspace.error),
      description: l10n.t('show log'),
      tooltip: mdt(l10n.t('{0}\n\nClick to open the log; the view keeps the last good data.'), workspace.error),
      icon: { id: 'error', color: 'errorForeground' },
      contextValue: 'loadError',
      command: { command: COMMANDS.showLog, title: l10n.t('Show Log'), arguments: [] },
    });
  }
  if (!workspace.snapshot && workspace.loading) {
    nodes.push({
      id: `${base}:loading`,
      label: l10n.t('Loading…'),
      icon: { id: 'loading~spin' },
      contextValue: 'loading',
      inProgress: true,
    });
  }
  return nodes;
}
