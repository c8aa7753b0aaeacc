// Markdown injection (issue 12, item 10): every tooltip, hover and the incident page is rendered here
// with marked, the parser VS Code renders MarkdownString with, and the HTML is checked for what a
// hostile value could make of it: links, images, raw HTML.
import { strict as assert } from 'node:assert';
import { marked } from 'marked';
import { changeHoverMarkdown } from '../../../src/views/codeLens/changeHover';
import { COMMANDS } from '../../../src/views/ids';
import { incidentPageMarkdown, missingIncidentMarkdown } from '../../../src/views/incidentPage';
import { Markdown, commandLink, escapeMarkdown, joinMarkdown, markdownTrust, md, webLink } from '../../../src/views/markdown';
import { budgetStatusText, budgetTooltip } from '../../../src/views/statusBar/budgetText';
import { buildDeliveryNodes } from '../../../src/views/tree/deliveryNodes';
import { buildIncidentNodes } from '../../../src/views/tree/incidentNodes';
import { buildServiceNodes } from '../../../src/views/tree/serviceNodes';
import type { ViewNode } from '../../../src/views/tree/viewNode';
import { escapeIcons, notificationText, singleLine } from '../../../src/views/untrustedText';
import { NOW, sloReport } from '../builders/reportBuilders';
import {
  EVIL_ID,
  EVIL_SUBJECT,
  EVIL_TITLE,
  ROOT,
  doraReport,
  fileChange,
  hostileDeployment,
  hostileIncidentView,
  snapshot,
  viewState,
} from './viewBuilders';

// ---- what the markdown becomes ------------------------------------------------------------------

/** HTML as VS Code's markdown renderer would produce it (marked, GFM, line breaks). */
function render(markdown: Markdown): string {
  return marked.parse(markdown.value, { gfm: true, breaks: true, async: false });
}

function hrefs(html: string): string[] {
  return [...html.matchAll(/<a\s[^>]*href="([^"]*)"/g)].map((match) => match[1]);
}

/** The visible text: tags dropped, entities read back. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

// Everything the views write themselves; any other tag came from data.
const OUR_TAGS = new Set(['p', 'strong', 'em', 'ul', 'li', 'h1', 'h2', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'a', 'br']);

/** No image, no raw HTML, and no link but the ones `allowedLink` accepts. */
function assertInert(markdown: Markdown, where: string, allowedLink: (href: string) => boolean = () => false): string {
  const html = render(markdown);
  const tags = [...html.matchAll(/<([a-z0-9]+)[\s>/]/gi)].map((match) => match[1].toLowerCase());
  for (const tag of tags) assert.ok(OUR_TAGS.has(tag), `${where} renders <${tag}>:\n${markdown.value}\n${html}`);
  assert.doesNotMatch(html, /<img|<script|<[a-z]+\s[^>]*\son[a-z]+=/i, `${where} renders HTML from data:\n${html}`);
  for (const href of hrefs(html)) assert.ok(allowedLink(href), `${where} links to ${href}:\n${markdown.value}`);
  return html;
}

function tooltips(nodes: readonly ViewNode[]): Array<{ label: string; tooltip: Markdown }> {
  return nodes.flatMap((node) => [
    ...(node.tooltip ? [{ label: node.label, tooltip: node.tooltip }] : []),
    ...tooltips(node.children ?? []),
  ]);
}

const hostileSnapshot = snapshot({
  incidents: [hostileIncidentView()],
  deployments: [hostileDeployment()],
  dora: doraReport(),
  sloReports: [
    sloReport({ name: '[slo](https://evil.example/slo)', service: '**bold** $(terminal)', error: '<img src=x onerror=alert(1)> from prometheus' }),
  ],
  problems: [{ file: '.reliability/slos/[x](https://evil.example).yaml', line: 3, column: 1, severity: 'error', message: EVIL_TITLE }],
  sources: [{ name: 'pagerduty', host: 'evil.example', state: 'failing', message: '![p](https://evil.example/p.png) HTTP 500' }],
});

// ---- escaping ------------------------------------------------------------------------------------

describe('markdown: escaping data', () => {
  it('escapes every ASCII punctuation character and makes HTML inert', () => {
    assert.equal(escapeMarkdown('a*b_c [d](e) #1 <i>&'), 'a\\*b\\_c \\[d\\]\\(e\\) \\#1 &lt;i&gt;&amp;');
    for (const text of ['\\', '`x`', '{}', '+-.!|~', ':/@', '"\'', '$(x)', '=', '^']) {
      assert.equal(textOf(render(md`${text}`)).trim(), text, `${text} renders as typed`);
    }
  });

  it('keeps data on one line, without control characters, terminal escapes or bidi overrides', () => {
    assert.equal(escapeMarkdown('a\n# b\r\n\u2028c'), 'a \\# b c');
    assert.equal(escapeMarkdown('red\u001b[31m\u0007 text\u202e\u0000'), 'red text');
    assert.equal(singleLine(' \tone\n\ntwo  '), 'one two');
  });

  it('renders a data value that is markdown as the text it is: no image, link, HTML or autolink', () => {
    const html = assertInert(md`**${EVIL_TITLE}** ${EVIL_SUBJECT} ${'mail@evil.example'}`, 'one line');
    assert.ok(textOf(html).includes(EVIL_TITLE));
    assert.ok(textOf(html).includes(EVIL_SUBJECT));
  });

  it('cannot be handed markdown except through this module', () => {
    const forged = { value: '[x](https://evil.example)', commands: [COMMANDS.openIncident] } as unknown as Markdown;
    assert.equal(forged instanceof Markdown, false);
    assert.deepEqual(hrefs(render(md`${forged}`)), []);
    assert.throws(() => new (Markdown as unknown as new (key: symbol, value: string) => Markdown)(Symbol('Markdown'), '[x](y)'));
  });
});

describe('markdown: links', () => {
  it('links only http(s) addresses, shown as themselves, with parentheses and spaces encoded', () => {
    const html = render(webLink('https://wiki.example.com/Post mortem (1)'));
    assert.deepEqual(hrefs(html), ['https://wiki.example.com/Post%20mortem%20%281%29']);
    assert.equal(textOf(html).trim(), 'https://wiki.example.com/Post mortem (1)');
    assert.deepEqual(hrefs(render(webLink('http://status.example.com/INC-7'))), ['http://status.example.com/INC-7']);
  });

  it('leaves command:, file:, vscode:, javascript: and data: addresses, credentials and junk as plain text', () => {
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'command:workbench.action.terminal.new',
      'file:///etc/passwd',
      'vscode://ms-vscode.remote/x',
      'data:text/html,<script>alert(1)</script>',
      'https://docs.example.com@evil.example/',
      'not a url](https://evil.example)',
    ]) {
      const html = assertInert(webLink(url), url);
      assert.equal(textOf(html).trim(), singleLine(url));
    }
  });

  it('builds command links only for our commands, with any argument text kept inside the link', () => {
    // An unbalanced `)` would end the link destination early if it were left unencoded.
    const args = [{ root: ROOT, ids: [EVIL_ID, 'INC-2)'] }];
    const link = commandLink(EVIL_ID, COMMANDS.openIncident, args);
    const [href, ...others] = hrefs(render(link));
    assert.deepEqual(others, []);
    assert.ok(href.startsWith(`command:${COMMANDS.openIncident}?`));
    assert.deepEqual(JSON.parse(decodeURIComponent(href.slice(href.indexOf('?') + 1))), args);
    assert.deepEqual(markdownTrust(link), { enabledCommands: [COMMANDS.openIncident] });
    assert.deepEqual(markdownTrust(joinMarkdown([md`a`, link, link])), { enabledCommands: [COMMANDS.openIncident] });
    assert.equal(markdownTrust(md`${EVIL_TITLE}`), false);
  });
});

// ---- every place the editor renders markdown -----------------------------------------------------

describe('markdown: hostile data in the editor', () => {
  for (const trusted of [true, false]) {
    it(`keeps every tree tooltip inert (${trusted ? 'trusted' : 'Restricted Mode'})`, () => {
      const state = viewState({ snapshot: hostileSnapshot, trusted, error: '[log](command:workbench.action.terminal.new)' });
      const all = tooltips([...buildServiceNodes(state), ...buildDeliveryNodes(state), ...buildIncidentNodes(state)]);
      assert.ok(all.length > 10, 'the tooltips under test');
      for (const { label, tooltip } of all) {
        assertInert(tooltip, `the tooltip of ${label}`);
        assert.equal(markdownTrust(tooltip), false, `the tooltip of ${label} needs no trust`);
      }
      const incident = all.find(({ label }) => label.startsWith(EVIL_ID));
      assert.ok(incident && textOf(render(incident.tooltip)).includes(EVIL_TITLE), 'the incident tooltip shows the title as typed');
    });
  }

  it('keeps the incident page inert: title, table cells, commits, files, links', () => {
    const page = incidentPageMarkdown(hostileIncidentView(), [hostileDeployment()], NOW);
    const html = assertInert(page, 'the incident page');
    const text = textOf(html);
    for (const typed of [EVIL_ID, EVIL_TITLE, EVIL_SUBJECT, '**bold** $(terminal)', 'javascript:alert(1)', '[f](file:///etc/passwd)', '<script>alert(1)</script> | | extra cell |']) {
      assert.ok(text.includes(typed), `the page shows ${typed} as typed`);
    }
    // Still one two-column table of ten rows: the `|` in the source's name made no cell.
    assert.equal((html.match(/<tr>/g) ?? []).length, 10);
    assert.equal((html.match(/<td>/g) ?? []).length, 18);
    assertInert(missingIncidentMarkdown(EVIL_TITLE), 'the missing-incident page');
  });

  it('links the incident page to an http(s) incident URL and postmortem, and nothing else', () => {
    const page = incidentPageMarkdown(
      hostileIncidentView({ url: 'https://pagerduty.example.com/incidents/P1', postmortem: 'https://wiki.example.com/pm (INC-1)' }),
      [hostileDeployment()],
      NOW,
    );
    const html = assertInert(page, 'the incident page', (href) => href.startsWith('https://') && !href.includes('evil.example'));
    assert.deepEqual(hrefs(html), ['https://pagerduty.example.com/incidents/P1', 'https://wiki.example.com/pm%20%28INC-1%29']);
  });

  it('keeps the code lens hover inert, its only links opening the linked incidents', () => {
    const incident = hostileIncidentView();
    const hover = changeHoverMarkdown(
      fileChange({ subject: EVIL_SUBJECT, author: '<b>Mallory</b> [me](https://evil.example)', deployment: 'v1](https://evil.example/tag)', incidents: [{ id: EVIL_ID, reason: 'root-cause' }, { id: 'INC-9)', reason: 'fix' }] }),
      new Map([[incident.id, incident]]),
      ROOT,
      NOW,
    );
    const html = assertInert(hover, 'the hover', (href) => href.startsWith(`command:${COMMANDS.openIncident}?`));
    const opened = hrefs(html).map((href) => JSON.parse(decodeURIComponent(href.slice(href.indexOf('?') + 1))));
    assert.deepEqual(opened, [[{ root: ROOT, ids: [EVIL_ID] }], [{ root: ROOT, ids: ['INC-9)'] }]]);
    assert.deepEqual(markdownTrust(hover), { enabledCommands: [COMMANDS.openIncident] });
    for (const typed of [EVIL_SUBJECT, EVIL_TITLE, '<b>Mallory</b>']) assert.ok(textOf(html).includes(typed), `the hover shows ${typed}`);
  });

  it('keeps the status bar text and tooltip inert: no icon, link or formatting from a service name', () => {
    const report = sloReport({ name: '[slo](command:workbench.action.terminal.new)', service: '$(terminal) **x**' });
    assert.equal(budgetStatusText(report), '$(pulse) \\$(terminal) **x** 50% budget');
    const tooltip = budgetTooltip('shop <img src=x>', [report]);
    assertInert(tooltip, 'the status bar tooltip');
    assert.equal(markdownTrust(tooltip), false);
  });
});

describe('plain texts that VS Code still interprets', () => {
  // renderLabelWithIcons (status bar, code lens titles, quick picks) draws these unless escaped.
  const ICON = /(\\)?\$\(([A-Za-z0-9-]+(?:~[A-Za-z]+)?)\)/g;
  // VS Code's parseLinkedText: notification messages turn these into links that may run commands.
  const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

  it('escapes every icon in data', () => {
    const text = escapeIcons('INC-1 $(terminal) $(loading~spin) \\$(x)');
    const live = [...text.matchAll(ICON)].filter((match) => match[1] === undefined);
    assert.deepEqual(live, []);
  });

  it('breaks the links a notification would make of data', () => {
    const text = notificationText(`Can I merge: FREEZE · ${EVIL_ID} is open: ${EVIL_TITLE}\nsecond line`);
    assert.deepEqual([...text.matchAll(NOTIFICATION_LINK)], []);
    assert.equal(text.includes('\n'), false);
  });
});
