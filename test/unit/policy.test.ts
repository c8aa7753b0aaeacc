// The error budget policy of config.yaml (core/policy.ts, issue 10): each key of `policy` with verdicts
// worked out by hand from DOMAIN.md sections 2 and 4, per-service overrides, and every exemption source.
import { strict as assert } from 'node:assert';
import { decideMerge } from '../../src/core/mergeCheck';
import type { Commit, Policy, ServicePolicy, SloReport, Verdict } from '../../src/core/model';
import { DEFAULT_CAUTION_ON, defaultFreezeOn, policyOfService, serviceRules } from '../../src/core/policy';
import type { DeploymentImpact } from '../../src/core/deploymentImpact';
import { loadDefinitions } from '../../src/workspace/definitions';
import { DAY, HOUR, NOW, defaultPolicy, incident, sloReport } from './builders/reportBuilders';
import { buildWorkspace, removeTemporaryFolders, yamlLines } from './builders/workspaceBuilders';

const PAGE = { severity: 'page' as const, long: '1h' as const, short: '5m' as const, threshold: 14.4 };
const TICKET = { severity: 'ticket' as const, long: '1d' as const, short: '2h' as const, threshold: 3 };

// SLO reports whose status agrees with their numbers by DOMAIN.md section 2 (cautionBelow 0.25).
const slos = {
  /** remaining 0.5, no alert: healthy. */
  healthy: sloReport({ name: 'availability', service: 'checkout', budget: { remaining: 0.5, consumed: 0.5 } }),
  /** remaining 0.4 and a page alert: critical. */
  critical: sloReport({ name: 'availability', service: 'checkout', status: 'critical', alerts: [PAGE], budget: { remaining: 0.4, consumed: 0.6 } }),
  /** remaining -0.1, no alert firing: exhausted. */
  exhausted: sloReport({ name: 'availability', service: 'checkout', status: 'exhausted', budget: { remaining: -0.1, consumed: 1.1 } }),
  /** remaining 0.6 and a ticket alert: warning. */
  ticket: sloReport({ name: 'availability', service: 'checkout', status: 'warning', alerts: [TICKET], budget: { remaining: 0.6, consumed: 0.4 } }),
  /** remaining 0.15 (< 0.25), no alert: warning. */
  low: sloReport({ name: 'availability', service: 'checkout', status: 'warning', budget: { remaining: 0.15, consumed: 0.85 } }),
  /** remaining 0.05, no alert: warning. */
  veryLow: sloReport({ name: 'availability', service: 'checkout', status: 'warning', budget: { remaining: 0.05, consumed: 0.95 } }),
  /** no events: no-data (its budget reads 1). */
  noData: sloReport({ name: 'availability', service: 'checkout', status: 'no-data', sli: null, good: 0, total: 0, budget: { remaining: 1, consumed: 0 } }),
};

const feature: Commit = { sha: 'a'.repeat(40), time: NOW - HOUR, parents: [], subject: 'Add a faster cart', body: '' };

function suspect(service: string): DeploymentImpact {
  return {
    deployment: 'v2.0.0',
    service,
    time: NOW - DAY,
    afterEnd: NOW - DAY + 6 * HOUR,
    impact: [{ slo: 'availability', before: 0.5, after1h: 9, after: 6, budgetSpent: 0.04, verdict: 'degraded' }],
    verdict: 'degraded',
    incidents: [],
    suspect: true,
  };
}

type Input = Parameters<typeof decideMerge>[0];

function check(policy: Partial<Policy>, overrides: Partial<Input> = {}) {
  return decideMerge({ services: ['checkout'], sloReports: [], incidents: [], commits: [feature], policy: { ...defaultPolicy, ...policy }, now: NOW, ...overrides });
}

interface Case {
  name: string;
  policy: Partial<Policy>;
  input: Partial<Input>;
  verdict: Verdict;
  /** A reason the verdict must list, exactly. */
  reason?: string;
}

const sev = (severity: 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4' | 'SEV5') => incident({ id: 'INC-1', service: 'checkout', severity, startedAt: NOW - 2 * HOUR });
const failingSource = { name: 'pagerduty', state: 'failing' as const, message: 'HTTP 500' };

const CASES: Case[] = [
  // freezeOn: exhausted, page, ticket, warning, budgetBelow.
  { name: 'freezeOn [exhausted]: an exhausted SLO freezes', policy: { freezeOn: ['exhausted'] }, input: { sloReports: [slos.exhausted] }, verdict: 'freeze' },
  // A critical SLO meets `page`, not in freezeOn; the default cautionOn's `warning` is not met either: go, its status listed.
  { name: 'freezeOn [exhausted]: a critical SLO is go', policy: { freezeOn: ['exhausted'] }, input: { sloReports: [slos.critical] }, verdict: 'go', reason: 'SLO availability is critical (budget remaining 40%)' },
  { name: 'freezeOn [page]: a critical SLO freezes', policy: { freezeOn: ['page'] }, input: { sloReports: [slos.critical] }, verdict: 'freeze' },
  { name: 'freezeOn [page]: an exhausted SLO with no page alert is go', policy: { freezeOn: ['page'] }, input: { sloReports: [slos.exhausted] }, verdict: 'go' },
  {
    name: 'freezeOn [ticket]: a ticket alert freezes, with the rule said',
    policy: { freezeOn: ['ticket'] },
    input: { sloReports: [slos.ticket] },
    verdict: 'freeze',
    reason: 'SLO availability (checkout) is warning: SLI 99.95% against 99.9%, budget remaining 60%, burn 1h 0×, 1d 0×; ticket 1d/2h > 3× alert (freezes on a ticket alert)',
  },
  { name: 'freezeOn [warning]: a budget below cautionBelow freezes', policy: { freezeOn: ['warning'] }, input: { sloReports: [slos.low] }, verdict: 'freeze' },
  {
    name: 'freezeOn [{budgetBelow: 0.1}]: 5% left freezes',
    policy: { freezeOn: [{ budgetBelow: 0.1 }] },
    input: { sloReports: [slos.veryLow] },
    verdict: 'freeze',
    reason: 'SLO availability (checkout) is warning: SLI 99.95% against 99.9%, budget remaining 5%, burn 1h 0×, 1d 0× (freezes on budget remaining below 10%)',
  },
  // 15% is not below 10%; it is warning (below cautionBelow 0.25), which the default cautionOn cautions on.
  { name: 'freezeOn [{budgetBelow: 0.1}]: 15% left cautions by default', policy: { freezeOn: [{ budgetBelow: 0.1 }] }, input: { sloReports: [slos.low] }, verdict: 'caution' },
  // An SLO without events has no budget to speak of: budgetBelow 1 does not meet it.
  { name: '{budgetBelow} never meets an SLO without data', policy: { freezeOn: [{ budgetBelow: 1 }] }, input: { sloReports: [slos.noData] }, verdict: 'go' },
  // cautionOn: ticket, budgetBelow.
  {
    name: 'cautionOn [ticket]: a ticket alert cautions, with the rule said',
    policy: { cautionOn: ['ticket'] },
    input: { sloReports: [slos.ticket] },
    verdict: 'caution',
    reason: 'SLO availability (checkout) is warning: SLI 99.95% against 99.9%, budget remaining 60%, burn 1h 0×, 1d 0×; ticket 1d/2h > 3× alert (cautions on a ticket alert)',
  },
  // Warning by its budget alone (15% < 0.25), no ticket alert: cautionOn [ticket] is not met.
  { name: 'cautionOn [ticket]: a low budget without a ticket alert is go', policy: { cautionOn: ['ticket'] }, input: { sloReports: [slos.low] }, verdict: 'go', reason: 'SLO availability is warning (budget remaining 15%)' },
  { name: 'cautionOn [{budgetBelow: 0.7}]: a healthy 50% cautions', policy: { cautionOn: [{ budgetBelow: 0.7 }] }, input: { sloReports: [slos.healthy] }, verdict: 'caution' },
  // openIncident.
  { name: 'freezeOn [{openIncident: SEV3}]: a SEV3 freezes', policy: { freezeOn: [{ openIncident: 'SEV3' }] }, input: { incidents: [sev('SEV3')] }, verdict: 'freeze', reason: 'incident INC-1 (SEV3, checkout) is open for 2h: Incident INC-1 (freezes at SEV3 or worse)' },
  { name: 'freezeOn [{openIncident: SEV3}]: a SEV4 cautions by default', policy: { freezeOn: [{ openIncident: 'SEV3' }] }, input: { incidents: [sev('SEV4')] }, verdict: 'caution', reason: 'incident INC-1 (SEV4, checkout) is open for 2h: Incident INC-1' },
  {
    name: 'cautionOn [{openIncident: SEV3}]: a SEV4 is go, and said',
    policy: { cautionOn: [{ openIncident: 'SEV3' }] },
    input: { incidents: [sev('SEV4')] },
    verdict: 'go',
    reason: 'incident INC-1 (SEV4, checkout) is open for 2h: Incident INC-1 (the policy neither freezes nor cautions on it)',
  },
  { name: 'cautionOn [{openIncident: SEV3}]: a SEV3 cautions, with the rule said', policy: { cautionOn: [{ openIncident: 'SEV3' }] }, input: { incidents: [sev('SEV3')] }, verdict: 'caution', reason: 'incident INC-1 (SEV3, checkout) is open for 2h: Incident INC-1 (cautions at SEV3 or worse)' },
  // freezeSeverity, the shorthand: used only when no freezeOn applies.
  { name: 'freezeSeverity SEV1: a SEV2 cautions', policy: { freezeSeverity: 'SEV1' }, input: { incidents: [sev('SEV2')] }, verdict: 'caution' },
  { name: 'freezeSeverity SEV1: a SEV1 freezes', policy: { freezeSeverity: 'SEV1' }, input: { incidents: [sev('SEV1')] }, verdict: 'freeze', reason: 'incident INC-1 (SEV1, checkout) is open for 2h: Incident INC-1 (freezes at SEV1 or worse)' },
  { name: 'freezeSeverity SEV4 beside freezeOn [exhausted]: not used, a SEV4 cautions', policy: { freezeSeverity: 'SEV4', freezeOn: ['exhausted'] }, input: { incidents: [sev('SEV4')] }, verdict: 'caution' },
  // suspectDeployment.
  { name: 'freezeOn [suspectDeployment]: a suspect of the week freezes', policy: { freezeOn: ['suspectDeployment'] }, input: { deploymentImpacts: [suspect('checkout')] }, verdict: 'freeze' },
  { name: 'cautionOn without suspectDeployment: a suspect is go, and said', policy: { cautionOn: ['warning'] }, input: { deploymentImpacts: [suspect('checkout')] }, verdict: 'go' },
  // sourceFailing: an incident source, an SLO that could not be read, numbers that are not finite.
  {
    name: 'freezeOn [sourceFailing]: a failing incident source freezes',
    policy: { freezeOn: ['sourceFailing'] },
    input: { incidentSources: [failingSource] },
    verdict: 'freeze',
    reason: 'incident source pagerduty is failing, so open incidents there are unknown: HTTP 500 (freezes on a source that failed to answer)',
  },
  {
    name: 'freezeOn [sourceFailing]: an SLO that could not be read freezes',
    policy: { freezeOn: ['sourceFailing'] },
    input: { sloReports: [{ ...slos.noData, error: 'Prometheus refused the connection' }] },
    verdict: 'freeze',
  },
  {
    name: 'cautionOn without sourceFailing: a failing source is go, and said',
    policy: { cautionOn: ['warning'] },
    input: { incidentSources: [failingSource] },
    verdict: 'go',
    reason: 'incident source pagerduty is failing, so open incidents there are unknown: HTTP 500 (the policy neither freezes nor cautions on it)',
  },
  // Empty lists: nothing freezes, nothing cautions, everything is still said.
  { name: 'freezeOn [] and cautionOn []: an exhausted SLO and a SEV1 are go', policy: { freezeOn: [], cautionOn: [] }, input: { sloReports: [slos.exhausted], incidents: [sev('SEV1')] }, verdict: 'go' },
];

describe('error budget policy (config.yaml policy, issue 10)', () => {
  after(removeTemporaryFolders);

  describe('each key, with verdicts worked out by hand', () => {
    for (const entry of CASES) {
      it(entry.name, () => {
        const result = check(entry.policy, entry.input);
        assert.equal(result.verdict, entry.verdict, result.reasons.join('\n'));
        if (entry.reason) assert.ok(result.reasons.includes(entry.reason), `expected reason:\n${entry.reason}\nin:\n${result.reasons.join('\n')}`);
        assert.ok(result.reasons.length > 0);
      });
    }

    it('lists an SLO and an incident the policy ignores in a freeze too, after the freeze reasons', () => {
      const result = check({ freezeOn: [{ openIncident: 'SEV1' }], cautionOn: [] }, { sloReports: [slos.critical], incidents: [sev('SEV1'), { ...sev('SEV4'), id: 'INC-2' }] });
      assert.equal(result.verdict, 'freeze');
      assert.match(result.reasons[0], /^incident INC-1 .*\(freezes at SEV1 or worse\)$/);
      assert.match(result.reasons[1], /^SLO availability \(checkout\) is critical: .*\(the policy neither freezes nor cautions on it\)$/);
      assert.match(result.reasons[2], /^incident INC-2 .*\(the policy neither freezes nor cautions on it\)$/);
    });
  });

  describe('the defaults are DOMAIN.md section 4 as it stands', () => {
    it('freezeOn: exhausted, page and freezeSeverity; cautionOn: warning, any open incident, a suspect deployment, a failing source', () => {
      assert.deepEqual(serviceRules(defaultPolicy), {
        freezeOn: ['exhausted', 'page', { openIncident: 'SEV2' }],
        cautionOn: ['warning', { openIncident: 'SEV5' }, 'suspectDeployment', 'sourceFailing'],
        exemptLabel: 'reliability-exempt',
      });
      assert.deepEqual(defaultFreezeOn('SEV3'), ['exhausted', 'page', { openIncident: 'SEV3' }]);
      assert.deepEqual(DEFAULT_CAUTION_ON, serviceRules(defaultPolicy).cautionOn);
    });

    it('writing the default lists out gives the same verdicts and reasons as leaving them out', () => {
      const written: Partial<Policy> = { freezeOn: defaultFreezeOn('SEV2'), cautionOn: [...DEFAULT_CAUTION_ON] };
      const inputs: Array<Partial<Input>> = [
        { sloReports: [slos.critical, slos.low], incidents: [sev('SEV3')] },
        { sloReports: [slos.exhausted], incidents: [sev('SEV2')], deploymentImpacts: [suspect('checkout')], incidentSources: [failingSource] },
        { sloReports: [slos.healthy] },
      ];
      for (const input of inputs) assert.deepEqual(check(written, input), check({}, input));
    });
  });

  describe('per-service overrides (services[].policy)', () => {
    const overrides = new Map<string, ServicePolicy>([['checkout', { freezeOn: ['exhausted'], cautionOn: [] }]]);
    const searchCritical: SloReport = { ...slos.critical, name: 'search-latency', service: 'search' };

    it("judges each service's findings by its own rules: checkout's critical SLO is go, search's freezes", () => {
      const both = { services: ['checkout', 'search'], servicePolicies: overrides };
      assert.equal(check({}, { ...both, sloReports: [slos.critical] }).verdict, 'go');
      const frozen = check({}, { ...both, sloReports: [slos.critical, searchCritical] });
      assert.equal(frozen.verdict, 'freeze');
      assert.match(frozen.reasons[0], /^SLO search-latency \(search\) is critical/);
      assert.match(frozen.reasons[1], /^SLO availability \(checkout\) is critical: .*the policy neither freezes nor cautions on it/);
    });

    it('a failing incident source is judged by every touched service, the strictest one winning', () => {
      const input = { incidentSources: [failingSource], servicePolicies: overrides };
      assert.equal(check({}, { ...input, services: ['checkout'] }).verdict, 'go');
      assert.equal(check({}, { ...input, services: ['checkout', 'search'] }).verdict, 'caution');
    });

    it('replaces lists whole, and a freezeSeverity beside any freezeOn is not used', () => {
      const global: Policy = { ...defaultPolicy, freezeOn: ['exhausted', { openIncident: 'SEV1' }], exemptLabel: 'hotfix' };
      assert.deepEqual(serviceRules(global, { freezeSeverity: 'SEV3' }).freezeOn, ['exhausted', { openIncident: 'SEV1' }]);
      assert.deepEqual(serviceRules(defaultPolicy, { freezeSeverity: 'SEV3' }).freezeOn, ['exhausted', 'page', { openIncident: 'SEV3' }]);
      assert.deepEqual(serviceRules(global, { freezeOn: ['page'] }).freezeOn, ['page']);
      assert.equal(serviceRules(global, {}).exemptLabel, 'hotfix');
      assert.equal(serviceRules(global, { exemptLabel: false }).exemptLabel, null);
    });

    it("a service's cautionBelow is the one its SLOs' status reads", () => {
      assert.equal(policyOfService(defaultPolicy, { cautionBelow: 0.5 }).cautionBelow, 0.5);
      assert.equal(policyOfService(defaultPolicy, { freezeSeverity: 'SEV1' }).cautionBelow, 0.25);
    });
  });

  describe('exemptions, each listed with its source', () => {
    const frozen = { sloReports: [slos.exhausted] };

    it('the default label reliability-exempt on the pull request', () => {
      const result = check({}, { ...frozen, labels: ['bug', 'reliability-exempt'] });
      assert.equal(result.verdict, 'go');
      assert.equal(result.reasons[0], 'exempt (label reliability-exempt set on the pull request)');
      assert.match(result.reasons[1], /^SLO availability \(checkout\) is exhausted/);
      assert.deepEqual(result.exemptions, [{ source: 'label', reason: 'label reliability-exempt set on the pull request' }]);
      assert.equal(result.exemptFor, undefined);
    });

    it('only the label the policy names, and none when exemptLabel is false', () => {
      assert.equal(check({}, { ...frozen, labels: ['Reliability-Exempt', 'exempt'] }).verdict, 'freeze');
      assert.equal(check({ exemptLabel: 'sre-approved' }, { ...frozen, labels: ['reliability-exempt'] }).verdict, 'freeze');
      assert.equal(check({ exemptLabel: 'sre-approved' }, { ...frozen, labels: ['sre-approved'] }).verdict, 'go');
      assert.equal(check({ exemptLabel: false }, { ...frozen, labels: ['reliability-exempt', 'false'] }).verdict, 'freeze');
    });

    it("every frozen service's own label must be set", () => {
      const services = ['checkout', 'search'];
      const servicePolicies = new Map<string, ServicePolicy>([['search', { exemptLabel: 'search-exempt' }]]);
      const bothFrozen = { services, servicePolicies, sloReports: [slos.exhausted, { ...slos.exhausted, service: 'search' }] };
      assert.equal(check({}, { ...bothFrozen, labels: ['reliability-exempt'] }).verdict, 'freeze');
      const both = check({}, { ...bothFrozen, labels: ['search-exempt', 'reliability-exempt'] });
      assert.equal(both.verdict, 'go');
      assert.equal(both.reasons[0], 'exempt (labels reliability-exempt, search-exempt set on the pull request)');
      // Only checkout frozen: its label alone is enough.
      assert.equal(check({}, { services, servicePolicies, sloReports: [slos.exhausted], labels: ['reliability-exempt'] }).verdict, 'go');
    });

    it('--exempt with its reason, quoted', () => {
      const result = check({}, { ...frozen, exemptReason: 'hotfix for INC-9 approved by SRE' });
      assert.equal(result.verdict, 'go');
      assert.equal(result.reasons[0], 'exempt (--exempt: "hotfix for INC-9 approved by SRE")');
      assert.deepEqual(result.exemptions, [{ source: 'cli', reason: '--exempt: "hotfix for INC-9 approved by SRE"' }]);
    });

    it('fixes of open incidents, with the other sources, each listed', () => {
      const fix: Commit = { ...feature, subject: 'Retry on timeout (INC-1)' };
      const result = check({}, { incidents: [sev('SEV1')], commits: [fix], labels: ['reliability-exempt'], exemptReason: 'approved' });
      assert.equal(result.verdict, 'go');
      assert.deepEqual(result.reasons.slice(0, 3), ['exempt: fixes INC-1', 'exempt (label reliability-exempt set on the pull request)', 'exempt (--exempt: "approved")']);
      assert.deepEqual(result.exemptions?.map((e) => e.source), ['commits', 'label', 'cli']);
      assert.deepEqual(result.exemptFor, ['INC-1']);
    });

    it('exempts a freeze only: a caution stays caution, and a go lists no exemption', () => {
      const caution = check({}, { sloReports: [slos.low], labels: ['reliability-exempt'], exemptReason: 'approved' });
      assert.equal(caution.verdict, 'caution');
      assert.equal(caution.exemptions, undefined);
      assert.equal(check({}, { labels: ['reliability-exempt'] }).exemptions, undefined);
    });
  });

  describe('config.yaml', () => {
    it('reads every key, a bare openIncident meaning any severity, and service overrides', async () => {
      const root = buildWorkspace({
        config: yamlLines(
          'version: 1',
          'services:',
          '  - name: checkout',
          '    paths: ["services/checkout/**"]',
          '    policy:',
          '      freezeOn: [exhausted]',
          '      exemptLabel: false',
          'policy:',
          '  freezeOn: [exhausted, page, {budgetBelow: 0.1}, {openIncident: SEV3}, suspectDeployment, sourceFailing]',
          '  cautionOn: [ticket, warning, openIncident]',
          '  exemptLabel: sre-approved',
        ),
      });
      const { config, problems } = await loadDefinitions(root);
      assert.deepEqual(problems, []);
      assert.deepEqual(config.policy, {
        cautionBelow: 0.25,
        freezeSeverity: 'SEV2',
        freezeOn: ['exhausted', 'page', { budgetBelow: 0.1 }, { openIncident: 'SEV3' }, 'suspectDeployment', 'sourceFailing'],
        cautionOn: ['ticket', 'warning', { openIncident: 'SEV5' }],
        exemptLabel: 'sre-approved',
      });
      assert.deepEqual(config.services[0].policy, { freezeOn: ['exhausted'], exemptLabel: false });
    });

    it('warns at an unknown key, naming file and key, and keeps the rest of the config', async () => {
      const root = buildWorkspace({
        config: yamlLines(
          'version: 1',
          'services:',
          '  - name: checkout',
          '    paths: ["services/checkout/**"]',
          '    policy:',
          '      maintenance: []',
          'policy:',
          '  freezeOn: [page]',
          '  exemptLabels: [a]',
        ),
      });
      const { config, problems } = await loadDefinitions(root);
      assert.deepEqual(
        problems.map((p) => [p.file, p.line, p.severity, p.message]),
        [
          ['.reliability/config.yaml', 6, 'warning', 'unknown key "maintenance" in services[0].policy (ignored); expected one of the keys cautionBelow, freezeSeverity, freezeOn, cautionOn, exemptLabel'],
          ['.reliability/config.yaml', 9, 'warning', 'unknown key "exemptLabels" in policy (ignored); expected one of the keys cautionBelow, freezeSeverity, maintenance, freezeOn, cautionOn, exemptLabel'],
        ],
      );
      assert.deepEqual(config.policy.freezeOn, ['page']);
      assert.deepEqual(config.services.map((s) => s.name), ['checkout']);
    });

    it('says which item of a list is wrong and what it may be', async () => {
      const root = buildWorkspace({ config: yamlLines('version: 1', 'policy:', '  freezeOn: [exhausted, pages, {budgetBelow: 2}]') });
      const { problems } = await loadDefinitions(root);
      const errors = problems.filter((p) => p.severity === 'error').map((p) => [p.line, p.message]);
      assert.equal(errors.length, 2, JSON.stringify(problems));
      assert.match(errors[0][1] as string, /^policy\.freezeOn\[1\]: expected one of exhausted, page, ticket, warning, suspectDeployment, sourceFailing, openIncident, \{budgetBelow: 0\.1\} or \{openIncident: SEV2\}/);
      assert.match(errors[1][1] as string, /^policy\.freezeOn\[2\]: expected budgetBelow: a number from 0 to 1/);
    });

    it("a wrong item in one service's policy drops that policy only, never the services", async () => {
      const root = buildWorkspace({
        config: yamlLines(
          'version: 1',
          'services:',
          '  - name: checkout',
          '    paths: ["services/checkout/**"]',
          '    policy: { freezeOn: [pages] }',
          '  - name: search',
          '    paths: ["services/search/**"]',
          '    policy: { cautionOn: [ticket] }',
        ),
      });
      const { config, problems } = await loadDefinitions(root);
      assert.deepEqual(config.services, [
        { name: 'checkout', paths: ['services/checkout/**'] },
        { name: 'search', paths: ['services/search/**'] },
      ]);
      assert.deepEqual(
        problems.map((p) => [p.line, p.severity, p.message.replace(/,.*openIncident: SEV2\}/, '…')]),
        [
          [1, 'warning', 'config.yaml has errors; these sections use their defaults: services[].policy'],
          [5, 'error', 'services[0].policy.freezeOn[0]: expected one of exhausted…, got "pages"'],
        ],
      );
    });

    it('warns that freezeSeverity is not used beside a freezeOn, saying what to write', async () => {
      const root = buildWorkspace({
        config: yamlLines(
          'version: 1',
          'services:',
          '  - name: checkout',
          '    paths: ["services/checkout/**"]',
          '    policy: { freezeSeverity: SEV1 }',
          'policy:',
          '  freezeSeverity: SEV3',
          '  freezeOn: [exhausted]',
        ),
      });
      const { problems } = await loadDefinitions(root);
      assert.deepEqual(
        problems.map((p) => [p.line, p.severity, p.message]),
        [
          [5, 'warning', 'services[0].policy.freezeSeverity is not used: policy.freezeOn lists what freezes; write {openIncident: SEV1} in that list instead'],
          [7, 'warning', 'policy.freezeSeverity is not used: policy.freezeOn lists what freezes; write {openIncident: SEV3} in that list instead'],
        ],
      );
    });
  });
});
