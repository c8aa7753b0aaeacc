// The Delivery view of a repository without .reliability/ (zero configuration): built from the very
// snapshot the engine loads from the tags `init` would pick, it says so first, in the CLI's words,
// offers to write it down, and shows the DORA numbers the CLI prints.
import { strict as assert } from 'node:assert';
import { cli } from '../builders/cliRunner';
import { GitRepoBuilder } from '../builders/gitRepoBuilder';
import { inferSetup, loadSnapshot } from '../../../src/workspace/engine';
import { buildDeliveryNodes, CREATE_STARTER_WRITES_IT_DOWN } from '../../../src/views/tree/deliveryNodes';
import { COMMANDS } from '../../../src/views/ids';
import { viewState } from './viewBuilders';

const NOW = '2026-11-20T12:00:00Z';

describe('Delivery view with zero configuration', function () {
  this.timeout(60_000);
  let repo: GitRepoBuilder;
  before(() => {
    repo = GitRepoBuilder.create('rl-zero-view-');
    repo.commit({ at: '2026-09-01T10:00:00Z', message: 'Initial', files: { 'api/a.ts': 'a\n', 'web/b.ts': 'b\n' } });
    for (let i = 0; i < 4; i++) {
      const day = new Date(Date.parse('2026-10-05T10:00:00Z') + i * 5 * 86_400_000).toISOString();
      repo.commit({ at: day, message: `Change ${i}`, files: { 'api/a.ts': `${i}\n` } });
      repo.tag(`v2.${i}.0`, { annotatedAt: day });
    }
    repo.tag('experiment');
  });
  after(() => repo.remove());

  it('says which tags are deployments and why, offers Create Starter, then shows the CLI\'s DORA numbers', async () => {
    const inferred = await inferSetup(repo.root);
    const snapshot = await loadSnapshot(repo.root, { now: Date.parse(NOW), allowRemote: false, inferred });
    assert.deepEqual(snapshot.config.services.map((service) => service.name), ['api', 'web']);
    const nodes = buildDeliveryNodes(viewState({ root: repo.root, snapshot }));

    const [note, ...rest] = nodes;
    assert.equal(note.label, 'No .reliability/ here');
    assert.equal(note.description, `deployments are the tags matching v* (4 of 5 tags match it: semver versions such as v2.3.0). ${CREATE_STARTER_WRITES_IT_DOWN}`);
    assert.deepEqual(note.command, { command: COMMANDS.createStarter, title: 'Create Starter .reliability/ Folder', arguments: [] });

    // The same words as the CLI's note, but for how to write it down.
    const printed = await cli(repo.root, 'dora', '--json', '--now', NOW);
    assert.equal(printed.stderr.replace('Run `reliability-lens init` to write it down.', CREATE_STARTER_WRITES_IT_DOWN), `${note.label}: ${note.description}`);
    assert.equal(snapshot.dora?.deployments, printed.json().deployments);
    assert.equal(snapshot.dora?.deployments, 4);
    // Then the view as with .reliability/: the DORA metrics and the deployments.
    assert.deepEqual(
      rest.map((node) => node.label),
      ['Deployment frequency', 'Lead time for changes', 'Change failure rate', 'Failed deployment recovery', 'Time to restore', 'Rework rate', 'Recent deployments'],
    );
    assert.equal(rest[0].description, '0.31/week · medium ↑');
    assert.equal(rest[6].description, '4 latest');
  });

  it('shows no note for a workspace with .reliability/', async () => {
    const nodes = buildDeliveryNodes(viewState());
    assert.ok(!nodes.some((node) => node.id.endsWith(':zeroConfiguration')));
  });
});
