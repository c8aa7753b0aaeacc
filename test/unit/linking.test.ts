import { strict as assert } from 'node:assert';
import { computeDelivery } from '../../src/core/deployments';
import { linkIncidentsToDeployments } from '../../src/core/dora/linkedIncidents';
import { createIncidentIdMatcher, linkFileChanges } from '../../src/core/linking';
import type { FileCommit } from '../../src/core/linking';
import type { Incident, ServiceConfig } from '../../src/core/model';
import { blameRecentLines, recentCommitsOfFile } from '../../src/sources/git/fileHistory';
import { readTagDeployments } from '../../src/sources/git/history';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { readWholeHistory } from './builders/wholeHistory';
import { incident as sharedIncident } from './builders/reportBuilders';

const DAY = 86_400_000;
const t = (iso: string) => Date.parse(iso);

function incident(overrides: Partial<Incident> & { id: string }): Incident {
  return sharedIncident({ service: 'checkout', severity: 'SEV2', title: 'outage', startedAt: t('2026-02-12T00:00:00Z'), ...overrides });
}

const services: ServiceConfig[] = [
  { name: 'checkout', paths: ['services/checkout/**'] },
  { name: 'search', paths: ['services/search/**'] },
];

/** What `lens FILE` does: git reads, then the pure delivery and linking steps. */
async function lens(root: string, file: string, fileServices: string[], incidents: Incident[], now: number) {
  const since = now - 30 * DAY;
  const history = readWholeHistory(root);
  const [{ deployments }, recent] = await Promise.all([
    readTagDeployments(root, { tagPattern: 'v*', services, now }),
    recentCommitsOfFile(root, file, since, now),
  ]);
  const blameRanges = recent.length === 0 ? new Map() : await blameRecentLines(root, file, since);
  const delivery = computeDelivery(deployments, history.commits, now);
  const incidentDeployments = linkIncidentsToDeployments({
    incidents,
    deployments: delivery.deployments,
    commits: history.commits,
    shippedBy: delivery.shippedBy,
  });
  return linkFileChanges({ file, fileServices, recentCommits: recent, blameRanges, shippedBy: delivery.shippedBy, incidents, incidentDeployments });
}

describe('core/linking', () => {
  describe('over a repository', () => {
    const now = t('2026-03-01T00:00:00Z');
    let repo: GitRepoBuilder;
    let added: string;
    let fixed: string;
    let tweaked: string;

    before(() => {
      repo = GitRepoBuilder.create();
      repo.commit({ at: '2026-01-01T00:00:00Z', message: 'create', files: { 'services/checkout/pay.ts': 'a\nb\nc\nd\n', 'services/checkout/old.ts': 'o\n' } });
      repo.tag('v1', { annotatedAt: '2026-01-02T00:00:00Z' });
      added = repo.commit({ at: '2026-02-10T00:00:00Z', message: 'add retries', author: 'Ada', files: { 'services/checkout/pay.ts': 'a\nr1\nr2\nc\nd\n' } });
      repo.tag('v2', { annotatedAt: '2026-02-11T00:00:00Z' });
      fixed = repo.commit({ at: '2026-02-15T00:00:00Z', message: 'guard null\n\nFixes INC-7.', files: { 'services/checkout/pay.ts': 'a\nr1\nguard\nc\nd\n' } });
      tweaked = repo.commit({ at: '2026-02-16T00:00:00Z', message: 'tweak for INC-8', files: { 'services/checkout/pay.ts': 'a\nr1\nguard\nc\nd\ntweak\n' } });
    });
    after(() => repo.remove());

    it('links each recent commit to its incidents with the strongest reason', async () => {
      const incidents = [
        incident({ id: 'INC-5', commits: [added.slice(0, 9).toUpperCase()] }),
        incident({ id: 'INC-7' }),
        incident({ id: 'INC-8', files: ['./services/checkout/pay.ts'], commits: [tweaked] }),
        incident({ id: 'INC-9', service: 'search' }),
        incident({ id: 'INC-70' }),
      ];
      // Uncommitted: a new first line shifts everything down by one.
      repo.write({ 'services/checkout/pay.ts': 'top\na\nr1\nguard\nc\nd\ntweak\n' });
      try {
        const changes = await lens(repo.root, 'services/checkout/pay.ts', ['checkout'], incidents, now);
        assert.deepEqual(changes, [
          {
            commit: tweaked,
            subject: 'tweak for INC-8',
            time: t('2026-02-16T00:00:00Z'),
            author: 'Test Author',
            lines: [[7, 7]],
            deployment: null,
            incidents: [{ id: 'INC-8', reason: 'root-cause' }],
          },
          {
            commit: fixed,
            subject: 'guard null',
            time: t('2026-02-15T00:00:00Z'),
            author: 'Test Author',
            lines: [[4, 4]],
            deployment: null,
            incidents: [
              { id: 'INC-7', reason: 'fix' },
              { id: 'INC-8', reason: 'root-cause' },
            ],
          },
          {
            commit: added,
            subject: 'add retries',
            time: t('2026-02-10T00:00:00Z'),
            author: 'Ada',
            lines: [[3, 3]],
            deployment: 'v2',
            // INC-7 started after v2 on checkout: linked to v2, which shipped this commit. INC-9 is search's; INC-70 is linked to v2 too.
            incidents: [
              { id: 'INC-5', reason: 'root-cause' },
              { id: 'INC-7', reason: 'deployment' },
              { id: 'INC-8', reason: 'root-cause' },
              { id: 'INC-70', reason: 'deployment' },
            ],
          },
        ]);
      } finally {
        repo.git(['checkout', '--quiet', '--', 'services/checkout/pay.ts']);
      }
    });

    it('gives an empty list for a file with no recent changes', async () => {
      assert.deepEqual(await lens(repo.root, 'services/checkout/old.ts', ['checkout'], [incident({ id: 'INC-1', files: ['services/checkout/old.ts'] })], now), []);
    });
  });

  describe('linkFileChanges rules', () => {
    const base: FileCommit = { sha: 'a'.repeat(40), time: 1, parents: [], subject: 'work', body: '' };
    const link = (commit: FileCommit, incidents: Incident[], extra: { shippedBy?: Map<string, string>; incidentDeployments?: Map<string, string | null>; fileServices?: string[] } = {}) =>
      linkFileChanges({
        file: 'services/checkout/pay.ts',
        fileServices: extra.fileServices ?? ['checkout'],
        recentCommits: [commit],
        blameRanges: new Map(),
        shippedBy: extra.shippedBy ?? new Map(),
        incidents,
        incidentDeployments: extra.incidentDeployments ?? new Map(),
      })[0];

    it('matches root-cause commits by 7+ hex prefixes only', () => {
      assert.deepEqual(link(base, [incident({ id: 'I', commits: ['aaaaaaa'] })]).incidents, [{ id: 'I', reason: 'root-cause' }]);
      assert.deepEqual(link(base, [incident({ id: 'I', commits: ['aaaaaa'] })]).incidents, []);
      assert.deepEqual(link(base, [incident({ id: 'I', commits: ['bbbbbbb'] })]).incidents, []);
    });

    it('needs the file in the incident service for a deployment link', () => {
      const extra = { shippedBy: new Map([[base.sha, 'v2']]), incidentDeployments: new Map<string, string | null>([['I', 'v2']]) };
      assert.deepEqual(link(base, [incident({ id: 'I' })], extra).incidents, [{ id: 'I', reason: 'deployment' }]);
      assert.deepEqual(link(base, [incident({ id: 'I' })], { ...extra, fileServices: ['search'] }).incidents, []);
      assert.deepEqual(link(base, [incident({ id: 'I' })], { ...extra, incidentDeployments: new Map([['I', 'v3']]) }).incidents, []);
      assert.equal(link(base, [], extra).deployment, 'v2');
    });

    it('prefers fix over deployment', () => {
      const extra = { shippedBy: new Map([[base.sha, 'v2']]), incidentDeployments: new Map<string, string | null>([['I-1', 'v2']]) };
      assert.deepEqual(link({ ...base, body: 'closes I-1' }, [incident({ id: 'I-1' })], extra).incidents, [{ id: 'I-1', reason: 'fix' }]);
    });
  });

  it('finds incident ids as whole words only', () => {
    const names = createIncidentIdMatcher(['INC-7', 'INC-70', '#12']);
    assert.deepEqual([...names('fix INC-70 and INC-7, see #12.')].sort(), ['#12', 'INC-7', 'INC-70']);
    assert.deepEqual([...names('XINC-7 INC-71 INC-7a #123 inc-7')], []);
    assert.deepEqual([...names('(INC-7)')], ['INC-7']);
  });
});
