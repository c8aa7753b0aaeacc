import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { currentBranch, defaultBranch, existingBranch, mergeBase, readChange } from '../../src/sources/git/branches';
import {
  DetachedHeadError,
  FileOutsideRepositoryError,
  NoMatchingTagError,
  NotAGitRepositoryError,
  ShallowCloneError,
  UnknownRefError,
} from '../../src/sources/git/errors';
import { blameRecentLines, recentCommitsOfFile } from '../../src/sources/git/fileHistory';
import { readTagDeployments, readTags } from '../../src/sources/git/history';
import { readDeliveryWindow } from '../../src/sources/git/deliveryWindow';
import { resolveDeploymentCommits, resolveRevisions, resolveRootCauses } from '../../src/sources/git/revisions';
import type { Deployment, Incident } from '../../src/core/model';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { incident as sharedIncident } from './builders/reportBuilders';

const DAY = 86_400_000;
const t = (iso: string) => Date.parse(iso);

function incident(overrides: Partial<Incident> & { id: string }): Incident {
  return sharedIncident({ service: 'checkout', severity: 'SEV2', title: 'outage', startedAt: t('2026-02-01T00:00:00Z'), ...overrides });
}

describe('sources/git', () => {
  const repos: GitRepoBuilder[] = [];
  const track = (repo: GitRepoBuilder) => (repos.push(repo), repo);
  after(() => repos.forEach((repo) => repo.remove()));

  describe('tags and the window read', () => {
    let repo: GitRepoBuilder;
    let first: string;
    let second: string;
    let third: string;

    before(() => {
      repo = track(GitRepoBuilder.create());
      first = repo.commit({ at: '2026-01-01T00:00:00Z', message: 'init', files: { 'a.txt': 'a\n' } });
      repo.tag('v1.0.0', { annotatedAt: '2026-01-03T12:00:00Z' });
      second = repo.commit({ at: '2026-01-05T00:00:00Z', message: 'second subject\n\nbody line one\nbody line two', files: { 'a.txt': 'b\n' } });
      repo.tag('v1.1.0');
      third = repo.commit({ at: '2026-01-08T00:00:00Z', message: 'third', files: { 'a.txt': 'c\n' } });
      repo.tag('v2.0.0', { annotatedAt: '2026-03-10T00:00:00Z' });
      repo.tag('not-a-release');
    });

    it('reads the commits the deployments after the window start shipped, with committer time, parents, subject and body', async () => {
      const now = t('2026-03-20T00:00:00Z');
      const { deployments } = await readTagDeployments(repo.root, { tagPattern: 'v*', services: [], now });
      const window = await readDeliveryWindow(repo.root, deployments, 0, { lanes: 'all' });
      // The first deployment ships no changes, so the history it reaches (the first commit) is not read.
      assert.deepEqual([...window.commits.keys()].sort(), [second, third].sort());
      const read = window.commits.get(second)!;
      assert.deepEqual({ sha: read.sha, time: read.time, parents: read.parents, subject: read.subject, body: read.body }, {
        sha: second,
        time: t('2026-01-05T00:00:00Z'),
        parents: [first],
        subject: 'second subject',
        body: 'body line one\nbody line two',
      });
      assert.deepEqual(window.commits.get(third)?.parents, [second]);
      // From a later start only the deployments after it count: v2.0.0 (2026-03-10) alone.
      const later = await readDeliveryWindow(repo.root, deployments, t('2026-02-01T00:00:00Z'), { lanes: 'all' });
      assert.deepEqual([...later.commits.keys()], [third]);
    });

    it('times an annotated tag by its tagger date and a lightweight tag by its commit', async () => {
      const { tags } = await readTags(repo.root);
      const byName = new Map(tags.map((tag) => [tag.name, tag]));
      assert.deepEqual(byName.get('v1.0.0'), { name: 'v1.0.0', commit: first, time: t('2026-01-03T12:00:00Z'), annotated: true });
      assert.deepEqual(byName.get('v1.1.0'), { name: 'v1.1.0', commit: second, time: t('2026-01-05T00:00:00Z'), annotated: false });
      assert.deepEqual(byName.get('v2.0.0'), { name: 'v2.0.0', commit: third, time: t('2026-03-10T00:00:00Z'), annotated: true });
    });

    it('answers a second question from the cache and reads again after a ref changes', async () => {
      const once = await readTags(repo.root);
      const again = await readTags(repo.root);
      assert.equal(again, once);
      repo.tag('v2.1.0', { target: second });
      const afterTag = await readTags(repo.root);
      assert.notEqual(afterTag, once);
      assert.ok(afterTag.tags.some((tag) => tag.name === 'v2.1.0'));
      repo.git(['tag', '-d', 'v2.1.0']);
    });

    it('drops tags after now and tags the pattern does not match', async () => {
      const { deployments } = await readTagDeployments(repo.root, { tagPattern: 'v*', services: [], now: t('2026-03-01T00:00:00Z') });
      assert.deepEqual(
        deployments.map((d) => [d.name, d.commit, d.time]),
        [
          ['v1.0.0', first, t('2026-01-03T12:00:00Z')],
          ['v1.1.0', second, t('2026-01-05T00:00:00Z')],
        ],
      );
    });

    it('says which pattern found nothing and which tags exist', async () => {
      await assert.rejects(
        readTagDeployments(repo.root, { tagPattern: 'release-*', services: [], now: t('2026-03-01T00:00:00Z') }),
        (error: unknown) => {
          assert.ok(error instanceof NoMatchingTagError);
          assert.equal(error.message, 'no tag matches "release-*"; tags that exist: not-a-release, v1.0.0, v1.1.0, v2.0.0');
          return true;
        },
      );
    });

    it('lists at most ten existing tags', async () => {
      const many = track(GitRepoBuilder.create());
      many.commit({ at: '2026-01-01T00:00:00Z', message: 'init' });
      for (let i = 10; i < 22; i++) many.tag(`build-${i}`);
      await assert.rejects(readTagDeployments(many.root, { tagPattern: 'v*', services: [], now: t('2026-03-01T00:00:00Z') }), {
        name: 'NoMatchingTagError',
        message:
          'no tag matches "v*"; tags that exist: build-10, build-11, build-12, build-13, build-14, build-15, build-16, build-17, build-18, build-19, ... (12 in all)',
      });
    });

    it('resolves revisions and deployments.yaml commits in one pass', async () => {
      const resolved = await resolveRevisions(repo.root, ['v1.0.0', second.slice(0, 8), 'main', 'no-such-ref']);
      assert.deepEqual(
        [...resolved],
        [
          ['v1.0.0', first],
          [second.slice(0, 8), second],
          ['main', third],
          ['no-such-ref', null],
        ],
      );
      const fromFile: Deployment[] = [
        { name: 'prod-1', commit: second.slice(0, 10), time: t('2026-01-06T00:00:00Z'), services: [], source: 'file' },
        { name: 'prod-2', commit: 'deadbeef00', time: t('2026-01-07T00:00:00Z'), services: [], source: 'file' },
      ];
      const { deployments, warnings } = await resolveDeploymentCommits(repo.root, fromFile);
      assert.deepEqual(deployments.map((d) => [d.name, d.commit]), [['prod-1', second]]);
      assert.deepEqual(warnings, ['deployment prod-2 names commit "deadbeef00", which is not in this repository; it is left out']);
    });

    it('warns about root-cause commits that do not exist and ignores the rest', async () => {
      const { warnings, rootCauses } = await resolveRootCauses(repo.root, [
        incident({ id: 'INC-1', commits: [second.slice(0, 7), 'abcdef1234'] }),
        incident({ id: 'INC-2', commits: ['xyz'] }),
      ]);
      assert.deepEqual(warnings, [
        'incident INC-1 lists root-cause commit abcdef1234, which is not in this repository (or is ambiguous); it is ignored',
        'incident INC-2 lists root-cause commit "xyz", which is not 7 to 40 hex characters; it is ignored',
      ]);
      assert.deepEqual([...rootCauses], [
        [second.slice(0, 7), second],
        ['abcdef1234', null],
        ['xyz', null],
      ]);
    });
  });

  it('reads an empty repository as no tags and no commits', async () => {
    const empty = track(GitRepoBuilder.create());
    assert.deepEqual(await readTags(empty.root), { tags: [], nonCommitTags: [] });
    assert.equal((await readDeliveryWindow(empty.root, [], 0, { lanes: 'all' })).commits.size, 0);
    assert.deepEqual(await recentCommitsOfFile(empty.root, 'a.txt', 0, Date.now()), []);
  });

  it('is not confused by a file named HEAD', async () => {
    const odd = track(GitRepoBuilder.create());
    odd.commit({ at: '2026-01-01T00:00:00Z', message: 'first', files: { a: '1\n' } });
    odd.tag('v1');
    const sha = odd.commit({ at: '2026-01-02T00:00:00Z', message: 'adds HEAD', files: { HEAD: 'not a ref\n' } });
    odd.tag('v2');
    const { deployments } = await readTagDeployments(odd.root, { tagPattern: 'v*', services: [], now: t('2026-02-01T00:00:00Z') });
    const window = await readDeliveryWindow(odd.root, deployments, 0, { lanes: 'all' });
    assert.deepEqual([...window.commits.keys()], [sha]);
  });

  describe('errors', () => {
    it('rejects a directory that is not a repository', async () => {
      const plain = mkdtempSync(path.join(os.tmpdir(), 'lens-plain-'));
      try {
        await assert.rejects(readTags(plain), (error: unknown) => {
          assert.ok(error instanceof NotAGitRepositoryError);
          assert.equal(error.message, `${plain} is not inside a git repository`);
          return true;
        });
        await assert.rejects(readTags(path.join(plain, 'missing')), NotAGitRepositoryError);
      } finally {
        rmSync(plain, { recursive: true, force: true });
      }
    });

    it('rejects a shallow clone, saying how many commits are present', async () => {
      const origin = track(GitRepoBuilder.create());
      for (let day = 1; day <= 5; day++) origin.commit({ at: `2026-01-0${day}T00:00:00Z`, message: `c${day}`, files: { 'f.txt': `${day}\n` } });
      const shallow = track(origin.shallowClone(2));
      await assert.rejects(readTags(shallow.root), (error: unknown) => {
        assert.ok(error instanceof ShallowCloneError);
        assert.equal(error.presentCommits, 2);
        assert.equal(
          error.message,
          'this is a shallow clone with only 2 commits present; run `git fetch --unshallow` so delivery history can be read',
        );
        return true;
      });
    });
  });

  describe('recent commits and blame of a file', () => {
    const now = t('2026-03-01T00:00:00Z');
    const since = now - 30 * DAY; // 2026-01-30T00:00:00Z
    let repo: GitRepoBuilder;
    let old: string;
    let atBoundary: string;
    let recentA: string;
    let other: string;
    let recentB: string;
    let atNow: string;

    before(() => {
      repo = track(GitRepoBuilder.create());
      old = repo.commit({ at: '2026-01-10T00:00:00Z', message: 'old', files: { 'src/pay.ts': 'l1\nl2\nl3\nl4\nl5\nl6\n', 'src/other.ts': 'x\n' } });
      atBoundary = repo.commit({ at: '2026-01-30T00:00:00Z', message: 'exactly 30 days ago', files: { 'src/pay.ts': 'l1\nB2\nl3\nl4\nl5\nl6\n' } });
      recentA = repo.commit({ at: '2026-02-10T00:00:00Z', message: 'recent A', author: 'Ada', files: { 'src/pay.ts': 'l1\nB2\nA3\nA4\nl5\nl6\n' } });
      other = repo.commit({ at: '2026-02-12T00:00:00Z', message: 'other file', files: { 'src/other.ts': 'y\n' } });
      recentB = repo.commit({ at: '2026-02-20T00:00:00Z', message: 'recent B', files: { 'src/pay.ts': 'l1\nB2\nA3\nb4\nl5\nl6\nb7\nb8\n' } });
      atNow = repo.commit({ at: '2026-03-01T00:00:00Z', message: 'at now', files: { 'src/pay.ts': 'l1\nB2\nA3\nb4\nl5\nl6\nb7\nb8\nN9\n' } });
      repo.commit({ at: '2026-03-02T00:00:00Z', message: 'after now', files: { 'src/pay.ts': 'l1\nB2\nA3\nb4\nl5\nl6\nb7\nb8\nN9\nF10\n' } });
    });

    it('keeps commits with committer time in (now - 30d, now], newest first', async () => {
      const commits = await recentCommitsOfFile(repo.root, 'src/pay.ts', since, now);
      assert.deepEqual(
        commits.map((c) => c.sha),
        [atNow, recentB, recentA],
      );
      assert.equal(commits[2].author, 'Ada');
      assert.equal(commits[2].subject, 'recent A');
      assert.equal(commits[2].time, t('2026-02-10T00:00:00Z'));
      assert.ok(![old, atBoundary, other].some((sha) => commits.some((c) => c.sha === sha)));
    });

    it('finds the lines each recent commit still owns, after later edits', async () => {
      const ranges = await blameRecentLines(repo.root, 'src/pay.ts', since);
      assert.deepEqual(
        [...ranges].sort(),
        [
          [atNow, [[9, 9]]],
          [recentA, [[3, 3]]],
          [recentB, [[4, 4], [7, 8]]],
          // The commit after now: the caller keeps only the recent commits' ranges.
          [repo.head(), [[10, 10]]],
        ].sort(),
      );
    });

    it('blames the working file, so uncommitted edits move and replace lines', async () => {
      const edited = track(GitRepoBuilder.create());
      edited.commit({ at: '2026-01-01T00:00:00Z', message: 'base', files: { 'f.ts': 'a\nb\nc\n' } });
      const recent = edited.commit({ at: '2026-02-15T00:00:00Z', message: 'recent', files: { 'f.ts': 'a\nR1\nR2\nR3\nc\n' } });
      edited.write({ 'f.ts': 'new top\na\nR1\nchanged\nR3\nc\n' });
      const ranges = await blameRecentLines(edited.root, 'f.ts', since);
      assert.deepEqual([...ranges], [[recent, [[3, 3], [5, 5]]]]);
    });

    it('gives nothing for a file with no recent changes', async () => {
      assert.deepEqual(await recentCommitsOfFile(repo.root, 'src/other.ts', now + 0, now + DAY), []);
      assert.deepEqual(await recentCommitsOfFile(repo.root, 'src/other.ts', t('2026-02-13T00:00:00Z'), now), []);
      assert.deepEqual([...(await blameRecentLines(repo.root, 'untracked.ts', since))], []);
    });

    it('accepts absolute paths inside the repository and rejects files outside it', async () => {
      const absolute = path.join(repo.root, 'src', 'pay.ts');
      assert.equal((await recentCommitsOfFile(repo.root, absolute, since, now)).length, 3);
      await assert.rejects(recentCommitsOfFile(repo.root, '../elsewhere.ts', since, now), (error: unknown) => {
        assert.ok(error instanceof FileOutsideRepositoryError);
        assert.match(error.message, /^\.\.\/elsewhere\.ts is outside the git repository at /);
        return true;
      });
    });
  });

  describe('paths and time limits given to git', () => {
    const now = t('2026-03-01T00:00:00Z');
    let repo: GitRepoBuilder;
    let start: string;
    let literal: string;
    let recent: string;
    const MAGIC = ':(glob)**';

    before(() => {
      repo = track(GitRepoBuilder.create());
      start = repo.commit({ at: '2026-01-10T00:00:00Z', message: 'start', files: { 'src/pay.ts': 'p1\n', 'src/cart.ts': 'c1\n' } });
      // A file whose name is pathspec magic, added by its literal name.
      repo.write({ [MAGIC]: 'm1\n' });
      repo.git(['--literal-pathspecs', 'add', '--', MAGIC]);
      literal = repo.commit({ at: '2026-02-01T00:00:00Z', message: 'the file named like a pathspec' });
      recent = repo.commit({ at: '2026-02-28T12:00:00Z', message: 'recent', files: { 'src/pay.ts': 'p2\n' } });
    });

    it('reads a path from the user literally: `:(glob)**` names that file, not every file', async () => {
      const commits = await recentCommitsOfFile(repo.root, MAGIC, now - 90 * DAY, now);
      assert.deepEqual(commits.map((c) => c.sha), [literal]);
      assert.deepEqual([...(await blameRecentLines(repo.root, MAGIC, now - 90 * DAY))], [[literal, [[1, 1]]]]);
      // Another piece of magic that names no file gives nothing, rather than the whole history.
      assert.deepEqual(await recentCommitsOfFile(repo.root, ':(icase)SRC/PAY.TS', now - 90 * DAY, now), []);
      assert.deepEqual(await recentCommitsOfFile(repo.root, ':/*', now - 90 * DAY, now), []);
    });

    it('finds a file\'s commits with a window of 20,000 days, which reaches back before 1973', async () => {
      const since = now - 20_000 * DAY;
      assert.ok(since < t('1973-01-01T00:00:00Z'));
      const commits = await recentCommitsOfFile(repo.root, 'src/pay.ts', since, now);
      assert.deepEqual(commits.map((c) => c.sha), [recent, start]);
      assert.deepEqual([...(await blameRecentLines(repo.root, 'src/pay.ts', since))], [[recent, [[1, 1]]]]);
      // So long a window that it starts before 1970, and one git cannot even write as a date.
      assert.equal((await recentCommitsOfFile(repo.root, 'src/pay.ts', now - 40_000 * DAY, now)).length, 2);
      assert.equal((await recentCommitsOfFile(repo.root, 'src/pay.ts', -Infinity, now)).length, 2);
    });

    it('keeps a small window exact to the second', async () => {
      const oneDay = await recentCommitsOfFile(repo.root, 'src/pay.ts', now - 1 * DAY, now);
      assert.deepEqual(oneDay.map((c) => c.sha), [recent]);
      // (since, until]: a commit exactly at `since` is out, one exactly at `until` is in.
      assert.deepEqual(await recentCommitsOfFile(repo.root, 'src/pay.ts', t('2026-02-28T12:00:00Z'), now), []);
      assert.deepEqual((await recentCommitsOfFile(repo.root, 'src/pay.ts', now - DAY, t('2026-02-28T12:00:00Z'))).map((c) => c.sha), [recent]);
      assert.deepEqual([...(await blameRecentLines(repo.root, 'src/cart.ts', now - 1 * DAY))], []);
    });
  });

  describe('merge check helpers', () => {
    let repo: GitRepoBuilder;
    let feature1: string;
    let feature2: string;

    before(() => {
      repo = track(GitRepoBuilder.create());
      repo.commit({ at: '2026-01-01T00:00:00Z', message: 'init', files: { 'services/checkout/pay.ts': '1\n', 'README.md': 'r\n' } });
      repo.branch('feature').checkout('feature');
      feature1 = repo.commit({ at: '2026-01-02T00:00:00Z', message: 'fix INC-4: retry', files: { 'services/checkout/pay.ts': '2\n' } });
      feature2 = repo.commit({ at: '2026-01-03T00:00:00Z', message: 'Revert "thing"\n\nThis reverts commit abc.', files: { 'services/search/q.ts': 'q\n' } });
      repo.checkout('main');
      repo.commit({ at: '2026-01-04T00:00:00Z', message: 'main moves on', files: { 'README.md': 'r2\n' } });
      repo.checkout('feature');
    });

    it('lists files changed since the branch left the base, not the base changes', async () => {
      assert.deepEqual((await readChange(repo.root, 'main', { files: true })).files, ['services/checkout/pay.ts', 'services/search/q.ts']);
    });

    it('lists the commits of the change with messages', async () => {
      const commits = (await readChange(repo.root, 'main', { files: false })).commits;
      assert.deepEqual(
        commits.map((c) => [c.sha, c.subject, c.body]),
        [
          [feature2, 'Revert "thing"', 'This reverts commit abc.'],
          [feature1, 'fix INC-4: retry', ''],
        ],
      );
    });

    it('finds the default branch and the merge base', async () => {
      assert.equal(await defaultBranch(repo.root), 'main');
      assert.equal(await currentBranch(repo.root), 'feature');
      assert.equal(await mergeBase(repo.root, 'main'), repo.git(['rev-parse', 'main~1']));
    });

    it('prefers origin/HEAD when the remote names it', async () => {
      const clone = track(GitRepoBuilder.create());
      clone.git(['fetch', '--quiet', repo.root, '+refs/heads/*:refs/remotes/origin/*']);
      clone.git(['symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/feature']);
      assert.equal(await defaultBranch(clone.root), 'origin/feature');
    });

    it('names an unknown base ref', async () => {
      await assert.rejects(readChange(repo.root, 'no-such-branch', { files: true }), (error: unknown) => {
        assert.ok(error instanceof UnknownRefError);
        assert.equal(error.message, 'unknown git ref "no-such-branch": no branch, tag or commit has that name');
        return true;
      });
      await assert.rejects(readChange(repo.root, 'no-such-branch', { files: false }), UnknownRefError);
    });

    it('never reads a base as an option', async () => {
      const target = path.join(repo.root, 'written-by-git-diff');
      await assert.rejects(readChange(repo.root, `--output=${target}`, { files: true }), UnknownRefError);
      await assert.rejects(mergeBase(repo.root, '--all'), UnknownRefError);
      assert.equal(existsSync(target), false);
    });

    it('refuses a shallow clone, where the base may be cut off, and says to unshallow', async () => {
      const shallow = track(repo.shallowClone(1));
      shallow.git(['fetch', '--quiet', '--depth=1', 'origin', '+refs/heads/main:refs/remotes/origin/main']);
      const unshallow = /^this is a shallow clone with only 2 commits present; run `git fetch --unshallow` so the change can be compared with its base$/;
      for (const read of [readChange(shallow.root, 'origin/main', { files: true }), mergeBase(shallow.root, 'origin/main')]) {
        await assert.rejects(read, (error: unknown) => {
          assert.ok(error instanceof ShallowCloneError);
          assert.match(error.message, unshallow);
          return true;
        });
      }
    });

    it('finds a configured branch locally or on origin, and nothing for a name that is no branch', async () => {
      assert.equal(await existingBranch(repo.root, 'main'), 'main');
      assert.equal(await existingBranch(repo.root, 'no-such-branch'), null);
      const clone = track(GitRepoBuilder.create());
      clone.git(['fetch', '--quiet', repo.root, '+refs/heads/*:refs/remotes/origin/*']);
      assert.equal(await existingBranch(clone.root, 'main'), 'origin/main');
      assert.equal(await existingBranch(clone.root, 'origin/main'), 'origin/main');
      assert.equal(await existingBranch(clone.root, 'trunk'), null);
    });

    it('says when HEAD is detached and a branch is needed', async () => {
      const detached = track(GitRepoBuilder.create());
      detached.commit({ at: '2026-01-01T00:00:00Z', message: 'one' });
      detached.commit({ at: '2026-01-02T00:00:00Z', message: 'two' });
      detached.checkout('HEAD~1');
      await assert.rejects(currentBranch(detached.root), {
        name: 'DetachedHeadError',
        message: 'HEAD is detached; check out a branch, or name the base with --base',
      });
      assert.ok(new DetachedHeadError() instanceof Error);
    });

    it('says when there is no default branch to find', async () => {
      const odd = track(GitRepoBuilder.create());
      odd.git(['checkout', '--quiet', '-b', 'trunk']);
      odd.commit({ at: '2026-01-01T00:00:00Z', message: 'one' });
      await assert.rejects(defaultBranch(odd.root), {
        name: 'UnknownRefError',
        message: 'no default branch: origin/HEAD is not set and no main or master branch exists; name the base with --base',
      });
    });
  });
});
