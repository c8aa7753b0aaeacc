// Where each remote source lives: the providers' own API hosts and the base URL a workspace's config
// makes a source use. Shared by the sources (to connect) and the editor (to file a token under the
// host it will be sent to), and free of the HTTP client so the editor can load it at start-up.
import type { IncidentSourceConfig, WorkspaceConfig } from '../core/model';
import { optionString } from './http/sourceOptions';

export const PAGERDUTY_API = 'https://api.pagerduty.com';
/** A plain PagerDuty token belongs to PagerDuty's own API, in either service region. */
export const PAGERDUTY_ORIGINS = [PAGERDUTY_API, 'https://api.eu.pagerduty.com'] as const;

export const OPSGENIE_API = 'https://api.opsgenie.com';
export const OPSGENIE_EU_API = 'https://api.eu.opsgenie.com';
export const OPSGENIE_ORIGINS = [OPSGENIE_API, OPSGENIE_EU_API] as const;

export const GITHUB_API = 'https://api.github.com';

/** The sources that take a token. */
export const TOKEN_SOURCES = ['prometheus', 'pagerduty', 'opsgenie', 'github'] as const;
export type TokenSource = (typeof TOKEN_SOURCES)[number];

/**
 * Where a token that names no origin of its own may go: the provider's own API, nowhere else. A
 * Prometheus server has no such home (every team runs its own), so an unpinned Prometheus token is
 * sent nowhere: otherwise whoever edits config.yaml would choose where it goes.
 */
export const PROVIDER_API_ORIGINS: Readonly<Record<TokenSource, readonly string[]>> = {
  prometheus: [],
  pagerduty: PAGERDUTY_ORIGINS,
  opsgenie: OPSGENIE_ORIGINS,
  github: [GITHUB_API],
};

/** Opsgenie's API host: the configured url, else the EU or the default instance (`region: eu`). */
export function opsgenieBaseUrl(source: IncidentSourceConfig): string {
  if (source.url) return source.url;
  return optionString(source.options, 'region')?.toLowerCase() === 'eu' ? OPSGENIE_EU_API : OPSGENIE_API;
}

/** The base URL an incident source connects to; undefined for the file ledger and an Alertmanager without url. */
export function incidentSourceBaseUrl(source: IncidentSourceConfig): string | undefined {
  switch (source.type) {
    case 'pagerduty':
      return source.url ?? PAGERDUTY_API;
    case 'opsgenie':
      return opsgenieBaseUrl(source);
    case 'github':
      return source.url ?? GITHUB_API;
    case 'alertmanager':
      return source.url;
    case 'file':
      return undefined;
  }
}

/** The GitHub API the deployments source uses (GitHub Enterprise through `deployments.url`). */
export function gitHubDeploymentsBaseUrl(config: WorkspaceConfig): string {
  return config.deployments.url ?? GITHUB_API;
}
