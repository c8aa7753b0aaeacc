// Alertmanager as an incident source against a REAL Alertmanager (Debian package
// `prometheus-alertmanager`), started here with a temporary config and storage; the test POSTs the
// alerts and a silence through Alertmanager's own API, as Prometheus and amtool would.
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fetchAlertmanagerIncidents, alertmanagerOptions, checkAlertmanager, severityFromAlertLabel } from '../../../src/sources/alertmanager';
import { createHttpClient } from '../../../src/sources/http/httpClient';
import { validRecords } from './support/validRecords';
import type { Incident } from '../../../src/core/model';
import { freePort, requireBinary, startAndWaitReady, temporaryDirectory } from './support/realServers';
import type { RunningProcess } from './support/realServers';

const CONFIG = `
route:
  receiver: nowhere
  group_wait: 1s
inhibit_rules:
  - source_matchers: [alertname="ClusterDown"]
    target_matchers: [alertname="CheckoutLatency"]
    equal: [cluster]
receivers:
  - name: nowhere
`;

describe('Alertmanager source against a real Alertmanager', function () {
  this.timeout(60_000);
  let server: RunningProcess | undefined;
  let directory: ReturnType<typeof temporaryDirectory> | undefined;
  let baseUrl = '';
  const startedAt = new Date(Date.now() - 10 * 60_000);

  async function post(path: string, body: unknown): Promise<void> {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.ok(response.ok, `POST ${path}: ${response.status} ${await response.text()}`);
  }

  function alert(labels: Record<string, string>, extra: { summary?: string; endsAt?: Date } = {}) {
    return {
      labels,
      annotations: extra.summary ? { summary: extra.summary } : {},
      startsAt: startedAt.toISOString(),
      ...(extra.endsAt ? { endsAt: extra.endsAt.toISOString() } : {}),
      generatorURL: 'http://prometheus.example/graph?g0.expr=up',
    };
  }

  before(async () => {
    const binary = requireBinary('/usr/bin/prometheus-alertmanager', 'prometheus-alertmanager');
    directory = temporaryDirectory('reliability-lens-alertmanager-');
    const config = join(directory.path, 'alertmanager.yml');
    writeFileSync(config, CONFIG);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = await startAndWaitReady(
      binary,
      [
        `--config.file=${config}`,
        `--storage.path=${join(directory.path, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // No gossip: an empty address turns clustering off instead of binding 0.0.0.0:9094.
        '--cluster.listen-address=',
      ],
      `${baseUrl}/-/ready`,
    );
    await post('/api/v2/alerts', [
      alert({ alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' }, { summary: 'Checkout returns 5xx' }),
      alert({ alertname: 'SearchSlow', service: 'search', severity: 'warning' }),
      alert({ alertname: 'Unlabelled' }),
      alert({ alertname: 'Silenced', service: 'checkout', severity: 'critical' }),
      alert({ alertname: 'ClusterDown', service: 'platform', severity: 'page', cluster: 'eu-1' }),
      alert({ alertname: 'CheckoutLatency', service: 'checkout', severity: 'critical', cluster: 'eu-1' }),
      alert({ alertname: 'Recovered', service: 'checkout', severity: 'critical' }, { endsAt: new Date(Date.now() - 60_000) }),
    ]);
    await post('/api/v2/silences', {
      matchers: [{ name: 'alertname', value: 'Silenced', isRegex: false, isEqual: true }],
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      createdBy: 'reliability-lens tests',
      comment: 'known issue',
    });
  });

  after(async () => {
    await server?.stop();
    directory?.remove();
  });

  function client() {
    return createHttpClient({ sourceName: 'Alertmanager', baseUrl });
  }

  /** Alertmanager settles silences and inhibitions asynchronously; wait until the set is stable. */
  async function settledIncidents(expectedCount: number): Promise<Incident[]> {
    const options = alertmanagerOptions({ type: 'alertmanager', url: baseUrl, options: {} });
    const deadline = Date.now() + 10_000;
    let incidents: Incident[] = [];
    while (Date.now() < deadline) {
      incidents = await validRecords(fetchAlertmanagerIncidents(client(), options));
      if (incidents.length === expectedCount) return incidents;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return incidents;
  }

  it('turns firing alerts into open incidents, leaving out silenced, inhibited and resolved ones', async () => {
    const incidents = await settledIncidents(4);
    const byTitle = new Map(incidents.map((incident) => [incident.title, incident]));
    assert.deepEqual([...byTitle.keys()].sort(), ['Checkout returns 5xx', 'ClusterDown', 'SearchSlow', 'Unlabelled']);

    const checkout = byTitle.get('Checkout returns 5xx');
    assert.ok(checkout);
    assert.match(checkout.id, /^AM-[0-9a-f]{16}$/);
    assert.equal(checkout.severity, 'SEV1');
    assert.equal(checkout.service, 'checkout');
    assert.equal(checkout.startedAt, startedAt.getTime());
    assert.equal(checkout.resolvedAt, null);
    assert.equal(checkout.source, 'alertmanager');

    assert.equal(byTitle.get('SearchSlow')?.severity, 'SEV3');
    assert.equal(byTitle.get('ClusterDown')?.severity, 'SEV1');
    assert.equal(byTitle.get('ClusterDown')?.service, 'platform');
    assert.equal(byTitle.get('Unlabelled')?.service, 'unassigned');
    assert.equal(byTitle.get('Unlabelled')?.severity, 'SEV3');
  });

  it('maps services and severities through config.yaml options', async () => {
    const options = alertmanagerOptions({
      type: 'alertmanager',
      url: baseUrl,
      options: { serviceMap: ['search=search-api'], severityMap: ['critical=SEV2'], filter: ['service="search"'] },
    });
    const incidents = await validRecords(fetchAlertmanagerIncidents(client(), options));
    assert.deepEqual(
      incidents.map((incident) => [incident.title, incident.service, incident.severity]),
      [['SearchSlow', 'search-api', 'SEV3']],
    );
    const critical = alertmanagerOptions({ type: 'alertmanager', options: { severityMap: ['critical=SEV2'] } });
    assert.equal(severityFromAlertLabel('critical', critical.severityMap), 'SEV2');
  });

  it('reports its version for the sources command', async () => {
    const { version } = await checkAlertmanager(client());
    assert.match(version, /^\d+\.\d+\.\d+/);
  });

  it('maps the documented severity words', () => {
    const cases: Array<[string | undefined, string]> = [
      ['critical', 'SEV1'],
      ['page', 'SEV1'],
      ['error', 'SEV2'],
      ['warning', 'SEV3'],
      ['ticket', 'SEV3'],
      ['low', 'SEV4'],
      ['info', 'SEV5'],
      ['SEV4', 'SEV4'],
      ['P2', 'SEV2'],
      ['whatever', 'SEV3'],
      [undefined, 'SEV3'],
    ];
    for (const [label, severity] of cases) assert.equal(severityFromAlertLabel(label), severity, String(label));
  });
});
