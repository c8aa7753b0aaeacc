// Typed builders for what the views render: snapshots, incidents with their deployment, deployments
// with their changes, file changes and DORA reports. Tests state only the fields they are about.
import type { DoraReport, FileChange, WorkspaceConfig } from '../../../src/core/model';
import type { DeploymentView, IncidentView, WorkspaceSnapshot } from '../../../src/workspace/snapshot';
import type { WorkspaceViewState } from '../../../src/views/tree/viewNode';
import { DAY, NOW, defaultPolicy, incident } from '../builders/reportBuilders';

export const ROOT = '/work/shop';

export function config(overrides: Partial<WorkspaceConfig> = {}): WorkspaceConfig {
  return {
    version: 1,
    services: [
      { name: 'checkout', paths: ['services/checkout/**'] },
      { name: 'search', paths: ['services/search/**'] },
    ],
    deployments: { source: 'git-tags', tagPattern: 'v*' },
    incidents: { sources: [{ type: 'file', options: {} }] },
    slis: { source: 'file' },
    policy: defaultPolicy,
    recentDays: 30,
    ...overrides,
  };
}

export function incidentView(overrides: Partial<IncidentView> & Pick<IncidentView, 'id' | 'service'>): IncidentView {
  return { ...incident(overrides), deployment: null, ...overrides };
}

export function deployment(overrides: Partial<DeploymentView> & Pick<DeploymentView, 'name'>): DeploymentView {
  return {
    commit: 'd'.repeat(40),
    time: NOW - DAY,
    services: ['checkout', 'search'],
    source: 'git-tags',
    changes: [],
    incidents: [],
    ...overrides,
  };
}

export function fileChange(overrides: Partial<FileChange> = {}): FileChange {
  return {
    commit: 'c0ffee1'.padEnd(40, '0'),
    subject: 'Retry payment capture',
    time: NOW - 12 * DAY,
    lines: [[10, 24]],
    deployment: 'v1.32.0',
    incidents: [],
    ...overrides,
  };
}

export function doraReport(overrides: Partial<DoraReport> = {}): DoraReport {
  return {
    window: '90d',
    windowStart: NOW - 90 * DAY,
    windowEnd: NOW,
    deployments: 25,
    deploymentsPerWeek: 1.94,
    leadTimeSeconds: { median: 86_400, p90: 300_000 },
    changeFailureRate: 0.12,
    failedDeploymentRecoverySeconds: { median: 7200 },
    timeToRestoreSeconds: { median: 3600 },
    reworkRate: 0.08,
    tiers: { deploymentFrequency: 'high', leadTime: 'high', changeFailureRate: 'medium', failedDeploymentRecovery: 'high' },
    weekly: [],
    ...overrides,
  };
}

export function snapshot(overrides: Partial<WorkspaceSnapshot> = {}): WorkspaceSnapshot {
  return {
    root: ROOT,
    now: NOW,
    config: config(),
    slos: [],
    sloReports: [],
    incidents: [],
    deployments: [],
    dora: null,
    previousDora: null,
    problems: [],
    sources: [],
    delivery: null,
    deliveryError: null,
    ...overrides,
  };
}

export function viewState(overrides: Partial<WorkspaceViewState> = {}): WorkspaceViewState {
  return { root: ROOT, name: 'shop', snapshot: snapshot(), loading: false, trusted: true, remoteEnabled: true, ...overrides };
}

// ---- hostile data: what a stranger's repository, server or git history may hold -----------------

export const EVIL_ID = 'INC-1](https://evil.example/x)';
export const EVIL_TITLE =
  '![x](https://evil.example/pixel.png) <img src=x onerror=alert(1)> [click](command:workbench.action.terminal.new)';
export const EVIL_SUBJECT = 'Fix ![t](https://evil.example/t.png) [docs](https://evil.example/phish) see https://evil.example/a and www.evil.example';

/** An incident whose every text field tries to become a link, an image, HTML or an icon. */
export function hostileIncidentView(overrides: Partial<IncidentView> = {}): IncidentView {
  return incidentView({
    id: EVIL_ID,
    service: '**bold** $(terminal)',
    title: EVIL_TITLE,
    url: 'javascript:alert(1)',
    postmortem: 'command:workbench.action.terminal.new?%5B%5D',
    deployment: 'v1](https://evil.example/tag)',
    commits: ['c0ffee1234', '](javascript:alert(1))'],
    files: ['[f](file:///etc/passwd)', '`<img src=x>`'],
    source: '<script>alert(1)</script> | | extra cell |',
    ...overrides,
  });
}

/** The deployment the hostile incident links to, shipping a commit whose subject is markdown. */
export function hostileDeployment(overrides: Partial<DeploymentView> = {}): DeploymentView {
  return deployment({
    name: 'v1](https://evil.example/tag)',
    services: ['**bold** $(terminal)'],
    changes: [{ sha: 'ba5eba11'.padEnd(40, '0'), subject: EVIL_SUBJECT, time: NOW - 2 * DAY }],
    incidents: [EVIL_ID],
    ...overrides,
  });
}
