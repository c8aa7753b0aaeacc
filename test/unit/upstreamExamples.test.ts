// The example specs Sloth and OpenSLO ship in their own repositories (copies in
// test/fixtures/upstream-examples/, each naming its source) are what users copy first: every SLO such
// a file defines must appear, with no error. One whose data source we cannot read (a Sloth SLI
// plugin) appears too, its indicator saying why there is no data.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinitions } from '../../src/workspace/definitions';
import { buildWorkspace, removeTemporaryFolders } from './builders/workspaceBuilders';

const EXAMPLES = join(__dirname, '../fixtures/upstream-examples');

async function load(example: string) {
  const text = readFileSync(join(EXAMPLES, example), 'utf8');
  const name = example.split('/').pop() as string;
  return loadDefinitions(buildWorkspace({ slos: { [name]: text } }));
}

describe('upstream example specs', () => {
  after(removeTemporaryFolders);

  const expectations: Array<{ example: string; slos: Array<[service: string, name: string, objective: number, indicator: string]> }> = [
    { example: 'sloth/getting-started.yml', slos: [['myservice', 'requests-availability', 0.999, 'sloth']] },
    { example: 'sloth/multifile.yml', slos: [['myservice', 'requests-availability', 0.999, 'sloth'], ['myservice2', 'requests-availability', 0.9999, 'sloth']] },
    {
      example: 'sloth/k8s-home-wifi.yml',
      slos: [['home-wifi', 'good-wifi-client-satisfaction', 0.95, 'sloth'], ['home-wifi', 'risk-wifi-client-satisfaction', 0.999, 'sloth']],
    },
    { example: 'sloth/raw-home-wifi.yml', slos: [['home-wifi', 'wifi-client-satisfaction', 0.95, 'sloth-raw']] },
    { example: 'sloth/plugin-getting-started.yml', slos: [['myservice', 'requests-availability', 0.999, 'unsupported']] },
    { example: 'sloth/openslo-getting-started.yml', slos: [['my-service', 'sloth-slo-my-service', 0.999, 'sloth']] },
    { example: 'openslo/v1-slos.yaml', slos: [['web', 'web-availability', 0.995, 'prometheus']] },
  ];

  for (const { example, slos } of expectations) {
    it(`loads every SLO of ${example}, with no error`, async () => {
      const loaded = await load(example);
      assert.deepEqual(loaded.problems.filter((problem) => problem.severity === 'error'), []);
      assert.deepEqual(
        loaded.slos.map((slo) => [slo.service, slo.name, slo.objective, slo.indicator.type]),
        slos,
      );
    });
  }

  it('reads the OpenSLO v1alpha example as the v1 SLO it means: 30 rolling days, Sloth-style window queries', async () => {
    const [slo] = (await load('sloth/openslo-getting-started.yml')).slos;
    const good = 'sum(rate(http_request_duration_seconds_count{job="myservice",code!~"(5..|429)"}[{{.window}}]))';
    const total = 'sum(rate(http_request_duration_seconds_count{job="myservice"}[{{.window}}]))';
    assert.deepEqual(
      { window: slo.window, budgeting: slo.budgeting, indicator: slo.indicator, displayName: slo.displayName, description: slo.description },
      {
        window: { kind: 'rolling', label: '30d', durationMs: 30 * 86_400_000 },
        budgeting: { method: 'Occurrences' },
        // Bad events are total minus good, each evaluated with {{.window}} = the window.
        indicator: { type: 'sloth', errorQuery: `(${total}) - (${good})`, totalQuery: total },
        displayName: 'Requests Availability',
        description: 'Common SLO based on availability for HTTP request responses.',
      },
    );
  });

  it('reads the OpenSLO v1 list of objects: a calendar week in New York, Timeslices of 1 minute', async () => {
    const [slo] = (await load('openslo/v1-slos.yaml')).slos;
    assert.deepEqual(slo.window, {
      kind: 'calendar',
      label: '1w',
      unit: 'w',
      count: 1,
      // 2022-01-01 12:00:00 in New York (EST, UTC-5) is 17:00 UTC.
      startTime: Date.UTC(2022, 0, 1, 17),
      timeZone: 'America/New_York',
    });
    assert.deepEqual(slo.budgeting, { method: 'Timeslices', sliceMs: 60_000, sliceTarget: 0.95 });
    assert.equal(slo.line, 2);
  });
});
