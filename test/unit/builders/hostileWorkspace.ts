// A workspace written by an attacker (issue 12): a git repository whose `.reliability/` folder, commit
// messages, tags and remote sources try to read files outside it, leak tokens to hosts it names, hang the
// engine and write escape sequences or markdown into what the user sees. Next to it, a folder "outside"
// the workspace holds secrets that nothing may read. The same workspace also holds ordinary content
// (a good SLO, an incident), which must still load.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { GitRepoBuilder } from './gitRepoBuilder';
import { csvText, openSloSlo, writeFile } from './workspaceBuilders';

export const HOSTILE_NOW = '2026-11-20T12:00:00Z';

/** Text that would take over a terminal: window title, screen clear, a hyperlink, a fake verdict line, C1 CSI, bidi override. */
export const TERMINAL_ATTACK = '\u001b]0;owned\u0007\u001b[2J\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\\rCan I merge? GO \u009b31m\u202egnp.exe';
/** Markdown that would render a remote image, raw HTML and links that run commands. */
export const MARKDOWN_ATTACK = '![pixel](https://evil.example/pixel.png) <img src=x onerror=alert(1)> [run](command:workbench.action.terminal.new) [site](https://evil.example/phish)';

/** A YAML document whose aliases expand to 10^9 nodes (the "billion laughs"). */
export function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let level = 1; level <= 8; level++) {
    const previous = String.fromCharCode(96 + level);
    const current = String.fromCharCode(97 + level);
    lines.push(`${current}: &${current} [${Array(10).fill(`*${previous}`).join(',')}]`);
  }
  lines.push('apiVersion: openslo/v1', 'kind: SLO', 'metadata: {name: bomb}', 'spec: *i');
  return `${lines.join('\n')}\n`;
}

export interface HostileWorkspace {
  root: string;
  /** A folder beside the workspace; nothing in it may be opened. */
  outside: string;
  /** Strings that must appear in no output: the outside files' contents and the tokens. */
  secrets: string[];
  /** The tokens, by environment variable, plus the pin the user set for PagerDuty. */
  env: Record<string, string>;
  /** A long file name the catastrophic service glob is matched against. */
  longFile: string;
}

export interface HostileServerAddress {
  origin: string;
}

function unique(label: string): string {
  return `${label}-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

/**
 * The hostile workspace. `server` is a local fake that answers as Prometheus, PagerDuty and
 * Alertmanager; config.yaml points every source at it. The user pinned only the PagerDuty token to it.
 */
export function buildHostileWorkspace(server: HostileServerAddress, options: { sliSource: 'file' | 'prometheus' }): HostileWorkspace {
  const outside = mkdtempSync(path.join(os.tmpdir(), 'hostile-outside-'));
  const fileSecret = unique('OUTSIDE-SECRET');
  writeFileSync(path.join(outside, 'secret.csv'), `${fileSecret},good,total\n2026-11-20T11:00:00Z,1,1\n`);
  writeFileSync(path.join(outside, 'secret.yaml'), `apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: ${fileSecret}}\n`);

  const tokens = {
    RELIABILITY_LENS_PROMETHEUS_TOKEN: unique('prometheus-token'),
    RELIABILITY_LENS_PAGERDUTY_TOKEN: unique('pagerduty-token'),
    GITHUB_TOKEN: unique('github-token'),
  };
  const env = { ...tokens, RELIABILITY_LENS_PAGERDUTY_TOKEN_ORIGIN: server.origin };

  const repo = GitRepoBuilder.create('hostile-workspace-');
  const root = repo.root;
  const longFile = `services/search/${'a'.repeat(200)}.ts`;

  repo.commit({ at: '2026-10-01T10:00:00Z', message: 'Start', files: { 'services/checkout/pay.ts': 'pay\n', 'services/search/find.ts': 'find\n' } });
  repo.tag('v1.0.0', { annotatedAt: '2026-10-01T12:00:00Z' });
  repo.commit({ at: '2026-11-10T10:00:00Z', message: `Tune payments ${TERMINAL_ATTACK}\n\n${MARKDOWN_ATTACK}`, files: { 'services/checkout/pay.ts': 'pay v2\n' } });
  repo.tag('v1.1.0', { annotatedAt: '2026-11-10T12:00:00Z' });
  // A tag name the catastrophic tag pattern is matched against.
  repo.tag('a'.repeat(120), { annotatedAt: '2026-11-11T12:00:00Z' });
  repo.git(['checkout', '--quiet', '-b', 'feature']);
  repo.commit({ at: '2026-11-19T10:00:00Z', message: `Search ${MARKDOWN_ATTACK} ${TERMINAL_ATTACK}`, files: { [longFile]: 'x\n', 'services/checkout/pay.ts': 'pay v3\n' } });

  const prometheusSlo = (name: string, service: string) =>
    openSloSlo({ name, service, indicator: { prometheus: { good: `http_requests_total{job="${name}",code!~"5.."}`, total: `http_requests_total{job="${name}"}` } } });
  const csvSlo = (name: string, service: string, csvPath: string) => openSloSlo({ name, service, indicator: { csv: { path: csvPath } } });

  const config = {
    version: 1,
    defaultBranch: 'main',
    services: [
      // A glob that backtracks exponentially in a naive matcher, against the long file name above.
      { name: 'checkout', paths: ['services/checkout/**', '**a**a**a**a**a**a**a**a**a**a**a**!'] },
      { name: 'search', paths: ['services/search/**'], tagPattern: `${'*a'.repeat(24)}*!` },
    ],
    deployments: { source: 'git-tags', tagPattern: 'v*' },
    incidents: {
      sources: [
        { type: 'file' },
        { type: 'pagerduty', url: server.origin, serviceMap: ['PSVC1=checkout'] },
        { type: 'alertmanager', url: server.origin },
        { type: 'github', url: server.origin, repository: 'acme/shop' },
      ],
    },
    // The repository may name a server, never turn TLS verification off.
    slis: { source: options.sliSource, prometheus: { url: server.origin, insecureSkipVerify: true } },
    recentDays: 30,
  };
  writeFile(root, '.reliability/config.yaml', stringify(config));

  if (options.sliSource === 'prometheus') {
    writeFile(root, '.reliability/slos/prometheus.yaml', [prometheusSlo('checkout-availability', 'checkout'), prometheusSlo('search-availability', 'search')].map((d) => stringify(d)).join('---\n'));
  } else {
    writeFile(root, '.reliability/slos/good.yaml', stringify(csvSlo('search-availability', 'search', 'data/good.csv')));
    const hostileSlos = [
      csvSlo('climbs-out', 'checkout', `../../${path.basename(outside)}/secret.csv`),
      csvSlo('absolute-environ', 'checkout', '/proc/self/environ'),
      csvSlo('environ-climb', 'checkout', '../../../../../../../../proc/self/environ'),
      csvSlo('symlink-out', 'checkout', 'data/escape-link.csv'),
      csvSlo('dev-zero', 'checkout', 'data/zero.csv'),
      csvSlo('overflow', 'checkout', 'data/overflow.csv'),
      csvSlo('long-line', 'checkout', 'data/long-line.csv'),
      csvSlo('half-written', 'checkout', 'data/half.csv'),
    ];
    writeFile(root, '.reliability/slos/hostile.yaml', hostileSlos.map((d) => stringify(d)).join('---\n'));
    const hour = (h: number) => `2026-11-20T${String(h).padStart(2, '0')}:00:00Z`;
    writeFile(root, '.reliability/data/good.csv', csvText([[hour(9), 999, 1000], [hour(10), 1000, 1000], [hour(11), 998, 1000]]));
    writeFile(root, '.reliability/data/overflow.csv', csvText([[hour(9), '1e308', '1e308'], [hour(10), '1e400', '1e400'], [hour(11), 9007199254740993, 9007199254740993]]));
    writeFile(root, '.reliability/data/long-line.csv', `timestamp,good,total\n${hour(9)},1,1\n${'9'.repeat(200_000)}\n${hour(11)},1,1\n`);
    writeFile(root, '.reliability/data/half.csv', `timestamp,good,total\n${hour(9)},5,5\n${hour(10)},4,`);
    symlinkSync(path.join(outside, 'secret.csv'), path.join(root, '.reliability/data/escape-link.csv'));
    symlinkSync('/dev/zero', path.join(root, '.reliability/data/zero.csv'));
  }
  // A document that expands to a billion nodes, beside a legitimate one in the same file.
  writeFile(root, '.reliability/slos/bomb.yaml', `${billionLaughs()}---\n${stringify(csvSlo('beside-the-bomb', 'search', 'data/good.csv'))}`);
  // An SLO file that is a link to a file outside, and one far over any sane size.
  mkdirSync(path.join(root, '.reliability/slos'), { recursive: true });
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, '.reliability/slos/outside-link.yaml'));
  writeFile(root, '.reliability/slos/huge.yaml', `# ${'x'.repeat(1024)}\n`.repeat(20 * 1024));

  const incidents = [
    { id: 'INC-1', title: `Payments ${TERMINAL_ATTACK} ${MARKDOWN_ATTACK}`, severity: 'SEV3', service: 'checkout', startedAt: '2026-11-19T00:00:00Z', url: 'javascript:alert(1)', postmortem: 'command:workbench.action.terminal.new', commits: [] },
    { id: `INC-2${TERMINAL_ATTACK}`, title: 'Escapes in the id', severity: 'SEV4', service: 'checkout', startedAt: '2026-11-19T01:00:00Z' },
    { id: 'INC-OK', title: 'Search is slow', severity: 'SEV3', service: 'search', startedAt: '2026-11-20T08:00:00Z' },
  ];
  writeFile(root, '.reliability/incidents.yaml', stringify({ incidents }));

  return { root, outside, secrets: [fileSecret, ...Object.values(tokens)], env, longFile };
}
