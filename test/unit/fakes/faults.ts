// Failures a fake can be told to produce on its next requests, the ways real APIs and the proxies in
// front of them fail: a status with the provider's error body, a slow answer, broken JSON, an HTML
// error page.
import type { ServerResponse } from 'node:http';
import { delay, sendJson, sendProxyErrorPage } from './fakeServer';
import type { FakeHandler } from './fakeServer';

export type Fault =
  | { kind: 'status'; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: 'slow'; ms: number }
  | { kind: 'malformed-json' }
  | { kind: 'proxy-html'; status: number };

export interface FaultInjector {
  handler: FakeHandler;
  /** Queues faults answered, in order, by the next requests. */
  inject(...faults: Fault[]): void;
  /** Every fault queued so far has been served. */
  pending(): number;
}

export function withFaults(handler: FakeHandler): FaultInjector {
  const queue: Fault[] = [];
  return {
    inject: (...faults) => queue.push(...faults),
    pending: () => queue.length,
    handler: async (request, response) => {
      const fault = queue.shift();
      if (!fault) return handler(request, response);
      await serveFault(fault, response);
      if (fault.kind === 'slow') {
        // A slow answer that still arrives, after the client gave up.
        if (!response.writableEnded) await handler(request, response);
      }
    },
  };
}

async function serveFault(fault: Fault, response: ServerResponse): Promise<void> {
  switch (fault.kind) {
    case 'status':
      sendJson(response, fault.status, fault.body, fault.headers);
      return;
    case 'slow':
      await delay(fault.ms);
      return;
    case 'malformed-json':
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end('{"data": [{"id": ');
      return;
    case 'proxy-html':
      sendProxyErrorPage(response, fault.status);
      return;
  }
}
