// The views' words are translatable (issue 14): the pure text modules call @vscode/l10n's t(), which the
// extension host configures with vscode.l10n.bundle (src/views/localization.ts). Here a bundle is
// configured as VS Code would hand it over for another display language, and the trees, the lens and
// the markdown tooltips speak it, with the data in them still escaped; without one they read English.
import { strict as assert } from 'node:assert';
import * as l10n from '@vscode/l10n';
import { buildFileLensModel } from '../../../src/views/codeLens/lensModel';
import { formatFileLensTitle, formatSloSummary, formatStatus } from '../../../src/views/format';
import { md, mdt } from '../../../src/views/markdown';
import { budgetTooltip } from '../../../src/views/statusBar/budgetText';
import { buildServiceNodes } from '../../../src/views/tree/serviceNodes';
import { NOW, sloReport } from '../builders/reportBuilders';
import { fileChange, snapshot, viewState } from './viewBuilders';

/** Part of a French bundle, keyed by the English message as `@vscode/l10n-dev export` writes it. */
const FRENCH: Record<string, string> = {
  healthy: 'sain',
  '{0} · {1} budget left': '{0} · {1} de budget restant',
  '1 recent change': '1 modification récente',
  '{0} · 1 incident ({1})': '{0} · 1 incident ({1})',
  'Burn rates': 'Taux de consommation',
  '**Error budget** · {0}': '**Budget d’erreur** · {0}',
  'Open the linked incidents': 'Ouvrir les incidents liés',
  'Budget: {0}': 'Budget : {0}',
};

describe('views: localisation', () => {
  afterEach(() => l10n.config({ contents: {} }));

  it('reads English without a bundle, placeholders filled as VS Code fills them', () => {
    assert.equal(formatStatus('healthy'), 'healthy');
    assert.equal(formatSloSummary(sloReport({ name: 'a', service: 's', sli: 0.9996, budget: { remaining: 0.62, consumed: 0.38 } })), '99.96% · 62% budget left');
    assert.equal(l10n.t('{0} of {1}', 'a', 2), 'a of 2');
    assert.equal(l10n.t('{name} and {0}', { name: 'x', 0: 'y' }), 'x and y');
  });

  it('speaks the bundle VS Code hands over: statuses, tree labels, lens titles and tooltips', () => {
    l10n.config({ contents: FRENCH });
    assert.equal(formatStatus('healthy'), 'sain');
    const report = sloReport({ name: 'checkout-availability', service: 'checkout', sli: 0.9996, budget: { remaining: 0.62, consumed: 0.38 } });
    assert.equal(formatSloSummary(report), '99.96% · 62% de budget restant');
    const change = fileChange({ incidents: [{ id: 'INC-5', reason: 'fix' }] });
    assert.equal(formatFileLensTitle([change]), '1 modification récente · 1 incident (INC-5)');
    const lens = buildFileLensModel({ changes: [change], show: 'summary', severities: new Map(), degraded: new Map(), now: NOW, lineText: () => 'x', lineCount: 30 });
    assert.equal(lens.lenses[0].tooltip, 'Ouvrir les incidents liés');
    const nodes = buildServiceNodes(viewState({ snapshot: snapshot({ sloReports: [report] }) }));
    const labels = JSON.stringify(nodes);
    assert.ok(labels.includes('Taux de consommation'), 'the burn-rate node is translated');
    // Untranslated messages keep their English.
    assert.ok(labels.includes('Time to exhaustion'));
  });

  it('escapes the data put into a translated markdown message, and only the data', () => {
    l10n.config({ contents: FRENCH });
    const tooltip = budgetTooltip('shop*[x](https://evil.example)', []);
    assert.ok(tooltip.value.startsWith('**Budget d’erreur** · shop\\*\\[x\\]\\(https\\:\\/\\/evil\\.example\\)'), tooltip.value);
    // A value's own `{1}` is text: values go in one pass.
    assert.equal(mdt(l10n.t('Budget: {0}'), '{1}', 'second').value, 'Budget : \\{1\\}');
    assert.equal(mdt('{0} and {1}', md`**a**`, 'b').value, '**a** and b');
  });
});
