// Every remote source configured in config.yaml, fetched independently: one failing (or lacking its
// token) becomes a SourceState with its plain reason and never hides what the others returned.
//
// Tokens. A TokenProvider answers per source; the editor reads secret storage, the CLI the
// environment (environmentTokens). A token is bound to the origin it was saved for:
//   - a SavedToken names its origin;
//   - a plain string is taken to be for the provider's own API (PagerDuty: api.pagerduty.com and
//     api.eu.pagerduty.com; Opsgenie: api.opsgenie.com and api.eu.opsgenie.com; GitHub:
//     api.github.com); Prometheus has no such home, so a plain Prometheus token is for the server
//     slis.prometheus.url names.
// When config.yaml points a source anywhere else, the token is not sent and the source reports
// `needs-token`: a pull request that edits config.yaml cannot make CI post the token to its host.
import type { AxiosInstance } from 'axios';
import type { Deployment, Incident, IncidentSourceConfig, PrometheusConfig, SourceState, WorkspaceConfig } from '../core/model';
import { checkAlertmanager, alertmanagerOptions, fetchAlertmanagerIncidents } from './alertmanager';
import {
  checkGitHub,
  fetchGitHubDeployments,
  fetchGitHubIncidents,
  gitHubIssueOptions,
  requireRepository,
} from './githubSource';
import { createHttpClient } from './http/httpClient';
import { originOf } from './http/origin';
import type { HttpClient, HttpClientOptions, TokenScheme } from './http/httpClient';
import { plainReason } from './http/sourceError';
import { OPSGENIE_SHUTDOWN_NOTICE, checkOpsgenie, fetchOpsgenieIncidents, opsgenieOptions } from './opsgenie';
import { checkPagerDuty, fetchPagerDutyIncidents, pagerDutyOptions } from './pagerduty';
import { GITHUB_API, OPSGENIE_ORIGINS, PAGERDUTY_ORIGINS, gitHubDeploymentsBaseUrl, incidentSourceBaseUrl } from './sourceAddresses';
import { checkPrometheus } from './prometheus';

export type TokenSource = 'prometheus' | 'pagerduty' | 'opsgenie' | 'github';

/** A token and the origin (`https://host[:port]`) it was saved for. */
export interface SavedToken {
  value: string;
  origin: string;
}

export type TokenProvider = (source: TokenSource) => Promise<string | SavedToken | undefined>;

/** HTTP tuning shared by every source; tests shorten timeouts and backoff, the extension may inject axios. */
export interface RemoteSourceSettings {
  axios?: AxiosInstance;
  timeoutMs?: number;
  retries?: number;
  retryBaseDelayMs?: number;
  maxConcurrentPerHost?: number;
}

export interface RemoteData {
  incidents: Incident[];
  deployments: Deployment[];
  states: SourceState[];
}

const TOKEN_VARIABLES: Record<TokenSource, string> = {
  prometheus: 'RELIABILITY_LENS_PROMETHEUS_TOKEN',
  pagerduty: 'RELIABILITY_LENS_PAGERDUTY_TOKEN',
  opsgenie: 'RELIABILITY_LENS_OPSGENIE_TOKEN',
  github: 'GITHUB_TOKEN',
};

const SOURCE_TITLES: Record<IncidentSourceConfig['type'] | 'prometheus' | 'github-deployments', string> = {
  file: 'incidents.yaml',
  pagerduty: 'PagerDuty',
  opsgenie: 'Opsgenie',
  github: 'GitHub',
  alertmanager: 'Alertmanager',
  prometheus: 'Prometheus',
  'github-deployments': 'GitHub',
};

/**
 * Tokens for the CLI, from the environment: RELIABILITY_LENS_PROMETHEUS_TOKEN,
 * RELIABILITY_LENS_PAGERDUTY_TOKEN, RELIABILITY_LENS_OPSGENIE_TOKEN and GITHUB_TOKEN. A companion
 * `<NAME>_ORIGIN` variable pins a token to a host (e.g. a PagerDuty fake, a GitHub Enterprise
 * server); GITHUB_TOKEN is pinned by GITHUB_API_URL, which GitHub Actions sets on every runner.
 */
export function environmentTokens(env: Readonly<Record<string, string | undefined>>): TokenProvider {
  return async (source) => {
    const variable = TOKEN_VARIABLES[source];
    const value = env[variable]?.trim();
    if (!value) return undefined;
    const pinnedOrigin = source === 'github' ? (env[`${variable}_ORIGIN`] ?? env.GITHUB_API_URL) : env[`${variable}_ORIGIN`];
    const origin = pinnedOrigin ? originOf(pinnedOrigin.trim()) : null;
    return origin ? { value, origin } : value;
  };
}

/** Incidents from every remote incident source, and GitHub deployments when configured. */
export async function fetchRemoteIncidents(
  config: WorkspaceConfig,
  tokens: TokenProvider,
  now: number,
  signal?: AbortSignal,
  settings: RemoteSourceSettings = {},
): Promise<RemoteData> {
  const tasks: Array<Promise<{ incidents?: Incident[]; deployments?: Deployment[]; state: SourceState }>> = [];
  for (const source of config.incidents.sources) {
    if (source.type === 'file') continue;
    tasks.push(runIncidentSource(source, tokens, now, signal, settings));
  }
  if (config.deployments.source === 'github') tasks.push(runGitHubDeployments(config, tokens, now, signal, settings));

  const settled = await Promise.allSettled(tasks);
  const data: RemoteData = { incidents: [], deployments: [], states: [] };
  for (const outcome of settled) {
    // Each task turns its own failures into a state; a rejection here would be a bug, still shown.
    if (outcome.status === 'rejected') {
      data.states.push({ name: 'remote', state: 'failing', message: plainReason(outcome.reason, 'a remote source') });
      continue;
    }
    data.incidents.push(...(outcome.value.incidents ?? []));
    data.deployments.push(...(outcome.value.deployments ?? []));
    data.states.push(outcome.value.state);
  }
  return data;
}

/** Reachability and token check of every configured remote source, for `reliability-lens sources`. */
export async function checkSources(
  config: WorkspaceConfig,
  tokens: TokenProvider,
  now: number,
  signal?: AbortSignal,
  settings: RemoteSourceSettings = {},
): Promise<SourceState[]> {
  const checks: Array<Promise<SourceState>> = [];
  if (config.slis.source === 'prometheus') {
    checks.push(
      (async () => {
        const opened = await openPrometheus(config.slis.prometheus, tokens, signal, settings);
        if ('state' in opened) return opened.state;
        try {
          const info = await checkPrometheus(opened.client);
          return { name: 'prometheus', host: opened.client.host, state: 'ok', message: `Prometheus ${info.version}`, lastSuccess: now };
        } catch (error) {
          return failing('prometheus', opened.client.host, error, 'Prometheus');
        }
      })(),
    );
  }
  for (const source of config.incidents.sources) {
    if (source.type === 'file') continue;
    checks.push(checkIncidentSource(source, tokens, now, signal, settings));
  }
  if (config.deployments.source === 'github') {
    checks.push(
      (async () => {
        const opened = await openGitHubDeployments(config, tokens, signal, settings);
        if ('state' in opened) return opened.state;
        try {
          await checkGitHub(opened.client, opened.repository);
          return { name: 'github-deployments', host: opened.client.host, state: 'ok', lastSuccess: now };
        } catch (error) {
          return failing('github-deployments', opened.client.host, error, 'GitHub');
        }
      })(),
    );
  }
  return Promise.all(checks);
}

/**
 * The client for slis.prometheus, or the state explaining why there is none. A Prometheus token is
 * optional (most servers inside a network have no auth); one saved for another host is withheld.
 */
export async function openPrometheus(
  prometheus: PrometheusConfig | undefined,
  tokens: TokenProvider,
  signal?: AbortSignal,
  settings: RemoteSourceSettings = {},
): Promise<{ client: HttpClient } | { state: SourceState }> {
  if (!prometheus?.url) {
    return { state: { name: 'prometheus', state: 'disabled', message: 'slis.prometheus.url is not set in config.yaml' } };
  }
  const opened = await openClient({
    stateName: 'prometheus',
    title: 'Prometheus',
    baseUrl: prometheus.url,
    tokenSource: 'prometheus',
    scheme: 'Bearer',
    homeOrigins: null,
    tokenRequired: false,
    tokens,
    signal,
    settings,
    headers: prometheus.headers,
    insecureSkipVerify: prometheus.insecureSkipVerify,
  });
  return opened;
}

// ---- one source at a time ------------------------------------------------------------------------

interface ClientRequest {
  stateName: string;
  title: string;
  baseUrl: string;
  tokenSource: TokenSource | null;
  scheme: TokenScheme;
  /** Origins a plain-string token belongs to; null: the configured URL's own origin. */
  homeOrigins: readonly string[] | null;
  tokenRequired: boolean;
  tokens: TokenProvider;
  signal: AbortSignal | undefined;
  settings: RemoteSourceSettings;
  headers?: Record<string, string>;
  insecureSkipVerify?: boolean;
}

async function openClient(request: ClientRequest): Promise<{ client: HttpClient } | { state: SourceState }> {
  const baseOrigin = originOf(request.baseUrl);
  if (baseOrigin === null) {
    return { state: { name: request.stateName, state: 'failing', message: `${request.title}: "${request.baseUrl}" is not an http(s) URL` } };
  }
  const host = new URL(request.baseUrl).host;
  let token: HttpClientOptions['token'];
  if (request.tokenSource !== null) {
    let provided: string | SavedToken | undefined;
    try {
      provided = await request.tokens(request.tokenSource);
    } catch (error) {
      return { state: failing(request.stateName, host, error, request.title) };
    }
    if (provided !== undefined && provided !== '') {
      const value = typeof provided === 'string' ? provided : provided.value;
      const savedFor =
        typeof provided === 'string'
          ? request.homeOrigins === null || request.homeOrigins.includes(baseOrigin)
            ? baseOrigin
            : request.homeOrigins[0]
          : (originOf(provided.origin) ?? provided.origin);
      if (savedFor !== baseOrigin) {
        return {
          state: {
            name: request.stateName,
            host,
            state: 'needs-token',
            message: `the ${request.title} token is kept for ${hostOf(savedFor)}; config.yaml points at ${host}, which does not receive it. Save a token for ${host} to use it`,
          },
        };
      }
      token = { value, scheme: request.scheme, origin: savedFor };
    } else if (request.tokenRequired) {
      const variable = TOKEN_VARIABLES[request.tokenSource];
      return {
        state: {
          name: request.stateName,
          host,
          state: 'needs-token',
          message: `${request.title} needs a token: set it in the editor, or ${variable} for the CLI`,
        },
      };
    }
  }
  try {
    const client = createHttpClient({
      sourceName: request.title,
      baseUrl: request.baseUrl,
      token,
      headers: request.headers,
      signal: request.signal,
      insecureSkipVerify: request.insecureSkipVerify,
      axios: request.settings.axios,
      timeoutMs: request.settings.timeoutMs,
      retries: request.settings.retries,
      retryBaseDelayMs: request.settings.retryBaseDelayMs,
      maxConcurrentPerHost: request.settings.maxConcurrentPerHost,
    });
    return { client };
  } catch (error) {
    return { state: failing(request.stateName, host, error, request.title) };
  }
}

function clientRequestFor(
  source: IncidentSourceConfig,
  tokens: TokenProvider,
  signal: AbortSignal | undefined,
  settings: RemoteSourceSettings,
): ClientRequest | { state: SourceState } {
  const common = { tokens, signal, settings, stateName: source.type, title: SOURCE_TITLES[source.type] };
  switch (source.type) {
    case 'pagerduty':
      return { ...common, baseUrl: incidentSourceBaseUrl(source)!, tokenSource: 'pagerduty', scheme: 'Token token=', homeOrigins: PAGERDUTY_ORIGINS, tokenRequired: true };
    case 'opsgenie':
      return { ...common, baseUrl: incidentSourceBaseUrl(source)!, tokenSource: 'opsgenie', scheme: 'GenieKey', homeOrigins: OPSGENIE_ORIGINS, tokenRequired: true };
    case 'github':
      return { ...common, baseUrl: incidentSourceBaseUrl(source)!, tokenSource: 'github', scheme: 'Bearer', homeOrigins: [GITHUB_API], tokenRequired: true };
    case 'alertmanager':
      if (!source.url) {
        return { state: { name: 'alertmanager', state: 'failing', message: 'Alertmanager: set its url in config.yaml' } };
      }
      // Alertmanager has no tokens of its own; it sits inside the network or behind a proxy.
      return { ...common, baseUrl: source.url, tokenSource: null, scheme: 'Bearer', homeOrigins: null, tokenRequired: false };
    case 'file':
      return { state: { name: 'file', state: 'disabled' } };
  }
}

async function runIncidentSource(
  source: IncidentSourceConfig,
  tokens: TokenProvider,
  now: number,
  signal: AbortSignal | undefined,
  settings: RemoteSourceSettings,
): Promise<{ incidents?: Incident[]; state: SourceState }> {
  const request = clientRequestFor(source, tokens, signal, settings);
  if ('state' in request) return request;
  const opened = await openClient(request);
  if ('state' in opened) return opened;
  const { client } = opened;
  try {
    const incidents = await fetchIncidents(source, client, now);
    const state: SourceState = { name: source.type, host: client.host, state: 'ok', lastSuccess: now };
    if (source.type === 'opsgenie') state.message = OPSGENIE_SHUTDOWN_NOTICE;
    return { incidents, state };
  } catch (error) {
    return { state: failing(source.type, client.host, error, request.title) };
  }
}

function fetchIncidents(source: IncidentSourceConfig, client: HttpClient, now: number): Promise<Incident[]> {
  switch (source.type) {
    case 'pagerduty':
      return fetchPagerDutyIncidents(client, pagerDutyOptions(source), now);
    case 'opsgenie':
      return fetchOpsgenieIncidents(client, opsgenieOptions(source));
    case 'github':
      return fetchGitHubIncidents(client, gitHubIssueOptions(source));
    case 'alertmanager':
      return fetchAlertmanagerIncidents(client, alertmanagerOptions(source));
    case 'file':
      return Promise.resolve([]);
  }
}

async function checkIncidentSource(
  source: IncidentSourceConfig,
  tokens: TokenProvider,
  now: number,
  signal: AbortSignal | undefined,
  settings: RemoteSourceSettings,
): Promise<SourceState> {
  const request = clientRequestFor(source, tokens, signal, settings);
  if ('state' in request) return request.state;
  const opened = await openClient(request);
  if ('state' in opened) return opened.state;
  const { client } = opened;
  try {
    let message: string | undefined;
    switch (source.type) {
      case 'pagerduty':
        await checkPagerDuty(client);
        break;
      case 'opsgenie':
        await checkOpsgenie(client);
        message = OPSGENIE_SHUTDOWN_NOTICE;
        break;
      case 'github':
        await checkGitHub(client, gitHubIssueOptions(source).repository);
        break;
      case 'alertmanager':
        message = `Alertmanager ${(await checkAlertmanager(client)).version}`;
        break;
      case 'file':
        break;
    }
    return { name: source.type, host: client.host, state: 'ok', message, lastSuccess: now };
  } catch (error) {
    return failing(source.type, client.host, error, request.title);
  }
}

async function openGitHubDeployments(
  config: WorkspaceConfig,
  tokens: TokenProvider,
  signal: AbortSignal | undefined,
  settings: RemoteSourceSettings,
): Promise<{ client: HttpClient; repository: string } | { state: SourceState }> {
  let repository: string;
  try {
    repository = requireRepository(config.deployments.repository);
  } catch (error) {
    return { state: failing('github-deployments', undefined, error, 'GitHub') };
  }
  const opened = await openClient({
    stateName: 'github-deployments',
    title: 'GitHub',
    baseUrl: gitHubDeploymentsBaseUrl(config),
    tokenSource: 'github',
    scheme: 'Bearer',
    homeOrigins: [GITHUB_API],
    tokenRequired: true,
    tokens,
    signal,
    settings,
  });
  return 'state' in opened ? opened : { client: opened.client, repository };
}

async function runGitHubDeployments(
  config: WorkspaceConfig,
  tokens: TokenProvider,
  now: number,
  signal: AbortSignal | undefined,
  settings: RemoteSourceSettings,
): Promise<{ deployments?: Deployment[]; state: SourceState }> {
  const opened = await openGitHubDeployments(config, tokens, signal, settings);
  if ('state' in opened) return opened;
  try {
    const deployments = await fetchGitHubDeployments(
      opened.client,
      {
        repository: opened.repository,
        environment: config.deployments.environment,
        // Twice the default DORA window: the report compares with the previous period.
        days: 180,
        services: config.services.map((service) => service.name),
      },
      now,
    );
    return { deployments, state: { name: 'github-deployments', host: opened.client.host, state: 'ok', lastSuccess: now } };
  } catch (error) {
    return { state: failing('github-deployments', opened.client.host, error, 'GitHub') };
  }
}

function failing(name: string, host: string | undefined, error: unknown, title: string): SourceState {
  return { name, host, state: 'failing', message: plainReason(error, title) };
}

function hostOf(origin: string): string {
  try {
    return new URL(origin).host;
  } catch {
    return origin;
  }
}
