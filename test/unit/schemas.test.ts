import { strict as assert } from 'node:assert';
import { parseIsoTime } from '../../src/core/isoTime';
import { percentToRatio } from '../../src/core/schemas/common';
import { defaultWorkspaceConfig, salvageWorkspaceConfig, workspaceConfigSchema } from '../../src/core/schemas/config';
import { incidentSchema } from '../../src/core/schemas/incidents';
import { openSloSloSchema, zonedTimeToEpochMs } from '../../src/core/schemas/openSlo';
import { slothSloSchema } from '../../src/core/schemas/sloth';
import { classifySloDocument } from '../../src/core/schemas/sloDocuments';
import { MAX_GLOB_LENGTH } from '../../src/core/glob';
import { openSloSlo } from './builders/workspaceBuilders';

const HOUR = 3_600_000;

function sloSpecWith(overrides: Record<string, unknown>) {
  const document = openSloSlo({ name: 's', service: 'checkout', indicator: { prometheus: { good: 'g', total: 't' } } }) as {
    spec: Record<string, unknown>;
  };
  return { ...document, spec: { ...document.spec, ...overrides } };
}

describe('schemas', () => {
  describe('parseIsoTime', () => {
    it('reads zones, offsets, fractions and dates; no zone means UTC', () => {
      assert.equal(parseIsoTime('2026-03-01T12:00:00Z'), Date.UTC(2026, 2, 1, 12));
      assert.equal(parseIsoTime('2026-03-01T12:00:00.123456Z'), Date.UTC(2026, 2, 1, 12, 0, 0, 123));
      assert.equal(parseIsoTime('2026-03-01T12:00:00+02:00'), Date.UTC(2026, 2, 1, 10));
      assert.equal(parseIsoTime('2026-03-01T12:00-0130'), Date.UTC(2026, 2, 1, 13, 30));
      assert.equal(parseIsoTime('2026-03-01 12:00:00'), Date.UTC(2026, 2, 1, 12));
      assert.equal(parseIsoTime('2026-03-01'), Date.UTC(2026, 2, 1));
    });

    it('refuses dates that do not exist and other text', () => {
      assert.equal(parseIsoTime('2026-02-29T00:00:00Z'), null);
      assert.equal(parseIsoTime('2026-13-01'), null);
      assert.equal(parseIsoTime('2026-03-01T24:00:00Z'), null);
      assert.equal(parseIsoTime('yesterday'), null);
      assert.equal(parseIsoTime('1772323500'), null);
    });
  });

  describe('zonedTimeToEpochMs', () => {
    it('reads wall-clock time in the named zone, across daylight saving time', () => {
      assert.equal(zonedTimeToEpochMs('2026-01-05 00:00:00', 'Europe/Paris'), Date.UTC(2026, 0, 4, 23));
      assert.equal(zonedTimeToEpochMs('2026-07-01 00:00:00', 'Europe/Paris'), Date.UTC(2026, 5, 30, 22));
      assert.equal(zonedTimeToEpochMs('2026-07-01T00:00:00', 'America/New_York'), Date.UTC(2026, 6, 1, 4));
      assert.equal(zonedTimeToEpochMs('2026-07-01T00:00:00Z', 'America/New_York'), Date.UTC(2026, 6, 1));
      assert.equal(zonedTimeToEpochMs('2026-07-01 00:00:00', 'Not/AZone'), null);
    });
  });

  describe('config', () => {
    it('fills every default from version: 1 alone', () => {
      assert.deepEqual(defaultWorkspaceConfig(), {
        version: 1,
        services: [],
        deployments: { source: 'git-tags', tagPattern: 'v*' },
        incidents: { sources: [{ type: 'file', options: {} }] },
        slis: { source: 'file' },
        policy: { cautionBelow: 0.25, freezeSeverity: 'SEV2' },
        recentDays: 30,
      });
    });

    it('rejects duplicate service names at the second one', () => {
      const result = workspaceConfigSchema.safeParse({
        version: 1,
        services: [
          { name: 'a', paths: ['a/**'] },
          { name: 'a', paths: ['b/**'] },
        ],
      });
      assert.equal(result.success, false);
      assert.deepEqual(
        result.error?.issues.map((issue) => [issue.path, issue.message]),
        [[['services', 1, 'name'], 'a service name used only once']],
      );
    });

    it(`refuses a path glob or tag pattern longer than ${MAX_GLOB_LENGTH} characters, at its place`, () => {
      const longest = 'a'.repeat(MAX_GLOB_LENGTH);
      const tooLong = `${longest}*`;
      const accepted = workspaceConfigSchema.safeParse({
        version: 1,
        services: [{ name: 'a', paths: [longest], tagPattern: longest }],
        deployments: { tagPattern: longest },
      });
      assert.equal(accepted.success, true);
      const refused = workspaceConfigSchema.safeParse({
        version: 1,
        services: [{ name: 'a', paths: ['a/**', tooLong], tagPattern: tooLong }],
        deployments: { tagPattern: tooLong },
      });
      assert.deepEqual(
        refused.error?.issues.map((issue) => [issue.path, issue.message]),
        [
          [['services', 0, 'paths', 1], 'a glob of at most 1000 characters'],
          [['services', 0, 'tagPattern'], 'a glob of at most 1000 characters'],
          [['deployments', 'tagPattern'], 'a glob of at most 1000 characters'],
        ],
      );
    });

    it('salvages the valid sections of an invalid config', () => {
      const { config, defaulted } = salvageWorkspaceConfig({
        version: 1,
        services: [{ name: 'checkout', paths: ['services/**'] }],
        slis: { source: 'prometheus' },
        recentDays: -1,
      });
      assert.deepEqual(defaulted, ['slis', 'recentDays']);
      assert.deepEqual(config.services, [{ name: 'checkout', paths: ['services/**'] }]);
      assert.deepEqual(config.slis, { source: 'file' });
      assert.equal(config.recentDays, 30);
    });
  });

  describe('OpenSLO SLO', () => {
    it('turns targetPercent into the exact ratio', () => {
      assert.equal(percentToRatio(99.9), 0.999);
      assert.equal(percentToRatio(99.95), 0.9995);
      const parsed = openSloSloSchema.parse(sloSpecWith({ objectives: [{ targetPercent: 99.9 }] }));
      assert.deepEqual(parsed.spec.objectives, [
        {
          displayName: undefined,
          objective: 0.999,
          timeSliceTarget: undefined,
          sliceMs: undefined,
          indicator: undefined,
          indicatorRef: undefined,
          compositeWeight: undefined,
          op: undefined,
          value: undefined,
        },
      ]);
    });

    it('maps rolling and calendar windows, with OpenSLO years written as Y', () => {
      const rolling = openSloSloSchema.parse(sloSpecWith({ timeWindow: [{ duration: '7d', isRolling: true }] }));
      assert.deepEqual(rolling.spec.timeWindow, [{ kind: 'rolling', label: '7d', durationMs: 168 * HOUR }]);
      const yearly = openSloSloSchema.parse(
        sloSpecWith({ timeWindow: [{ duration: '1Y', isRolling: false, calendar: { startTime: '2026-01-01 00:00:00', timeZone: 'Asia/Tokyo' } }] }),
      );
      assert.deepEqual(yearly.spec.timeWindow, [
        { kind: 'calendar', label: '1Y', unit: 'y', count: 1, startTime: Date.UTC(2025, 11, 31, 15), timeZone: 'Asia/Tokyo' },
      ]);
      const quarterly = openSloSloSchema.parse(sloSpecWith({ timeWindow: [{ duration: '1Q', calendar: { startTime: '2026-01-01T00:00:00Z' } }] }));
      assert.deepEqual(quarterly.spec.timeWindow, [
        { kind: 'calendar', label: '1Q', unit: 'Q', count: 1, startTime: Date.UTC(2026, 0, 1), timeZone: 'UTC' },
      ]);
    });

    it('reads timeslice settings, the window as a duration or as seconds', () => {
      const parsed = openSloSloSchema.parse(
        sloSpecWith({
          budgetingMethod: 'Timeslices',
          objectives: [
            { target: 0.99, timeSliceTarget: 0.95, timeSliceWindow: '2m' },
            { target: 0.9, timeSliceTarget: 1, timeSliceWindow: 30 },
          ],
        }),
      );
      assert.deepEqual(
        parsed.spec.objectives.map((objective) => [objective.objective, objective.timeSliceTarget, objective.sliceMs]),
        [
          [0.99, 0.95, 120_000],
          [0.9, 1, 30_000],
        ],
      );
    });

    it('refuses a target outside (0, 1) and both target and targetPercent', () => {
      const outside = openSloSloSchema.safeParse(sloSpecWith({ objectives: [{ target: 1 }] }));
      assert.deepEqual(outside.error?.issues.map((issue) => [issue.path, issue.message]), [[['spec', 'objectives', 0, 'target'], 'a number between 0 and 1']]);
      const both = openSloSloSchema.safeParse(sloSpecWith({ objectives: [{ target: 0.9, targetPercent: 90 }] }));
      assert.deepEqual(both.error?.issues.map((issue) => [issue.path, issue.message]), [[['spec', 'objectives', 0], 'either target or targetPercent, not both']]);
    });
  });

  describe('Sloth SLO', () => {
    it('accepts events SLIs and alerting, and refuses objectives that are not percentages', () => {
      const slo = {
        name: 'requests-availability',
        objective: 99.9,
        sli: { events: { error_query: 'sum(rate(errors[{{.window}}]))', total_query: 'sum(rate(all[{{.window}}]))' } },
        alerting: { name: 'Availability', page_alert: { labels: { severity: 'page' } }, ticket_alert: { disable: true } },
      };
      assert.equal(slothSloSchema.safeParse(slo).success, true);
      const tooHigh = slothSloSchema.safeParse({ ...slo, objective: 100 });
      assert.deepEqual(tooHigh.error?.issues.map((issue) => issue.message), ['a percentage between 0 and 100, such as 99.9']);
    });
  });

  describe('classifySloDocument', () => {
    it('tells OpenSLO kinds, Sloth specs, ignored kinds and unknown documents apart', () => {
      assert.deepEqual(classifySloDocument({ apiVersion: 'openslo/v1', kind: 'SLO' }), { kind: 'SLO' });
      assert.deepEqual(classifySloDocument({ apiVersion: 'openslo/v1', kind: 'DataSource' }), { kind: 'DataSource' });
      assert.deepEqual(classifySloDocument({ version: 'prometheus/v1' }), { kind: 'sloth' });
      assert.deepEqual(classifySloDocument({ apiVersion: 'openslo/v1', kind: 'AlertPolicy' }), { kind: 'AlertPolicy' });
      assert.deepEqual(classifySloDocument({ apiVersion: 'openslo/v1', kind: 'AlertCondition' }), { kind: 'AlertCondition' });
      assert.deepEqual(classifySloDocument({ apiVersion: 'openslo/v1', kind: 'AlertNotificationTarget' }), { ignoredKind: 'AlertNotificationTarget' });
      assert.deepEqual(classifySloDocument({ apiVersion: 'openslo/v1', kind: 'Slo' }), { path: ['kind'], expected: 'one of Service, SLO, SLI, DataSource, AlertPolicy, AlertCondition' });
      assert.deepEqual(classifySloDocument({ apiVersion: 'openslo/v1alpha', kind: 'SLO' }), { kind: 'v1alpha SLO' });
      assert.deepEqual(classifySloDocument({ apiVersion: 'sloth.slok.dev/v1', kind: 'PrometheusServiceLevel' }), { kind: 'sloth kubernetes' });
      assert.deepEqual(classifySloDocument({ apiVersion: 'openslo/v1alpha', kind: 'SLI' }), { path: ['kind'], expected: 'one of Service, SLO (openslo/v1alpha)' });
      assert.deepEqual(classifySloDocument({ version: 'prometheus/v2' }), { path: ['version'], expected: '"prometheus/v1" (a Sloth spec)' });
      assert.deepEqual(classifySloDocument(['a list']), {
        path: [],
        expected: 'an OpenSLO document (apiVersion: openslo/v1 or openslo/v1alpha) or a Sloth spec (version: prometheus/v1, or apiVersion: sloth.slok.dev/v1)',
      });
    });
  });

  describe('incident', () => {
    it('maps an incident to the model, times in epoch ms and SHAs in lower case', () => {
      assert.deepEqual(
        incidentSchema.parse({
          id: 'INC-9',
          title: 'Queue stuck',
          severity: 'SEV3',
          service: 'worker',
          startedAt: '2026-03-01T10:00:00Z',
          resolvedAt: null,
          commits: ['ABCDEF0123'],
        }),
        { id: 'INC-9', title: 'Queue stuck', severity: 'SEV3', service: 'worker', startedAt: Date.UTC(2026, 2, 1, 10), resolvedAt: null, commits: ['abcdef0123'], files: [], source: 'file' },
      );
    });
  });
});
