// The code lenses and current-line annotations of a file (src/views/codeLens/lensModel.ts): which
// changes get a lens in each `reliabilityLens.codeLens.show` mode, and that a refresh which changed
// nothing of the file keeps the lenses shown (the same objects, no change event), so the code never jumps.
import { strict as assert } from 'node:assert';
import type { FileChange } from '../../../src/core/model';
import type { CodeLensShow } from '../../../src/state/config';
import { annotationAt, buildFileLensModel, FileLensModels, refreshLensModels, type FileLensModel } from '../../../src/views/codeLens/lensModel';
import { DAY, NOW } from '../builders/reportBuilders';
import { fileChange } from './viewBuilders';

const sha = (n: number) => String(n).repeat(40);

/** A busy file: five recent changes, one linked to INC-5, one shipped by the degraded v2, one owning no line. */
function busyFile(): FileChange[] {
  return [
    fileChange({ commit: sha(1), subject: 'Batch authorisations', time: NOW - 1 * DAY, lines: [[40, 44]], deployment: null }),
    fileChange({ commit: sha(2), subject: 'Speed up caching', time: NOW - 3 * DAY, lines: [[30, 34]], deployment: 'v2' }),
    fileChange({ commit: sha(3), subject: 'Retry payments with backoff (INC-5)', time: NOW - 5 * DAY, lines: [[20, 29]], deployment: 'v1', incidents: [{ id: 'INC-5', reason: 'fix' }] }),
    fileChange({ commit: sha(4), subject: 'Tidy logging', time: NOW - 6 * DAY, lines: [[10, 12], [50, 51]], deployment: 'v1' }),
    fileChange({ commit: sha(5), subject: 'Reverted retries', time: NOW - 7 * DAY, lines: [], deployment: 'v1', incidents: [{ id: 'INC-5', reason: 'root-cause' }] }),
  ];
}

function model(changes: FileChange[], show: CodeLensShow = 'linked', degraded = new Map([['v2', ['checkout-availability']]])): FileLensModel {
  return buildFileLensModel({
    changes,
    show,
    severities: new Map([['INC-5', 'SEV2' as const]]),
    degraded,
    now: NOW,
    lineText: (line) => (line >= 1 && line <= 60 ? `line ${line}` : undefined),
    lineCount: 60,
  });
}

describe('views/codeLens/lensModel', () => {
  it('linked (the default): the summary, then a lens per change linked to an incident or shipped by a degraded deployment', () => {
    const { lenses } = model(busyFile());
    assert.deepEqual(
      lenses.map((lens) => [lens.line, lens.title]),
      [
        [0, '5 recent changes · 1 incident (INC-5)'],
        [29, 'shipped v2 · which degraded checkout-availability · 3 days ago'],
        [19, 'INC-5 · SEV2 · fix · shipped v1 · 5 days ago'],
      ],
    );
    assert.deepEqual(lenses[0].incidentIds, ['INC-5']);
    assert.deepEqual(lenses[2].incidentIds, ['INC-5']);
    assert.deepEqual(lenses[1].incidentIds, [], 'a degraded deployment without incident opens nothing');
  });

  it('all: a lens per change that still owns a line; summary: the file lens only', () => {
    assert.deepEqual(
      model(busyFile(), 'all').lenses.map((lens) => lens.line),
      [0, 39, 29, 19, 9],
    );
    assert.deepEqual(
      model(busyFile(), 'summary').lenses.map((lens) => lens.title),
      ['5 recent changes · 1 incident (INC-5)'],
    );
    assert.deepEqual(model([], 'all').lenses, [], 'no recent change: no lens at all');
  });

  it('annotates every line a change owns with that change, and nothing elsewhere', () => {
    const built = model(busyFile());
    assert.equal(annotationAt(built, 41), 'Batch authorisations · not yet deployed · 1 day ago');
    assert.equal(annotationAt(built, 11), 'Tidy logging · shipped v1 · 6 days ago');
    assert.equal(annotationAt(built, 51), 'Tidy logging · shipped v1 · 6 days ago', 'its second range too');
    assert.equal(annotationAt(built, 25), 'Retry payments with backoff (INC-5) · INC-5 · SEV2 · fix · shipped v1 · 5 days ago');
    assert.equal(annotationAt(built, 13), undefined);
    assert.equal(annotationAt(built, 1), undefined);
    assert.equal(annotationAt(undefined, 11), undefined);
  });

  it('shortens a long subject and keeps hostile text on one inert line', () => {
    const long = fileChange({ subject: `${'x'.repeat(80)}\n\u001b[31mred\u202e`, lines: [[1, 2]], deployment: 'v1' });
    const text = annotationAt(model([long]), 1)!;
    assert.equal(text, `${'x'.repeat(59)}… · shipped v1 · 12 days ago`);
    const icon = fileChange({ subject: '$(alert) pay', lines: [[1, 1]], incidents: [{ id: '$(bug)', reason: 'fix' }] });
    assert.ok(model([icon]).lenses.every((lens) => !/(^|[^\\])\$\(/.test(lens.title)), 'lens titles escape $(icon) syntax');
  });

  it('a refresh with unchanged data keeps the same model and fires no change', async () => {
    const models = new FileLensModels();
    const first = models.settle('/w/pay.ts', model(busyFile()));
    assert.equal(first.changed, true, 'a first model is news');
    const fired: string[] = [];
    // A new snapshot of the same history and incidents: new objects, the same content.
    await refreshLensModels(models, ['/w/pay.ts'], async () => model(busyFile()), (file) => fired.push(file));
    assert.equal(fired.length, 0, 'no change event');
    assert.equal(models.current('/w/pay.ts'), first.model, 'the very model (and so the lens objects) shown before');
    // Not ready (an early snapshot while git reads): what is shown stays, and nothing fires.
    await refreshLensModels(models, ['/w/pay.ts'], async () => undefined, (file) => fired.push(file));
    assert.equal(fired.length, 0, 'no change event while not ready');
    assert.equal(models.current('/w/pay.ts'), first.model);
  });

  it('a refresh that changed the file fires once for that file only', async () => {
    const models = new FileLensModels();
    models.settle('/w/pay.ts', model(busyFile()));
    models.settle('/w/cart.ts', model(busyFile().slice(0, 2)));
    const fired: string[] = [];
    const linkedNow = busyFile().map((change) => (change.commit === sha(4) ? { ...change, incidents: [{ id: 'INC-7', reason: 'root-cause' as const }] } : change));
    await refreshLensModels(
      models,
      ['/w/pay.ts', '/w/cart.ts'],
      async (file) => (file === '/w/pay.ts' ? model(linkedNow) : model(busyFile().slice(0, 2))),
      (file) => fired.push(file),
    );
    assert.deepEqual(fired, ['/w/pay.ts']);
    assert.equal(models.current('/w/pay.ts')!.lenses.length, 4, 'the newly linked change got its lens');
    // A setting that changes what is shown is a change too.
    await refreshLensModels(models, ['/w/cart.ts'], async () => model(busyFile().slice(0, 2), 'summary'), (file) => fired.push(file));
    assert.deepEqual(fired, ['/w/pay.ts', '/w/cart.ts']);
  });

  it('a refresh where a deployment is newly found degraded gives its changes a lens', async () => {
    const models = new FileLensModels();
    models.settle('/w/pay.ts', model(busyFile(), 'linked', new Map()));
    assert.equal(models.current('/w/pay.ts')!.lenses.length, 2);
    const fired: string[] = [];
    await refreshLensModels(models, ['/w/pay.ts'], async () => model(busyFile()), (file) => fired.push(file));
    assert.deepEqual(fired, ['/w/pay.ts']);
    assert.equal(models.current('/w/pay.ts')!.lenses.length, 3);
  });
});
