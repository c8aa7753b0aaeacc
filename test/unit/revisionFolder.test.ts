// Copying `.reliability/` as a revision holds it (sources/git/revisionFolder.ts): the bytes as
// committed, regular files only, and nothing a crafted tree could lead outside the copy.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFolderAtRevision } from '../../src/sources/git/revisionFolder';
import { RevisionFolderError } from '../../src/sources/git/errors';
import { GitRepoBuilder } from './builders/gitRepoBuilder';

describe('copyFolderAtRevision', function () {
  this.timeout(30_000);
  let repo: GitRepoBuilder;
  let first: string;
  before(() => {
    repo = GitRepoBuilder.create('rl-revision-');
    first = repo.commit({ at: '2026-11-01T00:00:00Z', message: 'init', files: { '.reliability/config.yaml': 'version: 1\n', '.reliability/slos/a.yaml': 'a: 1\n', 'x.ts': 'x\n' } });
    // The working tree moves on: the copy is the revision's, not the checkout's.
    repo.commit({ at: '2026-11-02T00:00:00Z', message: 'later', files: { '.reliability/config.yaml': 'version: 1\nrecentDays: 7\n', '.reliability/slos/a.yaml': null } });
    repo.write({ '.reliability/config.yaml': 'uncommitted\n' });
  });
  after(() => repo.remove());

  it("copies the revision's files, byte for byte, into a temporary folder it removes", async () => {
    const copy = await copyFolderAtRevision(repo.root, first, '.reliability');
    assert.ok(copy);
    try {
      assert.deepEqual(copy.files, ['config.yaml', 'slos/a.yaml']);
      assert.deepEqual(copy.skipped, []);
      assert.equal(fs.readFileSync(path.join(copy.root, '.reliability/config.yaml'), 'utf8'), 'version: 1\n');
      assert.equal(fs.readFileSync(path.join(copy.root, '.reliability/slos/a.yaml'), 'utf8'), 'a: 1\n');
    } finally {
      await copy.remove();
    }
    assert.ok(!fs.existsSync(copy.root));
  });

  it('copies empty files and files larger than a pipe holds, byte for byte, from one git process', async () => {
    // Bytes that cross every chunk boundary: a pattern that is not a multiple of any buffer size.
    const big = Buffer.from(Array.from({ length: 300_007 }, (_, i) => (i * 7919) % 251));
    const bigPath = path.join(repo.root, '.reliability/data/big.csv');
    fs.mkdirSync(path.dirname(bigPath), { recursive: true });
    fs.writeFileSync(bigPath, big);
    repo.git(['add', '.reliability/data/big.csv']);
    const sha = repo.commit({ at: '2026-11-03T00:00:00Z', message: 'data', files: { '.reliability/empty.yaml': '', '.reliability/z.yaml': 'z\n' } });
    const copy = await copyFolderAtRevision(repo.root, sha, '.reliability');
    assert.ok(copy);
    try {
      assert.deepEqual(copy.files, ['config.yaml', 'data/big.csv', 'empty.yaml', 'z.yaml']);
      assert.ok(fs.readFileSync(path.join(copy.root, '.reliability/data/big.csv')).equals(big));
      assert.equal(fs.readFileSync(path.join(copy.root, '.reliability/empty.yaml'), 'utf8'), '');
      assert.equal(fs.readFileSync(path.join(copy.root, '.reliability/z.yaml'), 'utf8'), 'z\n');
    } finally {
      await copy.remove();
    }
  });

  it('is null when the revision has no such folder, or a file of that name', async () => {
    assert.equal(await copyFolderAtRevision(repo.root, first, 'nothing-here'), null);
    assert.equal(await copyFolderAtRevision(repo.root, first, 'x.ts'), null);
  });

  it('refuses a crafted tree whose path leads outside the folder, writing nothing', async () => {
    const blob = repo.git(['hash-object', '-w', '--stdin'], {}, 'escaped\n');
    const inner = repo.git(['mktree'], {}, `100644 blob ${blob}\t..\n`);
    const outer = repo.git(['mktree'], {}, `040000 tree ${inner}\t.reliability\n`);
    const commit = repo.git(['commit-tree', outer, '-m', 'crafted']);
    await assert.rejects(copyFolderAtRevision(repo.root, commit, '.reliability'), (error: unknown) => {
      assert.ok(error instanceof RevisionFolderError);
      assert.equal(error.message, '.reliability/ holds a path that leads outside it: ".."');
      return true;
    });
  });

  it('refuses what is not a commit SHA', async () => {
    await assert.rejects(copyFolderAtRevision(repo.root, '--output=/tmp/x', '.reliability'), RevisionFolderError);
  });
});
