// Where the user sees that the editor backs off from a Prometheus under pressure: the Services view's
// Prometheus node (shown even when Prometheus answered) and the status bar's tooltip. The Output
// channel's line uses the same words (state/refreshPressure.ts backoffNoticeText).
import { strict as assert } from 'node:assert';
import { marked } from 'marked';
import type { SourceState } from '../../../src/core/model';
import type { BackoffNotice } from '../../../src/state/refreshPressure';
import { COMMANDS } from '../../../src/views/ids';
import type { Markdown } from '../../../src/views/markdown';
import { budgetTooltip } from '../../../src/views/statusBar/budgetText';
import { buildServiceNodes } from '../../../src/views/tree/serviceNodes';
import { sloReport } from '../builders/reportBuilders';
import { snapshot, viewState } from './viewBuilders';

const MINUTE = 60_000;
const AT = Date.parse('2026-12-02T14:15:00Z');
const THROTTLED: BackoffNotice = { pressure: { kind: 'throttled', answers: 2 }, nextAt: AT + 20 * MINUTE, periodic: true, at: AT };
const NOTICE_TEXT = 'Prometheus asked to slow down (429/503, 2 answers): next refresh in 20 min (14:35 UTC)';

/** What a reader sees of a tooltip, rendered as VS Code's markdown renderer would. */
function visible(markdown: Markdown | undefined): string {
  assert.ok(markdown, 'a tooltip');
  return marked
    .parse(markdown.value, { gfm: true, breaks: true, async: false })
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

function prometheus(state: SourceState['state'], message?: string): SourceState {
  return { name: 'prometheus', host: 'prom.example.com', state, message, load: { requests: 8, throttled: 2, slowestMs: 400 } };
}

describe('backing off from Prometheus, where the user looks', () => {
  it('shows an answering Prometheus in the Services view while refreshes back off, with why and when', () => {
    const state = viewState({ snapshot: snapshot({ sources: [prometheus('ok')], sloReports: [sloReport({ name: 'availability', service: 'checkout' })] }), backoff: THROTTLED });
    const node = buildServiceNodes(state).find((candidate) => candidate.id.endsWith(':source:prometheus'));
    assert.ok(node, 'a Prometheus node');
    assert.equal(node.label, 'prometheus (prom.example.com): ok');
    assert.equal(node.description, 'backing off');
    assert.equal(node.icon?.id, 'watch');
    assert.equal(node.command?.command, COMMANDS.showLog);
    assert.match(visible(node.tooltip), new RegExp(`${NOTICE_TEXT.replace(/[()/]/g, '\\$&')}.*Refresh asks at once\\.`));
  });

  it('shows no Prometheus node when it answered without pressure', () => {
    const nodes = buildServiceNodes(viewState({ snapshot: snapshot({ sources: [prometheus('ok')] }) }));
    assert.equal(nodes.some((node) => node.id.endsWith(':source:prometheus')), false);
  });

  it('adds the backoff to a failing Prometheus node, keeping its reason', () => {
    const reason = 'Prometheus at prom.example.com timed out after 10 s';
    const node = buildServiceNodes(viewState({ snapshot: snapshot({ sources: [prometheus('failing', reason)] }), backoff: THROTTLED })).find((candidate) =>
      candidate.id.endsWith(':source:prometheus'),
    );
    assert.ok(node);
    assert.equal(node.description, 'retry');
    const text = visible(node.tooltip);
    assert.ok(text.includes(reason) && text.includes(NOTICE_TEXT), text);
  });

  it('marks only Prometheus: another source that answered stays hidden', () => {
    const pagerDuty: SourceState = { name: 'pagerduty', host: 'api.pagerduty.com', state: 'ok' };
    const nodes = buildServiceNodes(viewState({ snapshot: snapshot({ sources: [pagerDuty] }), backoff: THROTTLED }));
    assert.equal(nodes.some((node) => node.id.includes(':source:')), false);
  });

  it('says it in the status bar tooltip, before what a click does', () => {
    const report = sloReport({ name: 'availability', service: 'checkout' });
    const text = visible(budgetTooltip('shop', [report], THROTTLED));
    assert.ok(text.indexOf(NOTICE_TEXT) > text.indexOf('checkout / availability'), text);
    assert.ok(text.indexOf(NOTICE_TEXT) < text.indexOf('Click to open the Reliability Dashboard.'), text);
    assert.equal(visible(budgetTooltip('shop', [report])).includes('Prometheus'), false);
  });
});
