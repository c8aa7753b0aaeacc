// Issue 12: a workspace written by an attacker, opened through the CLI and through the editor's view
// models. Whatever the repository holds, no file outside it is opened, no token reaches a host the user
// did not pin, every command returns with plain problems, the ordinary content still loads, and no
// output carries a control character, a secret or live markdown.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServerResponse } from 'node:http';
import { environmentTokens } from '../../src/sources/remoteSources';
import { loadSnapshot, mergeCheck } from '../../src/workspace/engine';
import type { WorkspaceSnapshot } from '../../src/workspace/snapshot';
import { buildDeliveryNodes } from '../../src/views/tree/deliveryNodes';
import { buildIncidentNodes } from '../../src/views/tree/incidentNodes';
import { buildServiceNodes } from '../../src/views/tree/serviceNodes';
import { treeItemText, type ViewNode } from '../../src/views/tree/viewNode';
import { notificationText } from '../../src/views/untrustedText';
import { toDashboardData } from '../../src/views/dashboard/projection';
import { changeHoverMarkdown } from '../../src/views/codeLens/changeHover';
import { incidentPageMarkdown } from '../../src/views/incidentPage';
import { cliWithEnv, type CliResult } from './builders/cliRunner';
import { HOSTILE_NOW, buildHostileWorkspace, type HostileWorkspace } from './builders/hostileWorkspace';
import { sendJson, startFakeServer, type FakeServer, type RecordedRequest } from './fakes/fakeServer';

const PROJECT_ROOT = fs.realpathSync(path.resolve(__dirname, '../..'));
const NOW = Date.parse(HOSTILE_NOW);
/** C0 (but newline), DEL, C1 and bidi controls: none may reach a terminal or a view. */
const CONTROL_CHARACTER = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** A secret of the test process's own environment, which a read of /proc/self/environ would print. */
const ENVIRONMENT_SECRET = `ENV-SECRET-${process.pid}-${Date.now()}`;

// ---- the attacker's servers ----------------------------------------------------------------------

/** Answers as Prometheus (infinite and negative counts), PagerDuty (one record with a nonsense time) and Alertmanager (a reply that never ends). */
function hostileServerHandler(request: RecordedRequest, response: ServerResponse): void {
  if (request.path.endsWith('/api/v1/query')) {
    const names = [...(new URLSearchParams(request.body).get('query') ?? '').matchAll(/"((?:good|total|bad):[^"]+)"/g)].map((m) => m[1]);
    const result = names.map((name, i) => ({ metric: { rl_series: name }, value: [NOW / 1000, i % 2 === 0 ? '+Inf' : '-1'] }));
    sendJson(response, 200, { status: 'success', data: { resultType: 'vector', result } });
  } else if (request.path.endsWith('/api/v1/status/buildinfo')) {
    sendJson(response, 200, { status: 'success', data: { version: '2.42.0\u001b[2J' } });
  } else if (request.path.endsWith('/incidents')) {
    const incident = (number: number, createdAt: string, title: string) => ({
      id: `PINC${number}`,
      incident_number: number,
      title,
      status: 'triggered',
      urgency: 'high',
      priority: { id: 'P1', summary: 'P1' },
      created_at: createdAt,
      resolved_at: null,
      last_status_change_at: createdAt,
      service: { id: 'PSVC1', type: 'service_reference', summary: 'Checkout API' },
      html_url: 'https://acme.pagerduty.com/incidents/1',
    });
    sendJson(response, 200, {
      incidents: [incident(1, 'yesterday-ish', 'Open SEV2 with a nonsense time'), incident(2, '2026-11-20T09:00:00Z', 'Checkout down \u001b]0;x\u0007')],
      limit: 100,
      offset: 0,
      more: false,
    });
  } else if (request.path.endsWith('/api/v2/alerts')) {
    // An answer that never ends: only a cap on response size stops the reader.
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.write('[');
    const chunk = `${'{"labels":{"alertname":"x"},"annotations":{},"startsAt":"2026-11-20T10:00:00Z","status":{"state":"active"}},'.repeat(8000)}`;
    let written = 0;
    const pump = () => {
      while (written < 2048 && !response.destroyed) {
        written++;
        if (!response.write(chunk)) return void response.once('drain', pump);
      }
      response.end('{}]');
    };
    response.on('close', () => (written = Infinity));
    pump();
  } else {
    sendJson(response, 404, { message: 'Not Found' });
  }
}

// ---- what the process opens ----------------------------------------------------------------------

type AnyFunction = (...args: any[]) => any;

/** Records the path of every file the process opens through node:fs until `stop()`. */
function recordOpenedFiles(): { opened: string[]; stop(): void } {
  const opened: string[] = [];
  const restore: Array<() => void> = [];
  const wrap = (target: any, name: string) => {
    const original: AnyFunction = target[name];
    target[name] = function (this: unknown, file: unknown, ...rest: unknown[]) {
      if (typeof file === 'string' || file instanceof URL || Buffer.isBuffer(file)) opened.push(file instanceof URL ? file.pathname : String(file));
      return original.call(this, file, ...rest);
    };
    restore.push(() => (target[name] = original));
  };
  // The module object itself (an `import * as` namespace is read-only): what the engine's calls look up.
  const nodeFs = require('node:fs') as typeof fs;
  for (const name of ['open', 'openSync', 'readFile', 'readFileSync', 'createReadStream']) wrap(nodeFs, name);
  for (const name of ['open', 'readFile']) wrap(nodeFs.promises, name);
  syncBuiltinESMExports();
  return {
    opened,
    stop() {
      for (const undo of restore.reverse()) undo();
      syncBuiltinESMExports();
    },
  };
}

function realPathOrResolved(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Files opened outside the workspace, other than the project's own modules (and tsx's cache of them,
 * which only exists under test) and the engine's git temp files.
 */
function openedOutside(opened: readonly string[], workspace: HostileWorkspace): string[] {
  const root = fs.realpathSync(workspace.root);
  const temporary = fs.realpathSync(os.tmpdir());
  const ours = (real: string) =>
    isInside(real, temporary) && (path.basename(path.dirname(real)).startsWith('reliability-lens-git-') || path.relative(temporary, real).startsWith('tsx-'));
  return opened.filter((file) => {
    const real = realPathOrResolved(file);
    return !(isInside(real, root) || isInside(real, PROJECT_ROOT) || ours(real));
  });
}

// ---- checks on what the user sees ----------------------------------------------------------------

function assertNoSecret(text: string, secrets: readonly string[], where: string): void {
  for (const secret of [...secrets, ENVIRONMENT_SECRET]) assert.ok(!text.includes(secret), `${where} holds the secret ${secret}`);
}

function assertClean(text: string, secrets: readonly string[], where: string): void {
  const control = CONTROL_CHARACTER.exec(text);
  assert.equal(control, null, `${where} holds control character U+${control?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} near ${JSON.stringify(text.slice(Math.max(0, (control?.index ?? 0) - 40), (control?.index ?? 0) + 40))}`);
  assertNoSecret(text, secrets, where);
  assert.doesNotMatch(text, /internal error|\n\s+at .+\(.+:\d+:\d+\)/, `${where} holds an internal error or a stack trace`);
}

/** Markdown that renders no image, no raw HTML and no link the data chose. */
function assertInertMarkdown(markdown: string, where: string): void {
  assert.doesNotMatch(markdown, /(?<!\\)!(?<!\\)\[[^\]]*(?<!\\)\]\(/, `${where} renders an image: ${markdown}`);
  assert.doesNotMatch(markdown, /<img|<a\s|onerror=/i, `${where} holds raw HTML: ${markdown}`);
  assert.doesNotMatch(markdown, /(?<!\\)\]\((?:command:|javascript:|https:\/\/evil\.example)/, `${where} links where the data says: ${markdown}`);
}

function everyString(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) everyString(item, into);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) everyString(item, into);
  return into;
}

// ---- the suite -----------------------------------------------------------------------------------

describe('a hostile workspace (issue 12)', function () {
  // Hang guard only: a regression that loops or backtracks fails here instead of stalling the run.
  this.timeout(60_000);

  let server: FakeServer;
  let fileMode: HostileWorkspace;
  let prometheusMode: HostileWorkspace;

  before(async () => {
    process.env.RELIABILITY_LENS_TEST_SECRET = ENVIRONMENT_SECRET;
    server = await startFakeServer(hostileServerHandler);
    fileMode = buildHostileWorkspace(server, { sliSource: 'file' });
    prometheusMode = buildHostileWorkspace(server, { sliSource: 'prometheus' });
  });

  after(async () => {
    delete process.env.RELIABILITY_LENS_TEST_SECRET;
    await server.close();
    for (const workspace of [fileMode, prometheusMode]) {
      fs.rmSync(workspace.root, { recursive: true, force: true });
      fs.rmSync(workspace.outside, { recursive: true, force: true });
    }
  });

  /** Runs one CLI command the way CI would, recording the files it opens. */
  async function run(workspace: HostileWorkspace, ...argv: string[]): Promise<CliResult & { opened: string[] }> {
    const recorder = recordOpenedFiles();
    try {
      const result = await cliWithEnv(workspace.env, workspace.root, ...argv, '--now', HOSTILE_NOW);
      return { ...result, opened: recorder.opened };
    } finally {
      recorder.stop();
    }
  }

  const COMMANDS: string[][] = [['report'], ['report', '--json'], ['check'], ['check', '--json', '--strict'], ['incidents'], ['incidents', '--json'], ['dora'], ['sources'], ['lens', 'services/checkout/pay.ts'], ['lens', 'services/checkout/pay.ts', '--json'], ['check', '--format', 'markdown'], ['check', '--format', 'github'], ['check', '--format', 'junit']];

  for (const mode of ['file', 'prometheus'] as const) {
    for (const argv of COMMANDS) {
      it(`${mode} mode: \`${argv.join(' ')}\` returns plainly, opens nothing outside, prints no secret or control character`, async () => {
        const workspace = mode === 'file' ? fileMode : prometheusMode;
        const result = await run(workspace, ...argv);
        assert.ok([0, 1, 2].includes(result.code), `exit code ${result.code}`);
        assertClean(result.stdout, workspace.secrets, 'stdout');
        assertClean(result.stderr, workspace.secrets, 'stderr');
        assert.deepEqual(openedOutside(result.opened, workspace), []);
        // The recorder saw the workspace's own files, so an empty list above means something.
        assert.ok(result.opened.some((file) => file.endsWith(path.join('.reliability', 'config.yaml'))), 'config.yaml was opened');
        if (argv.includes('--json')) JSON.parse(result.stdout);
      });
    }
  }

  it("check's CI formats keep the attacks inert: markdown links nothing the data chose, every annotation stays one command, JUnit has no markup of the data's", async () => {
    const markdown = (await run(fileMode, 'check', '--format', 'markdown')).stdout;
    assertInertMarkdown(markdown, 'check --format markdown');
    assert.doesNotMatch(markdown, /<\/?(?!details>|summary>|br>)[a-z]/i, 'no HTML tag but the report\'s own');
    const github = (await run(fileMode, 'check', '--format', 'github')).stdout.split('\n');
    for (const line of github) {
      // A line is one of our commands, or the verdict's own text: nothing a value wrote starts a command.
      if (line.startsWith('::')) assert.match(line, /^::(error|warning|notice)( (file|title)=[^,:]*(,(file|title)=[^,:]*)*)?::[^\r\n]*$/, line);
      else assert.match(line, /^(Can I merge\? |  - )/, line);
    }
    const junit = (await run(fileMode, 'check', '--format', 'junit')).stdout;
    const tags = junit.match(/<\/?[a-z-]+/g) ?? [];
    assert.deepEqual([...new Set(tags.map((tag) => tag.replace('/', '')))].sort(), ['<failure', '<properties', '<property', '<system-out', '<testcase', '<testsuite', '<testsuites'].filter((tag) => tags.some((t) => t.replace('/', '') === tag)));
  });

  it('sends no token to a host the user did not pin; the pinned PagerDuty token goes only to its pin', async () => {
    await run(prometheusMode, 'report', '--json');
    await run(fileMode, 'report', '--json');
    await run(fileMode, 'sources');
    assert.ok(server.requests.length > 0, 'the sources were contacted');
    const unpinned = [fileMode, prometheusMode].flatMap((w) => [w.env.RELIABILITY_LENS_PROMETHEUS_TOKEN, w.env.GITHUB_TOKEN]);
    const pinned = [fileMode, prometheusMode].map((w) => w.env.RELIABILITY_LENS_PAGERDUTY_TOKEN);
    for (const request of server.requests) {
      const sent = JSON.stringify({ headers: request.headers, path: request.path, query: [...request.query], body: request.body });
      for (const token of unpinned) assert.ok(!sent.includes(token), `an unpinned token reached ${request.path}`);
      if (pinned.some((token) => sent.includes(token))) assert.ok(request.path.endsWith('/incidents'), `the PagerDuty token reached ${request.path}`);
    }
  });

  it('loads the ordinary content beside the attacks, and reports each attack as a problem at its file', async () => {
    const report = (await run(fileMode, 'report', '--json')).json();
    const search = report.services.find((s: { name: string }) => s.name === 'search');
    const good = search.slos.find((s: { name: string }) => s.name === 'search-availability');
    assert.equal(good.total, 3000);
    assert.equal(good.good, 2997);
    assert.ok(search.slos.some((s: { name: string }) => s.name === 'beside-the-bomb'), 'the document beside the alias bomb loads');
    assert.ok(report.incidents.some((i: { id: string }) => i.id === 'INC-OK'));
    const files = new Set(report.problems.map((p: { file: string }) => p.file));
    for (const file of ['.reliability/slos/bomb.yaml', '.reliability/slos/huge.yaml', '.reliability/slos/outside-link.yaml', '.reliability/data/zero.csv', '.reliability/data/overflow.csv', '.reliability/data/long-line.csv', '.reliability/data/half.csv']) {
      assert.ok([...files].some((f) => String(f).endsWith(file.replace('.reliability/', ''))), `a problem names ${file}; problems: ${JSON.stringify(report.problems)}`);
    }
    // JSON writes NaN and Infinity as null: every count, budget and burn rate must be a number.
    for (const slo of report.services.flatMap((s: { slos: any[] }) => s.slos)) {
      const numbers = [slo.good, slo.total, slo.budget.remaining, slo.budget.consumed, ...Object.values(slo.burnRates)];
      assert.ok(numbers.every((n) => typeof n === 'number'), `${slo.name} holds a number that is not finite: ${JSON.stringify(slo)}`);
      if (slo.error) assert.notEqual(slo.status, 'healthy', `${slo.name} has an error and reads healthy`);
    }
  });

  it('never says a silent go: an invalid PagerDuty record fails the source and the check names it, while its valid open incident still counts', async () => {
    const result = (await run(fileMode, 'check', '--json')).json();
    assert.notEqual(result.verdict, 'go');
    assert.ok(result.reasons.some((r: string) => /pagerduty/i.test(r) && /failing/.test(r)), JSON.stringify(result.reasons));
    const strict = await run(fileMode, 'check', '--strict');
    assert.notEqual(strict.code, 0);
  });

  it('in Prometheus mode, infinite and negative counts are an error with its reason, never healthy, and check cautions on them', async () => {
    const report = (await run(prometheusMode, 'report', '--json')).json();
    const slos = report.services.flatMap((s: { slos: Array<{ status: string; error?: string }> }) => s.slos);
    assert.ok(slos.length > 0);
    for (const slo of slos) {
      assert.notEqual(slo.status, 'healthy');
      assert.ok(slo.error, `SLO without an error: ${JSON.stringify(slo)}`);
    }
    const check = (await run(prometheusMode, 'check', '--json')).json();
    assert.notEqual(check.verdict, 'go');
  });

  describe('through the editor', () => {
    async function editorSnapshot(workspace: HostileWorkspace, trusted: boolean): Promise<{ snapshot: WorkspaceSnapshot; opened: string[] }> {
      const recorder = recordOpenedFiles();
      try {
        const snapshot = await loadSnapshot(workspace.root, {
          now: NOW,
          tokens: environmentTokens(workspace.env),
          allowRemote: trusted,
          allowGit: trusted,
        });
        return { snapshot, opened: recorder.opened };
      } finally {
        recorder.stop();
      }
    }

    for (const trusted of [true, false]) {
      it(`${trusted ? 'a trusted window' : 'Restricted Mode'}: the trees, the dashboard, hovers and the incident page hold no secret, control character or live markdown`, async () => {
        for (const workspace of [fileMode, prometheusMode]) {
          const { snapshot, opened } = await editorSnapshot(workspace, trusted);
          assert.deepEqual(openedOutside(opened, workspace), []);
          const state = { root: workspace.root, name: 'hostile', snapshot, loading: false, trusted, remoteEnabled: true };
          const nodes = [...buildServiceNodes(state), ...buildDeliveryNodes(state), ...buildIncidentNodes(state)];
          const visit = (node: ViewNode): void => {
            for (const text of everyString(treeItemText(node))) assertClean(text, workspace.secrets, 'a tree item');
            if (node.tooltip) {
              assertClean(node.tooltip.value, workspace.secrets, 'a tooltip');
              assertInertMarkdown(node.tooltip.value, 'a tooltip');
            }
            node.children?.forEach(visit);
          };
          nodes.forEach(visit);
          assert.ok(nodes.length > 0);
          // The webview makes every text inert where it sets it (inertLine in media/dashboard/main.ts); what it is sent holds no secret.
          for (const text of everyString(toDashboardData([state]))) assertNoSecret(text, workspace.secrets, 'the dashboard');
          for (const incident of snapshot.incidents) {
            const page = incidentPageMarkdown(incident, snapshot.deployments, NOW).value;
            assertClean(page, workspace.secrets, 'the incident page');
            assertInertMarkdown(page, 'the incident page');
          }
          if (trusted) {
            const change = await mergeCheck(snapshot, {});
            for (const reason of change.reasons) assertClean(notificationText(reason), workspace.secrets, 'a merge reason');
            for (const deployment of snapshot.deployments) {
              for (const commit of deployment.changes) {
                const hover = changeHoverMarkdown(
                  { commit: commit.sha, subject: commit.subject, time: commit.time, lines: [[1, 1]], deployment: deployment.name, incidents: [] },
                  new Map(snapshot.incidents.map((i) => [i.id, i])),
                  workspace.root,
                  NOW,
                ).value;
                assertInertMarkdown(hover, 'a code lens hover');
              }
            }
          }
        }
      });
    }
  });
});
