// Every remote source configured in config.yaml, fetched independently: one failing (or lacking its
// token) becomes a SourceState with its plain reason and never hides what the others returned.
//
// Tokens. A TokenProvider is asked for the token of one source at the origin this module will send it
// to (the origin of the base URL config.yaml names, computed here where the client opens): the editor
// looks up secret storage under exactly that (source, origin), the CLI reads the environment
// (environmentTokens). Whatever a provider answers, a token is sent only where its owner said it belongs:
//   - a SavedToken names its origin (the editor saves each token under one; the CLI's is pinned by
//     `<VARIABLE>_ORIGIN`, or GITHUB_API_URL for GITHUB_TOKEN);
//   - a plain string belongs to the provider's own API (PROVIDER_API_ORIGINS: api.pagerduty.com and
//     api.eu.pagerduty.com, api.opsgenie.com and api.eu.opsgenie.com, api.github.com). Prometheus has
//     no such home, so a plain Prometheus token is sent nowhere and the source says how to pin it.
// When config.yaml points a source anywhere else, the token is not sent and the source reports
// `needs-token`: a pull request that edits config.yaml cannot make CI post the token to its host.
// A pin that is not an http(s) URL is an error naming the variable, never a silently unpinned token.
//
// Records. Each source checks every record it reads (http/remoteRecords.ts); records that cannot be
// read make the source `failing` with the reasons, while its valid records still count (an open SEV1
// still freezes merges).
import type { AxiosInstance } from 'axios';
import type { Deployment, Incident, IncidentSourceConfig, PrometheusConfig, SloDefinition, SourceState, WorkspaceConfig } from '../core/model';
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
import type { HttpClient, SourceToken, TokenScheme } from './http/httpClient';
import { checkIncidents } from './http/remoteRecords';
import type { CheckedRecords } from './http/remoteRecords';
import { SourceError, plainReason } from './http/sourceError';
import type { InsecureSkipVerify } from './http/tlsVerification';
import { OPSGENIE_SHUTDOWN_NOTICE, checkOpsgenie, fetchOpsgenieIncidents, opsgenieOptions } from './opsgenie';
import { checkPagerDuty, fetchPagerDutyIncidents, pagerDutyOptions } from './pagerduty';
import { PROVIDER_API_ORIGINS, gitHubDeploymentsBaseUrl, incidentSourceBaseUrl } from './sourceAddresses';
import type { TokenSource } from './sourceAddresses';
import { checkPrometheus } from './prometheus';
import { readsPrometheus, sloDataReaders } from '../core/compositeSlo';
import { chooseSloReadings, readModeSummary, recordingRulesHint } from './prometheusRecords';
import { PrometheusSession } from './prometheusSession';

export type { TokenSource };

/** A token and the origin (`https://host[:port]`) it was saved for. */
export interface SavedToken {
  value: string;
  origin: string;
}

/** What a TokenProvider is asked: a source's token, to be sent to `origin` (`https://host[:port]`). */
export interface TokenRequest {
  source: TokenSource;
  /** The origin of the base URL config.yaml names for the source: where the token would go. */
  origin: string;
}

/**
 * The token for a source: a SavedToken, a plain string (for the provider's own API only), or
 * undefined. The answer is checked against `request.origin` here all the same (a provider may offer
 * a token for another origin; it is then not sent). It may throw a SourceError when the user's pin
 * is unreadable; the source then fails with that message and nothing is sent.
 */
export type TokenProvider = (request: TokenRequest) => Promise<string | SavedToken | undefined>;

/**
 * What the user (never the repository) decides about connections, and HTTP tuning: tests shorten
 * timeouts and backoff and cap answers small, the extension may inject axios.
 */
export interface RemoteSourceSettings {
  axios?: AxiosInstance;
  timeoutMs?: number;
  retries?: number;
  retryBaseDelayMs?: number;
  maxConcurrentPerHost?: number;
  /** Largest answer read from any source, in bytes; default the HTTP client's MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
  /** Skip TLS verification for Prometheus: the CLI's environment variable or the editor's user setting. */
  prometheusInsecureSkipVerify?: InsecureSkipVerify;
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

/** How many record problems a state's message spells out before "and N more". */
const PROBLEMS_SHOWN = 3;

/** The variables that pin a source's token from the environment, the first set one winning. */
function pinVariables(source: TokenSource): string[] {
  const own = `${TOKEN_VARIABLES[source]}_ORIGIN`;
  // GitHub Actions sets GITHUB_API_URL on every runner (https://HOST/api/v3 on GitHub Enterprise).
  return source === 'github' ? [own, 'GITHUB_API_URL'] : [own];
}

/**
 * Tokens for the CLI, from the environment: RELIABILITY_LENS_PROMETHEUS_TOKEN,
 * RELIABILITY_LENS_PAGERDUTY_TOKEN, RELIABILITY_LENS_OPSGENIE_TOKEN and GITHUB_TOKEN. A companion
 * `<NAME>_ORIGIN` variable pins a token to a server (a Prometheus, a PagerDuty fake, a GitHub
 * Enterprise server); GITHUB_TOKEN is also pinned by GITHUB_API_URL. Without a pin a token is for the
 * provider's own API only, and a Prometheus token for none. The requested origin is not consulted:
 * the environment holds one token per source, and openClient decides, by the pin, whether it may go
 * there (one rule, whoever provides the token).
 */
export function environmentTokens(env: Readonly<Record<string, string | undefined>>): TokenProvider {
  return async ({ source }) => {
    const value = env[TOKEN_VARIABLES[source]]?.trim();
    if (!value) return undefined;
    const pin = pinVariables(source).find((variable) => env[variable] !== undefined);
    if (pin === undefined) return value;
    const text = env[pin] ?? '';
    const origin = originOf(text.trim());
    if (origin === null) {
      const title = SOURCE_TITLES[source];
      throw new SourceError(
        title,
        '',
        'configuration',
        `${pin} is ${JSON.stringify(text.slice(0, 80))}, which is not an http(s) URL; set it to the server the ${title} token is for, ` +
          `such as https://${exampleHost(source)}. The token is not sent until then`,
      );
    }
    return { value, origin };
  };
}

function exampleHost(source: TokenSource): string {
  return source === 'prometheus' ? 'prometheus.example.com:9090' : source === 'github' ? 'github.example.com/api/v3' : `${source}.example.com`;
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
    // Loops, not push(...list): a source may answer with more records than a call takes arguments.
    for (const incident of outcome.value.incidents ?? []) data.incidents.push(incident);
    for (const deployment of outcome.value.deployments ?? []) data.deployments.push(deployment);
    data.states.push(outcome.value.state);
  }
  return data;
}

/**
 * Reachability, token and data check of every configured remote source, for `reliability-lens
 * sources`: each incident source is read as a load reads it, so records a load would leave out make
 * it `failing` here too.
 */
export async function checkSources(
  config: WorkspaceConfig,
  tokens: TokenProvider,
  now: number,
  signal?: AbortSignal,
  settings: RemoteSourceSettings = {},
  slos: readonly SloDefinition[] = [],
): Promise<SourceState[]> {
  const checks: Array<Promise<SourceState>> = [];
  if (config.slis.source === 'prometheus') {
    checks.push(
      (async () => {
        const opened = await openPrometheus(config.slis.prometheus, tokens, signal, settings);
        if ('state' in opened) return opened.state;
        try {
          const info = await checkPrometheus(opened.client);
          // Which SLOs would read recorded series, from the one request a refresh makes to find out.
          const fromPrometheus = sloDataReaders(slos).filter(readsPrometheus);
          const readings = await chooseSloReadings(opened.client, fromPrometheus, now, config.slis.prometheus?.mode ?? 'auto', new PrometheusSession());
          const modes = readings.map((reading) => reading.mode);
          const hint = recordingRulesHint(modes);
          return {
            name: 'prometheus',
            host: opened.client.host,
            state: 'ok',
            message: modes.length === 0 ? `Prometheus ${info.version}` : `Prometheus ${info.version}; ${readModeSummary(modes)}`,
            lastSuccess: now,
            ...(hint === undefined ? {} : { hint }),
          };
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
        } catch (error) {
          return failing('github-deployments', opened.client.host, error, 'GitHub');
        }
        return (await readGitHubDeployments(config, opened, now)).state;
      })(),
    );
  }
  return Promise.all(checks);
}

/**
 * The client for slis.prometheus, or the state explaining why there is none. A Prometheus token is
 * optional (most servers inside a network have no auth); one that is not pinned to this server is
 * withheld. TLS verification is off only when the user's settings say so.
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
  const insecure = settings.prometheusInsecureSkipVerify ?? false;
  if (typeof insecure === 'object') {
    return { state: { name: 'prometheus', host: hostOf(prometheus.url), state: 'failing', message: `Prometheus: ${insecure.invalid}` } };
  }
  return openClient({
    stateName: 'prometheus',
    title: 'Prometheus',
    baseUrl: prometheus.url,
    tokenSource: 'prometheus',
    scheme: 'Bearer',
    tokenRequired: false,
    tokens,
    signal,
    settings,
    headers: prometheus.headers,
    insecureSkipVerify: insecure,
  });
}

// ---- one source at a time ------------------------------------------------------------------------

interface ClientRequest {
  stateName: string;
  title: string;
  baseUrl: string;
  tokenSource: TokenSource | null;
  scheme: TokenScheme;
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
  let token: SourceToken | undefined;
  if (request.tokenSource !== null) {
    const decided = await tokenFor(request, request.tokenSource, baseOrigin, host);
    if ('state' in decided) return decided;
    token = decided.token;
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
      maxResponseBytes: request.settings.maxResponseBytes,
    });
    return { client };
  } catch (error) {
    return { state: failing(request.stateName, host, error, request.title) };
  }
}

/** The token to send to `baseOrigin`, none, or the state saying why the source cannot be used. */
async function tokenFor(
  request: ClientRequest,
  source: TokenSource,
  baseOrigin: string,
  host: string,
): Promise<{ token: SourceToken | undefined } | { state: SourceState }> {
  let provided: string | SavedToken | undefined;
  try {
    provided = await request.tokens({ source, origin: baseOrigin });
  } catch (error) {
    return { state: failing(request.stateName, host, error, request.title) };
  }
  const needsToken = (message: string) => ({ state: { name: request.stateName, host, state: 'needs-token' as const, message } });
  if (provided === undefined || provided === '' || (typeof provided === 'object' && provided.value === '')) {
    if (!request.tokenRequired) return { token: undefined };
    return needsToken(`${request.title} needs a token: set it in the editor, or ${TOKEN_VARIABLES[source]} for the CLI`);
  }
  const pin = pinVariables(source)[0];
  let savedFor: string;
  if (typeof provided === 'string') {
    const homes = PROVIDER_API_ORIGINS[source];
    if (homes.length === 0) {
      return needsToken(
        `the ${request.title} token is not pinned to a server, so it is not sent (config.yaml points at ${host}); ` +
          `set ${pin} to the server it is for, such as https://${exampleHost(source)}`,
      );
    }
    savedFor = homes.includes(baseOrigin) ? baseOrigin : homes[0];
  } else {
    // An origin that does not read as one matches nothing, so the token goes nowhere.
    savedFor = originOf(provided.origin) ?? provided.origin;
  }
  if (savedFor !== baseOrigin) {
    return needsToken(
      `the ${request.title} token is kept for ${hostOf(savedFor)}; config.yaml points at ${host}, which does not receive it. ` +
        `Save a token for ${host} in the editor, or pin the CLI's with ${pin}, to use it`,
    );
  }
  const value = typeof provided === 'string' ? provided : provided.value;
  return { token: { value, scheme: request.scheme, origin: savedFor } };
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
      return { ...common, baseUrl: incidentSourceBaseUrl(source)!, tokenSource: 'pagerduty', scheme: 'Token token=', tokenRequired: true };
    case 'opsgenie':
      return { ...common, baseUrl: incidentSourceBaseUrl(source)!, tokenSource: 'opsgenie', scheme: 'GenieKey', tokenRequired: true };
    case 'github':
      return { ...common, baseUrl: incidentSourceBaseUrl(source)!, tokenSource: 'github', scheme: 'Bearer', tokenRequired: true };
    case 'alertmanager':
      if (!source.url) {
        return { state: { name: 'alertmanager', state: 'failing', message: 'Alertmanager: set its url in config.yaml' } };
      }
      // Alertmanager has no tokens of its own; it sits inside the network or behind a proxy.
      return { ...common, baseUrl: source.url, tokenSource: null, scheme: 'Bearer', tokenRequired: false };
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
  return readIncidents(source, opened.client, request.title, now);
}

/** Reads a source's incidents: its valid ones always, with a failing state when some could not be read. */
async function readIncidents(
  source: IncidentSourceConfig,
  client: HttpClient,
  title: string,
  now: number,
): Promise<{ incidents?: Incident[]; state: SourceState }> {
  let fetched: CheckedRecords<Incident>;
  try {
    fetched = await fetchIncidents(source, client, now);
  } catch (error) {
    return { state: failing(source.type, client.host, error, title) };
  }
  // What every incident must satisfy, whichever source it came from, is checked here once.
  const sound = checkIncidents(fetched.records);
  const problems = [...fetched.problems, ...sound.problems];
  if (problems.length > 0) {
    return { incidents: sound.records, state: unreadableRecords(source.type, client.host, title, 'incident', problems) };
  }
  const state: SourceState = { name: source.type, host: client.host, state: 'ok', lastSuccess: now };
  if (source.type === 'opsgenie') state.message = OPSGENIE_SHUTDOWN_NOTICE;
  return { incidents: sound.records, state };
}

function fetchIncidents(source: IncidentSourceConfig, client: HttpClient, now: number): Promise<CheckedRecords<Incident>> {
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
      return Promise.resolve({ records: [], problems: [] });
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
  let message: string | undefined;
  try {
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
  } catch (error) {
    return failing(source.type, client.host, error, request.title);
  }
  const read = await readIncidents(source, client, request.title, now);
  return read.state.state === 'ok' ? { name: source.type, host: client.host, state: 'ok', message, lastSuccess: now } : read.state;
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
  return readGitHubDeployments(config, opened, now);
}

async function readGitHubDeployments(
  config: WorkspaceConfig,
  opened: { client: HttpClient; repository: string },
  now: number,
): Promise<{ deployments?: Deployment[]; state: SourceState }> {
  let fetched: CheckedRecords<Deployment>;
  try {
    fetched = await fetchGitHubDeployments(
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
  } catch (error) {
    return { state: failing('github-deployments', opened.client.host, error, 'GitHub') };
  }
  if (fetched.problems.length > 0) {
    return { deployments: fetched.records, state: unreadableRecords('github-deployments', opened.client.host, 'GitHub', 'deployment record', fetched.problems) };
  }
  return { deployments: fetched.records, state: { name: 'github-deployments', host: opened.client.host, state: 'ok', lastSuccess: now } };
}

/** `failing`, naming the first few records left out and why; the source's other records still count. */
function unreadableRecords(name: string, host: string, title: string, noun: string, problems: readonly string[]): SourceState {
  const count = problems.length;
  const shown = problems.slice(0, PROBLEMS_SHOWN).join('; ');
  const more = count > PROBLEMS_SHOWN ? `; and ${count - PROBLEMS_SHOWN} more` : '';
  return {
    name,
    host,
    state: 'failing',
    message: `${title} at ${host} answered ${count} ${noun}${count === 1 ? '' : 's'} that could not be read, left out (the others count): ${shown}${more}`,
  };
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
