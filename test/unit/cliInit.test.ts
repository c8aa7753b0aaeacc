// `reliability-lens init` and zero configuration on generated repositories: what is inferred from
// CODEOWNERS, folders and tags, that the written folder loads without a single problem, that an
// existing `.reliability` is never touched, and that `dora` without `.reliability/` reads the tags
// `init` would pick and says so.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from './builders/cliRunner';
import { GitRepoBuilder } from './builders/gitRepoBuilder';
import { loadSnapshot } from '../../src/workspace/engine';

const NOW = '2026-11-20T12:00:00Z';

function listFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** A repository with weekly releases tagged by `tagOf(i)`, one commit per service folder in each. */
function releasedRepository(prefix: string, tagOf: ((i: number) => string) | null, files: Record<string, string>): GitRepoBuilder {
  const repo = GitRepoBuilder.create(prefix);
  repo.commit({ at: '2026-09-01T10:00:00Z', message: 'Initial', files });
  const sources = Object.keys(files).filter((file) => !file.endsWith('CODEOWNERS'));
  for (let i = 0; i < 6; i++) {
    const day = new Date(Date.parse('2026-09-07T10:00:00Z') + i * 7 * 86_400_000).toISOString();
    repo.commit({ at: day, message: `Change ${i}`, files: { [sources[i % sources.length]]: `change ${i}\n` } });
    if (tagOf) repo.tag(tagOf(i), { annotatedAt: day });
  }
  return repo;
}

describe('reliability-lens init', function () {
  this.timeout(60_000);
  const repos: GitRepoBuilder[] = [];
  after(() => repos.forEach((repo) => repo.remove()));
  const track = (repo: GitRepoBuilder) => (repos.push(repo), repo);

  it('takes services from CODEOWNERS and the tag pattern from the tags, and writes files that load with no problem', async () => {
    const repo = track(
      releasedRepository('rl-init-owners-', (i) => `v1.${i}.0`, {
        '.github/CODEOWNERS': '* @org/all\n/services/checkout/ @org/checkout\n/services/search/ @org/search\n*.md @org/docs\n',
        'services/checkout/pay.ts': 'pay\n',
        'services/search/find.ts': 'find\n',
      }),
    );
    repo.tag('nightly');
    const result = await cli(repo.root, 'init');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout.split('\n').slice(0, 2).join('\n'),
      [
        'Services: checkout, search (from the paths of .github/CODEOWNERS (2 of 4 rules; the others name no folder))',
        'Deployments: the tags matching v* (6 of 7 tags match it: semver versions such as v1.5.0)',
      ].join('\n'),
    );
    assert.deepEqual(listFiles(path.join(repo.root, '.reliability')), [
      'config.yaml',
      'data/checkout-availability.csv',
      'data/search-availability.csv',
      'incidents.yaml',
      'slos/checkout.yaml',
      'slos/search.yaml',
    ]);
    const snapshot = await loadSnapshot(repo.root, { now: Date.parse(NOW), allowRemote: false });
    assert.deepEqual(snapshot.problems, []);
    assert.deepEqual(snapshot.config.services, [
      { name: 'checkout', paths: ['/services/checkout/'] },
      { name: 'search', paths: ['/services/search/'] },
    ]);
    assert.equal(snapshot.config.deployments.tagPattern, 'v*');
    assert.deepEqual(snapshot.sloReports.map((report) => `${report.service}/${report.name}`), ['checkout/checkout-availability', 'search/search-availability']);
    assert.deepEqual(snapshot.incidents, []);
    assert.equal(snapshot.dora?.deployments, 6);
  });

  it('takes services from the folders of services/, and says there are no tags yet', async () => {
    const repo = track(releasedRepository('rl-init-folders-', null, { 'services/billing/a.ts': 'a\n', 'services/catalog/b.ts': 'b\n', 'README.md': 'hi\n' }));
    const result = await cli(repo.root, 'init', '--json');
    assert.equal(result.code, 0, result.stderr);
    const json = result.json();
    assert.deepEqual(json.services, [
      { name: 'billing', paths: ['services/billing/**'] },
      { name: 'catalog', paths: ['services/catalog/**'] },
    ]);
    assert.equal(json.servicesFrom, 'the folders in services/');
    assert.equal(json.tagPattern, 'v*');
    assert.equal(json.tagPatternFromTags, false);
    assert.equal(json.tagPatternReason, 'v* (the default: this repository has no tags yet)');
    assert.equal(json.written, true);
    const snapshot = await loadSnapshot(repo.root, { now: Date.parse(NOW), allowRemote: false });
    assert.deepEqual(snapshot.problems, []);
  });

  it('reads bare version tags and release dates, and top-level folders', async () => {
    const bare = track(releasedRepository('rl-init-bare-', (i) => `2.${i}.1`, { 'api/a.ts': 'a\n', 'web/b.ts': 'b\n', 'docs/c.md': 'c\n' }));
    const bareJson = (await cli(bare.root, 'init', '--dry-run', '--json')).json();
    assert.deepEqual(bareJson.services.map((s: { name: string }) => s.name), ['api', 'web']);
    assert.equal(bareJson.servicesFrom, 'the top-level folders');
    assert.equal(bareJson.tagPatternReason, '[0-9]* (6 of 6 tags match it: semver versions such as 2.5.1)');

    const dated = track(releasedRepository('rl-init-dated-', (i) => `release-2026-10-0${i + 1}`, { 'app.ts': 'a\n' }));
    const datedJson = (await cli(dated.root, 'init', '--dry-run', '--json')).json();
    assert.equal(datedJson.tagPatternReason, 'release-* (6 of 6 tags match it: dates such as release-2026-10-06)');
    assert.deepEqual(datedJson.services, [{ name: path.basename(dated.root).toLowerCase(), paths: ['**'] }]);
  });

  it('--dry-run prints every file it would write and writes none; init then writes exactly those', async () => {
    const repo = track(releasedRepository('rl-init-dry-', (i) => `v0.${i}.0`, { 'apps/web/a.ts': 'a\n' }));
    const human = await cli(repo.root, 'init', '--dry-run');
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^Would write 4 files \(--dry-run: nothing was written\):$/m);
    assert.match(human.stdout, /^--- \.reliability\/config\.yaml\n# Reliability Lens workspace/m);
    assert.match(human.stdout, /^--- \.reliability\/slos\/web\.yaml\n/m);
    const planned = (await cli(repo.root, 'init', '--dry-run', '--json')).json();
    assert.equal(planned.written, false);
    assert.equal(fs.existsSync(path.join(repo.root, '.reliability')), false);

    assert.equal((await cli(repo.root, 'init')).code, 0);
    for (const file of planned.files) assert.equal(fs.readFileSync(path.join(repo.root, file.path), 'utf8'), file.content, file.path);
    assert.deepEqual(listFiles(path.join(repo.root, '.reliability')).map((f) => `.reliability/${f}`), planned.files.map((f: { path: string }) => f.path).sort());
  });

  it('refuses an existing .reliability (exit 2), touching nothing, with or without --dry-run', async () => {
    const repo = track(releasedRepository('rl-init-exists-', null, { 'a.ts': 'a\n' }));
    fs.mkdirSync(path.join(repo.root, '.reliability'));
    fs.writeFileSync(path.join(repo.root, '.reliability', 'incidents.yaml'), 'incidents: []\n');
    for (const args of [['init'], ['init', '--dry-run']]) {
      const result = await cli(repo.root, ...args);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, '');
      assert.equal(
        result.stderr,
        `reliability-lens: ${path.join(repo.root, '.reliability')} already exists; the starter never overwrites it (edit the files there, or move the folder away to start again)`,
      );
    }
    assert.deepEqual(listFiles(path.join(repo.root, '.reliability')), ['incidents.yaml']);
  });

  it('writes hostile CODEOWNERS paths and tag names as data the loader reads back unchanged', async () => {
    const hostilePrefix = 'x"#&{y}\'!v';
    const repo = track(
      releasedRepository('rl-init-hostile-', (i) => `${hostilePrefix}${i}.0`, {
        CODEOWNERS: '/svc/"a":{b}\\ c#d/ @x\n',
        'svc/"a":{b} c#d/x.ts': 'x\n',
      }),
    );
    const result = await cli(repo.root, 'init');
    assert.equal(result.code, 0, result.stderr);
    const snapshot = await loadSnapshot(repo.root, { now: Date.parse(NOW), allowRemote: false });
    assert.deepEqual(snapshot.problems, []);
    assert.deepEqual(snapshot.config.services, [{ name: 'a-b-c-d', paths: ['/svc/"a":{b} c#d/'] }]);
    assert.equal(snapshot.config.deployments.tagPattern, `${hostilePrefix}*`);
    assert.equal(snapshot.dora?.deployments, 6);
  });

  it('says so when the folder to write into does not exist', async () => {
    const missing = path.join(os.tmpdir(), 'rl-init-missing-folder', 'nowhere');
    const result = await cli(os.tmpdir(), 'init', '--workspace', missing);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `reliability-lens: ${missing} is not a folder; the starter .reliability/ goes into an existing folder`);
  });

  it('writes a starter outside a git repository too, saying why the tag pattern is the default', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-init-nogit-'));
    try {
      fs.mkdirSync(path.join(dir, 'worker'));
      const result = await cli(dir, 'init');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Deployments: the tags matching v\* \(the default: not a git repository\)$/m);
      const config = fs.readFileSync(path.join(dir, '.reliability', 'config.yaml'), 'utf8');
      assert.match(config, /^# Picked v\* \(the default: not a git repository\)\.$/m);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('zero configuration: dora without .reliability/', function () {
  this.timeout(60_000);
  const repos: GitRepoBuilder[] = [];
  after(() => repos.forEach((repo) => repo.remove()));

  it('reads the tags init would pick, says so, and answers as the written-down folder does', async () => {
    const repo = GitRepoBuilder.create('rl-zero-');
    repos.push(repo);
    repo.commit({ at: '2026-09-01T10:00:00Z', message: 'Initial', files: { 'services/web/a.ts': 'a\n' } });
    for (let i = 0; i < 5; i++) {
      const day = new Date(Date.parse('2026-10-05T10:00:00Z') + i * 3 * 86_400_000).toISOString();
      repo.commit({ at: day, message: `Change ${i}`, files: { 'services/web/a.ts': `${i}\n` } });
      repo.tag(`release-${i + 1}`, { annotatedAt: day });
    }
    const note =
      'No .reliability/ here: deployments are the tags matching release-* (5 of 5 tags match it: version numbers such as release-5). Run `reliability-lens init` to write it down.';
    // From a subfolder: the repository is found as git finds it.
    const json = await cli(path.join(repo.root, 'services', 'web'), 'dora', '--json', '--now', NOW);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(json.stderr, note);
    const zero = json.json();
    assert.equal(zero.deployments, 5);

    const human = await cli(repo.root, 'dora', '--now', NOW);
    assert.equal(human.code, 0, human.stderr);
    assert.equal(human.stdout.split('\n')[0], note);

    assert.equal((await cli(repo.root, 'init')).code, 0);
    const written = await cli(repo.root, 'dora', '--json', '--now', NOW);
    assert.equal(written.stderr, '', 'no note once .reliability/ exists');
    assert.deepEqual(written.json(), zero);
  });

  it('says there are no tags yet, then why there is nothing to measure', async () => {
    const repo = GitRepoBuilder.create('rl-zero-untagged-');
    repos.push(repo);
    repo.commit({ at: '2026-09-01T10:00:00Z', message: 'Initial', files: { 'a.ts': 'a\n' } });
    const result = await cli(repo.root, 'dora', '--now', NOW);
    assert.equal(result.code, 2);
    assert.equal(
      result.stdout,
      'No .reliability/ here: deployments are the tags matching v* (the default: this repository has no tags yet). Run `reliability-lens init` to write it down.\n',
    );
    assert.match(result.stderr, /^reliability-lens: no tag matches "v\*"; the repository has no tags/);
  });

  it('leaves other commands asking for .reliability/, and naming init', async () => {
    const repo = GitRepoBuilder.create('rl-zero-report-');
    repos.push(repo);
    repo.commit({ at: '2026-09-01T10:00:00Z', message: 'Initial', files: { 'a.ts': 'a\n' } });
    const result = await cli(repo.root, 'check', '--now', NOW);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^reliability-lens: No \.reliability\/ folder in .*\(`reliability-lens init` writes a starter one\)$/);
  });
});
