// A repository with three services in three states (checkout frozen, search cautioned, accounts
// healthy), and a GitHub Actions checkout of a pull request into it: a full clone whose HEAD is the
// synthetic merge commit GitHub builds, with the pull request's own head as its second parent.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { GitRepoBuilder, gitDate } from './gitRepoBuilder';
import { csvText, openSloSlo } from './workspaceBuilders';

const MINUTE = 60_000;

const CONFIG = `version: 1
services:
  - name: checkout
    paths: ["services/checkout/**"]
  - name: search
    paths: ["services/search/**"]
  - name: accounts
    paths: ["services/accounts/**"]
`;

/**
 * One-minute SLI rows over the day before `until`, each with `bad` bad events of 10,000: against an
 * objective of 99.9% (10 bad of 10,000 allowed), 200 bad burn at 20× (a page alert, budget gone), 8 at
 * 0.8× (20% of the budget left: warning), 0 is healthy. The same ratio in every window, so the status
 * does not depend on the second a test runs.
 */
function sliRows(until: number, bad: number): string {
  const rows: Array<[string, number, number]> = [];
  for (let time = until - 24 * 60 * MINUTE; time <= until; time += MINUTE) rows.push([new Date(time).toISOString(), 10_000 - bad, 10_000]);
  return csvText(rows);
}

export interface PullRequestRepository {
  repo: GitRepoBuilder;
  /** The pull requests' branches, each with the SHA of its head. */
  heads: Record<string, string>;
  remove(): void;
}

/**
 * The upstream repository: data up to an hour after `now` (rows after the evaluation time do not
 * count yet, so any run within the hour sees the same numbers), INC-7 open on checkout, and branches
 * touching each service.
 */
export function createPullRequestRepository(now: number): PullRequestRepository {
  const repo = GitRepoBuilder.create('rl-action-');
  const until = Math.floor(now / MINUTE) * MINUTE + 60 * MINUTE;
  const at = (minutesAgo: number) => new Date(now - minutesAgo * MINUTE).toISOString();
  const slo = (service: string) => stringify(openSloSlo({ name: `${service}-availability`, service, indicator: { csv: { path: `data/${service}.csv` } } }));
  repo.commit({
    at: at(600),
    message: 'Services and their SLOs',
    files: {
      '.reliability/config.yaml': CONFIG,
      '.reliability/slos/checkout.yaml': slo('checkout'),
      '.reliability/slos/search.yaml': slo('search'),
      '.reliability/slos/accounts.yaml': slo('accounts'),
      '.reliability/data/checkout.csv': sliRows(until, 200),
      '.reliability/data/search.csv': sliRows(until, 8),
      '.reliability/data/accounts.csv': sliRows(until, 0),
      '.reliability/incidents.yaml': stringify({
        incidents: [{ id: 'INC-7', title: 'Payments time out', severity: 'SEV2', service: 'checkout', startedAt: at(120), url: 'https://status.example.com/INC-7' }],
      }),
      'services/checkout/pay.ts': 'export const pay = 1;\n',
      'services/search/query.ts': 'export const query = 1;\n',
      'services/accounts/login.ts': 'export const login = 1;\n',
    },
  });
  const heads: Record<string, string> = {};
  const branch = (name: string, message: string, files: Record<string, string>) => {
    repo.branch(name, 'main').checkout(name);
    heads[name] = repo.commit({ at: at(60), message, files });
    repo.checkout('main');
  };
  branch('feature/accounts', 'Remember the last login', { 'services/accounts/login.ts': 'export const login = 2;\n' });
  branch('feature/search', 'Faster suggestions', { 'services/search/query.ts': 'export const query = 2;\n' });
  const many: Record<string, string> = {};
  for (let i = 0; i < 12; i++) many[`services/checkout/part${String(i).padStart(2, '0')}.ts`] = `export const part = ${i};\n`;
  branch('feature/checkout', 'Split the payment flow', many);
  branch('fix/inc-7', 'Fix INC-7: retry the payment provider once', { 'services/checkout/pay.ts': 'export const pay = 2;\n' });
  // main moves on after the branches left it, as it does: the merge commit then differs from each head.
  repo.commit({ at: at(30), message: 'Docs', files: { 'README.md': 'docs\n' } });
  return { repo, heads, remove: () => repo.remove() };
}

/**
 * What actions/checkout with `fetch-depth: 0` leaves for a pull request from `branch`: every branch as
 * origin/*, and HEAD detached at a merge of the pull request into its base.
 */
export function checkoutPullRequest(upstream: GitRepoBuilder, branch: string, now: number): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rl-action-checkout-'));
  const git = (args: string[]) =>
    execFileSync('git', args, {
      cwd: root,
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_DATE: gitDate(now), GIT_COMMITTER_DATE: gitDate(now) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  execFileSync('git', ['clone', '--quiet', '--no-checkout', `file://${upstream.root}`, root], { stdio: 'ignore' });
  git(['config', 'user.name', 'GitHub']);
  git(['config', 'user.email', 'noreply@github.com']);
  git(['checkout', '--quiet', '--detach', 'origin/main']);
  git(['merge', '--quiet', '--no-ff', '-m', `Merge ${branch} into main`, `origin/${branch}`]);
  return root;
}

export function removeCheckout(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
