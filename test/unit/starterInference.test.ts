// The pure rules behind `init`, the editor's starter and zero configuration: services from CODEOWNERS
// or folders, and the tag pattern from the tags, each with the reason a person reads.
import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { parseCodeowners } from '../../src/core/codeowners';
import { inferServices, type FolderFacts } from '../../src/core/serviceInference';
import { chooseTagPattern } from '../../src/core/tagPatternChoice';
import { planStarter, starterFiles, zeroConfigurationNote } from '../../src/core/starterFiles';

const NO_FOLDERS: FolderFacts = { rootName: 'shop', topLevel: [], children: {} };

describe('CODEOWNERS rules', () => {
  it('reads the pattern of each rule, undoing escapes, and skips comments and GitLab section headers', () => {
    const text = [
      '# owners',
      '',
      '/services/checkout/ @shop/checkout @alice',
      '  apps/web/**   @web # inline comment',
      '[Docs]',
      '^[Optional] @someone',
      'my\\ folder/ @x',
      '\\#hash/ @y',
      '/unowned/',
    ].join('\r\n');
    assert.deepEqual(parseCodeowners(text), [
      { pattern: '/services/checkout/', line: 3 },
      { pattern: 'apps/web/**', line: 4 },
      { pattern: 'my folder/', line: 7 },
      { pattern: '#hash/', line: 8 },
      { pattern: '/unowned/', line: 9 },
    ]);
  });
});

describe('services inferred from a repository', () => {
  it('takes the folders CODEOWNERS names, merging paths of one name and leaving out catch-alls and file types', () => {
    const inference = inferServices({
      folders: { rootName: 'shop', topLevel: ['services', 'docs'], children: { services: ['checkout', 'search'] } },
      codeowners: {
        file: '.github/CODEOWNERS',
        text: '* @all\n/services/checkout/ @a\n*.js @b\n/README.md @d\napps/web/** @e\ndocs/checkout/* @a\n/** @root\n',
      },
    });
    assert.deepEqual(inference.services, [
      { name: 'checkout', paths: ['/services/checkout/', 'docs/checkout/*'] },
      { name: 'web', paths: ['apps/web/**'] },
    ]);
    assert.equal(inference.reason, 'the paths of .github/CODEOWNERS (3 of 7 rules; the others name no folder)');
  });

  it('keeps a hostile CODEOWNERS pattern as a pattern, and a service name only in a name\'s characters', () => {
    const inference = inferServices({
      folders: NO_FOLDERS,
      codeowners: { file: 'CODEOWNERS', text: '/team/"x":{y}\u202e#/ @a\n/a\\\\b/ @b\n' },
    });
    // `\\` leaves a backslash, which service paths read as a slash: that rule is not kept.
    assert.deepEqual(inference.services, [{ name: 'x-y', paths: ['/team/"x":{y}\u202e#/'] }]);
  });

  it('falls back to folders when CODEOWNERS names none, and says so', () => {
    const inference = inferServices({
      folders: { rootName: 'shop', topLevel: ['api', 'web', 'docs', 'node_modules', 'src'], children: {} },
      codeowners: { file: 'CODEOWNERS', text: '* @everyone\n*.md @docs\n' },
    });
    assert.deepEqual(inference.services, [
      { name: 'api', paths: ['api/**'] },
      { name: 'web', paths: ['web/**'] },
    ]);
    assert.equal(inference.reason, 'the top-level folders; CODEOWNERS names no folder');
  });

  it('prefers the children of services/, apps/, packages/ (in that order), proposing only names that are names', () => {
    const inference = inferServices({
      folders: { rootName: 'shop', topLevel: ['apps', 'packages'], children: { apps: ['web', 'evil\n  paths: ["**"]', 'star*'], packages: ['ui'] } },
      codeowners: null,
    });
    assert.deepEqual(inference.services, [{ name: 'web', paths: ['apps/web/**'] }]);
    assert.equal(inference.reason, 'the folders in apps/');
  });

  it('makes the whole repository one service when there are no folders, or too many to be services', () => {
    assert.deepEqual(inferServices({ folders: { rootName: 'My Shop!', topLevel: [], children: {} }, codeowners: null }), {
      services: [{ name: 'my-shop', paths: ['**'] }],
      reason: 'the whole repository as one service (no folders to go by)',
    });
    const many = inferServices({ folders: { rootName: '---', topLevel: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], children: {} }, codeowners: null });
    assert.deepEqual(many.services, [{ name: 'app', paths: ['**'] }]);
    assert.equal(many.reason, 'the whole repository as one service (9 top-level folders are no services)');
  });
});

describe('the tag pattern chosen from the tags', () => {
  const names = (count: number, make: (i: number) => string) => Array.from({ length: count }, (_, i) => make(i));

  it('picks the prefix most versioned tags share, counting what the pattern matches', () => {
    const tags = [...names(37, (i) => `v1.${36 - i}.0`), 'nightly', 'release-1', 'build-7'];
    assert.deepEqual(chooseTagPattern({ read: true, names: tags }), {
      pattern: 'v*',
      fromTags: true,
      matching: 37,
      total: 40,
      reason: 'v* (37 of 40 tags match it: semver versions such as v1.36.0)',
    });
  });

  it('reads bare versions, dates, per-service prefixes and hostile prefixes', () => {
    assert.equal(chooseTagPattern({ read: true, names: ['2.0.1', '2.0.0', 'latest'] }).reason, '[0-9]* (2 of 3 tags match it: semver versions such as 2.0.1)');
    assert.equal(chooseTagPattern({ read: true, names: ['release-2026-01-05', 'release-20251201'] }).reason, 'release-* (2 of 2 tags match it: dates such as release-2026-01-05)');
    const perService = chooseTagPattern({ read: true, names: ['checkout/v1.2.0', 'search/v3.0', 'checkout/v1.1.0'] });
    assert.equal(perService.pattern, 'checkout/v*');
    assert.equal(perService.reason, 'checkout/v* (2 of 3 tags match it: semver versions such as checkout/v1.2.0)');
    // A prefix holding the glob's own characters matches them literally.
    assert.equal(chooseTagPattern({ read: true, names: ['a[b*?"#: x1', 'a[b*?"#: x2'] }).pattern, 'a[[]b[*][?]"#: x*');
  });

  it('says when it fell back to the default: no tags, no versions, or tags not read', () => {
    assert.equal(chooseTagPattern({ read: true, names: [] }).reason, 'v* (the default: this repository has no tags yet)');
    assert.equal(chooseTagPattern({ read: true, names: ['latest', 'stable'] }).reason, 'v* (the default: none of the 2 tags has a version number)');
    assert.deepEqual(chooseTagPattern({ read: false, why: 'not a git repository' }), {
      pattern: 'v*',
      fromTags: false,
      matching: 0,
      total: 0,
      reason: 'v* (the default: not a git repository)',
    });
  });
});

describe('starter files', () => {
  it('write every value from the repository as a string YAML reads back unchanged', () => {
    const hostileTag = 'x"\n#: {v';
    const plan = planStarter({
      folders: NO_FOLDERS,
      codeowners: { file: 'CODEOWNERS', text: '/a/"b":{c}\u0085\u2066/ @x\n' },
      tags: { read: true, names: [`${hostileTag}1.0`, `${hostileTag}1.1`] },
    });
    const files = starterFiles(plan);
    assert.deepEqual(files.map((f) => f.path), ['config.yaml', 'slos/b-c.yaml', 'data/b-c-availability.csv', 'incidents.yaml']);
    const config = parse(files[0].content);
    assert.deepEqual(config.services, [{ name: 'b-c', paths: ['/a/"b":{c}\u0085\u2066/'] }]);
    assert.equal(config.deployments.tagPattern, `${hostileTag}*`);
    for (const file of files) assert.doesNotMatch(file.content, /[\u0080-\u009f\u2066]/, file.path);
    assert.equal(
      zeroConfigurationNote(plan, 'Run init.'),
      'No .reliability/ here: deployments are the tags matching x" #: {v* (2 of 2 tags match it: version numbers such as x" #: {v1.0). Run init.',
    );
  });
});
