// A recording proxy between the engine and Prometheus, for the load benchmark: it forwards every
// request, asks Prometheus for its own query statistics (`stats=all`, added to the GET query or the
// POST form) and reads `data.stats.samples.totalQueryableSamples` from the answer: the samples the
// query touched, summed over every step of a range query (Prometheus 2.35 and later). The statistics
// are taken out of the answer again, so the engine reads exactly what it would without the proxy.
import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What one request asked and cost. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** PromQL of a query or query_range request. */
  query?: string;
  /** Samples Prometheus touched to answer it (0 for other endpoints). */
  samples: number;
}

export interface PrometheusLoad {
  requests: number;
  samples: number;
  log: RecordedRequest[];
}

export interface RecordingProxy {
  /** `http://127.0.0.1:PORT`: the URL the workspace's config.yaml names. */
  baseUrl: string;
  /** What was asked since the last call, and starts counting again. */
  take(): PrometheusLoad;
  close(): Promise<void>;
}

const QUERY_PATHS = new Set(['/api/v1/query', '/api/v1/query_range']);

interface StatsAnswer {
  data?: { stats?: { samples?: { totalQueryableSamples?: unknown } } };
}

export async function startRecordingProxy(upstreamBaseUrl: string): Promise<RecordingProxy> {
  const upstream = new URL(upstreamBaseUrl);
  let log: RecordedRequest[] = [];
  let failure: Error | null = null;

  const forward = async (incoming: IncomingMessage, outgoing: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', upstreamBaseUrl);
    let body = await readAll(incoming);
    const counted = QUERY_PATHS.has(url.pathname);
    let query = url.searchParams.get('query') ?? undefined;
    if (counted) {
      const contentType = incoming.headers['content-type'] ?? '';
      if (incoming.method === 'POST' && contentType.startsWith('application/x-www-form-urlencoded')) {
        const form = new URLSearchParams(body.toString('utf8'));
        query ??= form.get('query') ?? undefined;
        form.set('stats', 'all');
        body = Buffer.from(form.toString(), 'utf8');
      } else {
        url.searchParams.set('stats', 'all');
      }
    }
    // Uncompressed, so the statistics can be read and removed.
    const headers = { ...incoming.headers, host: upstream.host, 'accept-encoding': 'identity', 'content-length': String(body.length) };
    const answer = await send(url, incoming.method ?? 'GET', headers, body);
    let answerBody = answer.body;
    let samples = 0;
    if (counted && answer.status === 200) {
      const parsed = JSON.parse(answer.body.toString('utf8')) as StatsAnswer;
      const touched = parsed.data?.stats?.samples?.totalQueryableSamples;
      if (typeof touched !== 'number') throw new Error(`Prometheus answered ${url.pathname} without data.stats.samples.totalQueryableSamples`);
      samples = touched;
      delete parsed.data?.stats;
      answerBody = Buffer.from(JSON.stringify(parsed), 'utf8');
    }
    log.push({ method: incoming.method ?? 'GET', path: url.pathname, query, samples });
    const responseHeaders: Record<string, string | string[] | undefined> = { ...answer.headers, 'content-length': String(answerBody.length) };
    delete responseHeaders['transfer-encoding'];
    outgoing.writeHead(answer.status, responseHeaders);
    outgoing.end(answerBody);
  };

  const server: Server = createServer((incoming, outgoing) => {
    forward(incoming, outgoing).catch((error: unknown) => {
      // A request the proxy could not measure makes the whole measurement worthless: remembered and thrown by take().
      failure ??= error instanceof Error ? error : new Error(String(error));
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    take: () => {
      if (failure) throw failure;
      const taken = log;
      log = [];
      return { requests: taken.length, samples: taken.reduce((sum, entry) => sum + entry.samples, 0), log: taken };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function send(url: URL, method: string, headers: Record<string, string | string[] | undefined>, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers }, (answer) => {
      readAll(answer).then((answerBody) => resolve({ status: answer.statusCode ?? 502, headers: { ...answer.headers }, body: answerBody }), reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
