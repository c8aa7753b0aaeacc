// The HTTP client every remote source uses: a thin wrapper around an (injectable) axios instance
// that adds what a tool talking to many third-party APIs from an editor and from CI needs:
//   - a deadline per attempt, and cancellation from the caller's AbortSignal;
//   - bounded retries with exponential backoff and jitter on 429/5xx, honouring `Retry-After`;
//   - a cap on concurrent requests per host;
//   - a cap on the size of every answer, counted as it streams in (a chunked answer without a
//     Content-Length is cut off too), so a server cannot exhaust the editor's or CI's memory;
//   - a token-origin guard: the token goes only to the origin it was saved for, also across
//     redirects and absolute paging URLs, so a config.yaml pointing elsewhere never receives it;
//   - zod validation of every JSON answer;
//   - failures as SourceError with plain words, never a stack trace or the token.
import type { SourceLoad } from '../../core/model';
import axios from 'axios';
import type { AxiosInstance, AxiosResponse } from 'axios';
import { Agent as HttpsAgent } from 'node:https';
import type { z } from 'zod';
import { HostLimiter } from './hostLimiter';
import { backoffDelayMs, isRetryableStatus, parseRetryAfter, sleep } from './retryPolicy';
import { SourceError, redactSecrets } from './sourceError';
import type { SourceErrorReason } from './sourceError';
import { originOf } from './origin';

export type TokenScheme = 'Bearer' | 'Token token=' | 'GenieKey' | 'Basic';

export interface SourceToken {
  /** The secret itself; for `Basic`, `user:password` (encoded here). */
  value: string;
  scheme: TokenScheme;
  /**
   * Origin (`https://host[:port]`) the token was saved for. Requests to any other origin are sent
   * without it. Required: the client never guesses where a token belongs from the URL it is given,
   * since that URL may come from a repository's config.yaml.
   */
  origin: string;
}

export interface HttpClientOptions {
  /** Human name used in messages: `Prometheus`, `PagerDuty`, ... */
  sourceName: string;
  /** Base URL; relative request paths are appended to it (a path prefix such as `/api/v3` is kept). */
  baseUrl: string;
  token?: SourceToken;
  /** Extra headers for requests to the base URL's origin, e.g. `X-Scope-OrgID` for Mimir/Cortex. */
  headers?: Record<string, string>;
  /** Deadline of one attempt. Default 10 s. */
  timeoutMs?: number;
  /** Default 4. */
  maxConcurrentPerHost?: number;
  /** Further attempts after the first on 429, 5xx and dropped connections. Default 3. */
  retries?: number;
  signal?: AbortSignal;
  /** The axios instance to send with; a fresh one by default. Tests and the extension may inject theirs. */
  axios?: AxiosInstance;
  /**
   * Accept any certificate (self-signed test servers). Off by default; only ever set from the user's
   * own settings or environment (tlsVerification.ts), never from a repository.
   */
  insecureSkipVerify?: boolean;
  /** Largest answer body read, in bytes (after decompression). Default MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
  /** First backoff step; doubles each retry. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** Longest wait a `Retry-After` may ask for before we give up instead. Default 60 s. */
  maxRetryAfterMs?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH';

export type QueryValue = string | number | boolean | ReadonlyArray<string | number> | undefined;
export type QueryParams = Record<string, QueryValue>;

export interface HttpRequest {
  method?: HttpMethod;
  /** Relative to the base URL, or an absolute URL (paging links). */
  path: string;
  query?: QueryParams;
  /** Sent as `application/x-www-form-urlencoded` (Prometheus accepts long queries this way). */
  form?: QueryParams;
  /** Sent as `application/json` (the GitHub Action's pull request comment). */
  json?: unknown;
  headers?: Record<string, string>;
}

export interface HttpResponse<T> {
  data: T;
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The URL that finally answered (after redirects). */
  url: string;
}

export interface HttpClient {
  readonly sourceName: string;
  readonly baseUrl: string;
  /** `host[:port]` of the base URL, for SourceState and messages. */
  readonly host: string;
  request<T>(request: HttpRequest, schema: z.ZodType<T>): Promise<HttpResponse<T>>;
  getJson<T>(path: string, schema: z.ZodType<T>, query?: QueryParams): Promise<HttpResponse<T>>;
  /** What this client has asked of its server so far: how a refresh loaded it, and how the server coped. */
  readonly load: ClientLoad;
}

/**
 * Counted per client (one client serves one refresh of one source): requests sent, retries and
 * redirects included; answers that asked us to slow down (429 Too Many Requests, 503 Service
 * Unavailable); the longest time one request took, ms.
 */
export type ClientLoad = SourceLoad;

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_CONCURRENT = 4;
const DEFAULT_RETRIES = 3;
const DEFAULT_RETRY_BASE_MS = 500;
const DEFAULT_MAX_RETRY_AFTER_MS = 60_000;
const MAX_BACKOFF_MS = 8_000;
const MAX_REDIRECTS = 5;
/**
 * No answer a source needs comes near this (a PagerDuty page of 100 incidents is ~200 KB); it bounds
 * what a broken or hostile server can make us hold in memory.
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** A request body as sent, with its media type. */
interface RequestBody {
  text: string;
  type: 'application/x-www-form-urlencoded' | 'application/json';
}

/** Connection failures that usually heal on their own (a restarted proxy, a dropped keep-alive). */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN']);

export function createHttpClient(options: HttpClientOptions): HttpClient {
  return new SourceHttpClient(options);
}

export function authorizationHeader(token: SourceToken): string {
  switch (token.scheme) {
    case 'Token token=':
      return `Token token=${token.value}`;
    case 'Basic':
      return `Basic ${Buffer.from(token.value, 'utf8').toString('base64')}`;
    case 'Bearer':
    case 'GenieKey':
      return `${token.scheme} ${token.value}`;
  }
}

class SourceHttpClient implements HttpClient {
  readonly sourceName: string;
  readonly baseUrl: string;
  readonly host: string;
  readonly load: ClientLoad = { requests: 0, throttled: 0, slowestMs: 0 };
  private readonly baseOrigin: string;
  private readonly tokenOrigin: string | null;
  private readonly axios: AxiosInstance;
  private readonly limiter: HostLimiter;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxResponseBytes: number;
  private readonly httpsAgent: HttpsAgent | undefined;

  constructor(private readonly options: HttpClientOptions) {
    this.sourceName = options.sourceName;
    let base: URL;
    try {
      base = new URL(options.baseUrl);
    } catch {
      throw new SourceError(
        options.sourceName,
        options.baseUrl,
        'configuration',
        `${options.sourceName}: "${options.baseUrl}" is not a URL`,
      );
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new SourceError(
        options.sourceName,
        base.host,
        'configuration',
        `${options.sourceName}: ${base.protocol} URLs are not supported; use http or https`,
      );
    }
    if (base.username || base.password) {
      // Credentials in a URL would end up in messages and logs; they belong in a token.
      throw new SourceError(
        options.sourceName,
        base.host,
        'configuration',
        `${options.sourceName}: put credentials in a token, not in the URL`,
      );
    }
    this.baseUrl = base.toString().replace(/\/+$/, '');
    this.host = base.host;
    this.baseOrigin = base.origin;
    // A token whose origin is not an http(s) origin goes nowhere.
    this.tokenOrigin = options.token ? originOf(options.token.origin) : null;
    this.axios = options.axios ?? axios.create();
    this.limiter = new HostLimiter(options.maxConcurrentPerHost ?? DEFAULT_MAX_CONCURRENT);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_MS;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.httpsAgent = options.insecureSkipVerify ? new HttpsAgent({ rejectUnauthorized: false }) : undefined;
  }

  getJson<T>(path: string, schema: z.ZodType<T>, query?: QueryParams): Promise<HttpResponse<T>> {
    return this.request({ path, query }, schema);
  }

  async request<T>(request: HttpRequest, schema: z.ZodType<T>): Promise<HttpResponse<T>> {
    let url = this.resolveUrl(request.path, request.query);
    let method: HttpMethod = request.method ?? 'GET';
    let body: RequestBody | undefined = request.form
      ? { text: encodeParams(request.form).toString(), type: 'application/x-www-form-urlencoded' }
      : request.json !== undefined
        ? { text: JSON.stringify(request.json), type: 'application/json' }
        : undefined;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const { response, attempts } = await this.sendWithRetries(url, method, body, request.headers);
      const location = headerValue(response, 'location');
      if (REDIRECT_STATUSES.has(response.status) && location) {
        // Followed by hand (axios redirects are off) so the origin guard is applied to every hop.
        url = new URL(location, url).toString();
        if (response.status === 303) {
          method = 'GET';
          body = undefined;
        }
        continue;
      }
      return this.interpret(response, url, schema, attempts);
    }
    throw this.error(url, 'too-many-redirects', `redirected more than ${MAX_REDIRECTS} times`);
  }

  private resolveUrl(path: string, query: QueryParams | undefined): string {
    const url = /^https?:\/\//i.test(path)
      ? new URL(path)
      : new URL(`${this.baseUrl}/${path.replace(/^\/+/, '')}`);
    if (query) {
      for (const [key, value] of encodeParams(query)) url.searchParams.append(key, value);
    }
    return url.toString();
  }

  private headersFor(url: string, extra: Record<string, string> | undefined, body: RequestBody | undefined) {
    const origin = originOf(url);
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': 'reliability-lens',
      ...(origin === this.baseOrigin ? this.options.headers : {}),
      ...extra,
    };
    if (body) headers['Content-Type'] = body.type;
    // Credentials come only from the token, never from configured headers (config.yaml is committed
    // and may be edited by anyone who opens a pull request).
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'authorization') delete headers[name];
    }
    if (this.options.token && this.tokenOrigin !== null && origin === this.tokenOrigin) {
      headers.Authorization = authorizationHeader(this.options.token);
    }
    return headers;
  }

  private async sendWithRetries(
    url: string,
    method: HttpMethod,
    body: RequestBody | undefined,
    extraHeaders: Record<string, string> | undefined,
  ): Promise<{ response: AxiosResponse<unknown>; attempts: number }> {
    const host = new URL(url).host;
    for (let attempt = 0; ; attempt++) {
      let response: AxiosResponse<unknown>;
      try {
        response = await this.limiter.run(host, () => this.sendOnce(url, method, body, extraHeaders));
      } catch (error) {
        if (error instanceof TransientNetworkError && attempt < this.retries) {
          await this.pause(url, backoffDelayMs(attempt, this.retryBaseDelayMs, MAX_BACKOFF_MS));
          continue;
        }
        if (error instanceof TransientNetworkError) throw error.sourceError;
        throw error;
      }
      if (response.status === 429 || response.status === 503) this.load.throttled++;
      if (!isRetryableResponse(response) || attempt >= this.retries) return { response, attempts: attempt + 1 };
      const asked = parseRetryAfter(headerValue(response, 'retry-after'), Date.now()) ?? rateLimitResetDelay(response);
      if (asked !== null && asked > this.maxRetryAfterMs) return { response, attempts: attempt + 1 };
      await this.pause(url, asked ?? backoffDelayMs(attempt, this.retryBaseDelayMs, MAX_BACKOFF_MS));
    }
  }

  private async pause(url: string, ms: number): Promise<void> {
    try {
      await sleep(ms, this.options.signal);
    } catch {
      throw this.error(url, 'cancelled', 'did not answer before the request was cancelled');
    }
  }

  private async sendOnce(
    url: string,
    method: HttpMethod,
    body: RequestBody | undefined,
    extraHeaders: Record<string, string> | undefined,
  ): Promise<AxiosResponse<unknown>> {
    if (this.options.signal?.aborted) throw this.error(url, 'cancelled', 'did not answer before the request was cancelled');
    const deadline = new AbortController();
    let timedOut = false;
    // Our own deadline rather than axios' `timeout`: that one is a socket idle timer, which a
    // server trickling bytes never trips.
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort();
    }, this.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([deadline.signal, this.options.signal]) : deadline.signal;
    this.load.requests++;
    const sentAt = Date.now();
    try {
      return await this.axios.request<unknown>({
        url,
        method,
        data: body?.text,
        headers: this.headersFor(url, extraHeaders, body),
        signal,
        responseType: 'text',
        // Keep the raw text: we tell HTML from JSON and report malformed JSON ourselves.
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
        maxRedirects: 0,
        // Counted by axios as the body streams in, decompressed, with or without a Content-Length;
        // past it the connection is dropped rather than the rest buffered.
        maxContentLength: this.maxResponseBytes,
        httpsAgent: this.httpsAgent,
        // Proxies configured through environment variables still apply through axios' defaults.
      });
    } catch (error) {
      if (this.options.signal?.aborted) throw this.error(url, 'cancelled', 'did not answer before the request was cancelled');
      if (timedOut) {
        throw this.error(url, 'timeout', `timed out after ${formatSeconds(this.timeoutMs)}`);
      }
      if (isTooLarge(error)) {
        throw this.error(url, 'too-large', `answered with more than ${formatBytes(this.maxResponseBytes)}; refusing to read it`);
      }
      const code = errorCode(error);
      const sourceError = this.networkError(url, code);
      if (code && TRANSIENT_NETWORK_CODES.has(code)) throw new TransientNetworkError(sourceError);
      throw sourceError;
    } finally {
      clearTimeout(timer);
      this.load.slowestMs = Math.max(this.load.slowestMs, Date.now() - sentAt);
    }
  }

  private networkError(url: string, code: string | undefined): SourceError {
    switch (code) {
      case 'ECONNREFUSED':
        return this.error(url, 'unreachable', 'refused the connection (is it running, and is the port right?)');
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return this.error(url, 'unreachable', 'could not be found (DNS lookup failed)');
      case 'ECONNRESET':
      case 'EPIPE':
      case 'ECONNABORTED':
        return this.error(url, 'unreachable', 'dropped the connection');
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return this.error(url, 'unreachable', 'is unreachable from this network');
      case 'CERT_HAS_EXPIRED':
      case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      case 'SELF_SIGNED_CERT_IN_CHAIN':
      case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      case 'ERR_TLS_CERT_ALTNAME_INVALID':
        return this.error(url, 'tls', `presented a TLS certificate that is not trusted (${code})`);
      default:
        return this.error(url, 'unreachable', code ? `could not be reached (${code})` : 'could not be reached');
    }
  }

  private interpret<T>(response: AxiosResponse<unknown>, url: string, schema: z.ZodType<T>, attempts: number): HttpResponse<T> {
    const text = bodyText(response.data);
    const status = response.status;
    const looksHtml = isHtml(text, headerValue(response, 'content-type'));
    if (status < 200 || status >= 300) throw this.statusError(url, response, text, looksHtml, attempts);
    if (looksHtml) {
      throw this.error(url, 'html-instead-of-json', 'answered with an HTML page instead of JSON (a proxy error page?)', status);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.error(url, 'malformed-json', 'answered with malformed JSON', status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      throw this.error(
        url,
        'unexpected-shape',
        `answered in an unexpected shape (${where}${issue?.message ?? 'invalid'})`,
        status,
      );
    }
    return { data: parsed.data, status, headers: flatHeaders(response), url };
  }

  private statusError(
    url: string,
    response: AxiosResponse<unknown>,
    text: string,
    looksHtml: boolean,
    attempts: number,
  ): SourceError {
    const status = response.status;
    const detail = looksHtml ? '' : errorDetail(text);
    const withDetail = (words: string) => (detail ? `${words}: ${detail}` : words);
    const tokenSent = this.options.token !== undefined && originOf(url) === this.tokenOrigin;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    if (status === 401) {
      return tokenSent
        ? this.error(url, 'unauthorized', 'rejected the token (401)', status)
        : this.error(url, 'unauthorized', 'requires a token (401)', status);
    }
    if (isRateLimited(response)) {
      const asked = parseRetryAfter(headerValue(response, 'retry-after'), Date.now()) ?? rateLimitResetDelay(response);
      const wait = asked !== null ? `; it asks to wait ${formatSeconds(asked)}` : '';
      return this.error(url, 'rate-limited', `is rate-limiting requests (${status})${tries}${wait}`, status);
    }
    if (status === 403) {
      return this.error(url, 'forbidden', withDetail('refused access (403): the token lacks a permission'), status);
    }
    if (status === 404) {
      return this.error(url, 'not-found', `has nothing at ${new URL(url).pathname} (404); check the URL and names in config.yaml`, status);
    }
    if (status >= 500) {
      const page = looksHtml ? ' with an HTML page (a proxy error page?)' : '';
      return this.error(url, 'server-error', withDetail(`answered ${status}${page}${tries}`), status);
    }
    if (status >= 300 && status < 400) {
      return this.error(url, 'bad-request', `answered a redirect (${status}) without a Location`, status);
    }
    return this.error(url, 'bad-request', withDetail(`rejected the request (${status})`), status);
  }

  private error(url: string, reason: SourceErrorReason, words: string, status?: number): SourceError {
    let host = this.host;
    try {
      host = new URL(url).host;
    } catch {
      // keep the base host
    }
    const message = redactSecrets(`${this.sourceName} at ${host} ${words}`, [this.options.token?.value]);
    return new SourceError(this.sourceName, host, reason, message, status);
  }
}

/** Carries a network failure that deserves another try, to the retry loop. */
class TransientNetworkError extends Error {
  constructor(readonly sourceError: SourceError) {
    super(sourceError.message);
  }
}

function encodeParams(params: QueryParams): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
    else search.append(key, String(value));
  }
  return search;
}

function headerValue(response: AxiosResponse<unknown>, name: string): string | undefined {
  const value: unknown = (response.headers as Record<string, unknown>)[name];
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.join(', ') : String(value);
}

function flatHeaders(response: AxiosResponse<unknown>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}

function bodyText(data: unknown): string {
  if (typeof data === 'string') return data;
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (data === undefined || data === null) return '';
  return JSON.stringify(data);
}

function isHtml(text: string, contentType: string | undefined): boolean {
  if (contentType && /text\/html/i.test(contentType)) return true;
  return /^\s*</.test(text);
}

/** GitHub signals exhausted quota with 403 plus `x-ratelimit-remaining: 0` or a `Retry-After`. */
function isRateLimited(response: AxiosResponse<unknown>): boolean {
  if (response.status === 429) return true;
  if (response.status !== 403) return false;
  return headerValue(response, 'retry-after') !== undefined || headerValue(response, 'x-ratelimit-remaining') === '0';
}

function isRetryableResponse(response: AxiosResponse<unknown>): boolean {
  return isRetryableStatus(response.status) || isRateLimited(response);
}

/** `x-ratelimit-reset` (epoch seconds, GitHub) as a wait, when the quota is spent. */
function rateLimitResetDelay(response: AxiosResponse<unknown>): number | null {
  if (headerValue(response, 'x-ratelimit-remaining') !== '0') return null;
  const reset = Number(headerValue(response, 'x-ratelimit-reset'));
  return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : null;
}

/** A short, single-line reason from a JSON error body, as the providers word it. */
function errorDetail(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return '';
  }
  if (typeof json !== 'object' || json === null) return '';
  const record = json as Record<string, unknown>;
  const nested = typeof record.error === 'object' && record.error !== null ? (record.error as Record<string, unknown>) : null;
  const candidate =
    (typeof record.error === 'string' ? record.error : undefined) ??
    (nested && typeof nested.message === 'string' ? nested.message : undefined) ??
    (typeof record.message === 'string' ? record.message : undefined);
  if (!candidate) return '';
  const oneLine = candidate.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 197)}...` : oneLine;
}

/** axios' own failure when an answer passes `maxContentLength` (its message is the only mark it leaves). */
function isTooLarge(error: unknown): boolean {
  return axios.isAxiosError(error) && error.code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(error.message);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as { code?: unknown; cause?: { code?: unknown } };
  if (typeof record.cause?.code === 'string') return record.cause.code;
  return typeof record.code === 'string' ? record.code : undefined;
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  // Long waits read better whole; short deadlines (tests, tight CI settings) keep a decimal.
  if (seconds >= 10) return `${Math.ceil(seconds)} s`;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}
