// What the VSIX ships (issue 14, ready for the marketplaces): vsce's own listing (the files `vsce ls`
// prints, through its API) over this checkout, whose src/, test/, .cache/, node_modules/ and
// test-results/ are all on disk. Only the bundles, media, the manifest and the documents may ship;
// every file the manifest points at must.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { listFiles, PackageManager } from '@vscode/vsce';

const ROOT = path.resolve(__dirname, '..', '..');

/** Everything the extension needs at run time or on its marketplace page, and nothing else. */
const SHIPPABLE: readonly RegExp[] = [
  /^package\.json$/,
  /^package\.nls(\.[a-z-]+)?\.json$/,
  /^README\.md$/,
  /^CHANGELOG\.md$/,
  /^LICENSE$/,
  /^dist\/extension\.js$/,
  /^dist\/webview\/[^/]+\.(js|css)$/,
  /^media\/(dashboard|icons|walkthrough)\/[^/]+\.(css|png|svg|md)$/,
  /^l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/,
];

interface Manifest {
  main: string;
  icon: string;
  l10n?: string;
  contributes: { viewsContainers: { activitybar: Array<{ icon: string }> }; views: Record<string, Array<{ icon?: string }>>; walkthroughs: Array<{ steps: Array<{ media: { markdown?: string; image?: string } }> }> };
}

describe('the VSIX contents (vsce ls)', function () {
  this.timeout(60_000);
  let listed: string[];
  const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;

  before(async () => {
    listed = (await listFiles({ cwd: ROOT, packageManager: PackageManager.None })).map((file) => file.split(path.sep).join('/')).sort();
  });

  it('ships only bundles, media, the manifest and its documents: no sources, tests, maps, tooling or caches', () => {
    const unexpected = listed.filter((file) => !SHIPPABLE.some((pattern) => pattern.test(file)));
    assert.deepEqual(unexpected, [], `files that would ship: ${unexpected.join(', ')}`);
    // The checkout has all of these on disk, so the listing above really left them out.
    for (const present of ['src/extension.ts', 'test/unit/packageContents.test.ts', 'node_modules/zod/package.json', 'tsconfig.json', 'esbuild.js']) {
      assert.ok(existsSync(path.join(ROOT, present)), `${present} is in the checkout`);
    }
  });

  it('ships every file the manifest names, its texts, the changelog and the licence', () => {
    const named = [
      manifest.icon,
      ...manifest.contributes.viewsContainers.activitybar.map((container) => container.icon),
      ...manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps.flatMap((step) => [step.media.markdown, step.media.image])),
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      'package.json',
      // The manifest's own texts (its %key% placeholders).
      'package.nls.json',
    ].filter((file): file is string => typeof file === 'string' && !file.startsWith('$('));
    for (const file of new Set(named.map((name) => path.posix.normalize(name)))) assert.ok(listed.includes(file), `${file} ships`);
    // The bundles exist once built (npm test builds before the unit suites).
    const main = path.posix.normalize(manifest.main);
    if (existsSync(path.join(ROOT, main))) assert.ok(listed.includes(main), `${main} ships`);
  });
});
