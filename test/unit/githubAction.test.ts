import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkoutPullRequest, createPullRequestRepository, removeCheckout, type PullRequestRepository } from './builders/pullRequestCheckout';

const ROOT = path.resolve(__dirname, '../..');
const BUNDLE = path.join(ROOT, 'action', 'dist', 'index.js');

interface ActionRun {
  code: number;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
  /** The workflow commands of the log, as the runner reads them. */
  commands: Array<{ command: string; properties: Record<string, string>; message: string }>;
}

/** The runner's multiline output syntax read back: `name<<DELIMITER`, lines, the delimiter. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (!match) continue;
    const end = lines.indexOf(match[2], i + 1);
    assert.ok(end > i, `no closing delimiter for ${match[1]}`);
    outputs[match[1]] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

function parseCommands(stdout: string): ActionRun['commands'] {
  const unescape = (text: string) => text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  return stdout
    .split('\n')
    .filter((line) => line.trimStart().startsWith('::'))
    .map((line) => {
      const match = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line)!;
      const properties: Record<string, string> = {};
      for (const pair of (match[2] ?? '').split(',').filter(Boolean)) properties[pair.slice(0, pair.indexOf('='))] = unescape(pair.slice(pair.indexOf('=') + 1));
      return { command: match[1], properties, message: unescape(match[3]) };
    });
}

/** Runs the committed bundle as the runner does: node, the step's environment, nothing else. */
function runAction(workspace: string, options: { event?: object; inputs?: Record<string, string>; baseRef?: string }): ActionRun {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-action-run-'));
  try {
    const files = { event: path.join(scratch, 'event.json'), output: path.join(scratch, 'output'), summary: path.join(scratch, 'summary.md') };
    fs.writeFileSync(files.event, JSON.stringify(options.event ?? {}));
    fs.writeFileSync(files.output, '');
    fs.writeFileSync(files.summary, '');
    const inputs = { base: '', workspace: '.', strict: 'false', 'fail-on': 'freeze', 'github-token': '', ...options.inputs };
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: scratch,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: files.event,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_WORKSPACE: workspace,
      GITHUB_API_URL: 'http://127.0.0.1:9',
      ...(options.baseRef === undefined ? {} : { GITHUB_BASE_REF: options.baseRef }),
    };
    for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    const run = spawnSync(process.execPath, [BUNDLE], { cwd: workspace, env, encoding: 'utf8' });
    assert.equal(run.stderr, '', 'nothing on stderr');
    return {
      code: run.status ?? -1,
      stdout: run.stdout,
      outputs: parseOutputs(fs.readFileSync(files.output, 'utf8')),
      summary: fs.readFileSync(files.summary, 'utf8'),
      commands: parseCommands(run.stdout),
    };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function pullRequestEvent(number: number, headSha: string, labels: string[] = []) {
  return { action: 'synchronize', number, pull_request: { number, base: { ref: 'main' }, head: { sha: headSha, ref: 'feature' }, labels: labels.map((name) => ({ name })) } };
}

describe('the GitHub Action (action/dist/index.js)', function () {
  this.timeout(120_000);

  it('is the bundle `npm run build:action` builds from the sources (rebuild and compare bytes)', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-action-bundle-'));
    try {
      const outfile = path.join(scratch, 'index.js');
      const build = spawnSync(process.execPath, ['esbuild.js', '--action', '--outfile', outfile], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(build.status, 0, build.stderr);
      assert.ok(fs.readFileSync(outfile).equals(fs.readFileSync(BUNDLE)), 'action/dist/index.js is stale: run `npm run build:action` and commit it');
      // And git keeps it (no ignore rule hides it), so what GitHub checks out is this file.
      const tracked = spawnSync('git', ['ls-files', '--error-unmatch', 'action/dist/index.js'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(tracked.status, 0, `action/dist/index.js is not in git: ${tracked.stderr}`);
      const ignored = spawnSync('git', ['check-ignore', '--no-index', '-q', 'action/dist/index.js'], { cwd: ROOT });
      assert.equal(ignored.status, 1, 'an ignore rule matches action/dist/index.js');
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('action.yml runs the bundle on node24 with the inputs and outputs it reads and writes', () => {
    const text = fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8');
    const manifest = require('yaml').parse(text);
    assert.deepEqual(manifest.runs, { using: 'node24', main: 'action/dist/index.js' });
    assert.deepEqual(Object.keys(manifest.outputs), ['verdict', 'services', 'reasons']);
    for (const input of ['base', 'workspace', 'strict', 'fail-on', 'github-token', 'prometheus-token', 'prometheus-token-origin', 'pagerduty-token', 'opsgenie-token']) {
      assert.ok(input in manifest.inputs, input);
    }
    assert.equal(manifest.inputs['fail-on'].default, 'freeze');
  });

  describe('on a pull request of a generated repository', () => {
    // Set when these tests start, not when the file loads: the Action reads the clock, and the
    // repository's data and incident ages are relative to this.
    let now: number;
    let upstream: PullRequestRepository;
    const checkouts: string[] = [];
    const checkout = (branch: string) => {
      const root = checkoutPullRequest(upstream.repo, branch, now);
      checkouts.push(root);
      return root;
    };

    before(() => {
      now = Date.now();
      upstream = createPullRequestRepository(now);
    });
    after(() => {
      for (const root of checkouts) removeCheckout(root);
      upstream.remove();
    });

    it('freezes a change to checkout: exit 1, ten error annotations naming the SLO and incident, outputs and summary', () => {
      const run = runAction(checkout('feature/checkout'), { event: pullRequestEvent(12, upstream.heads['feature/checkout']), baseRef: 'main' });
      assert.equal(run.code, 1, run.stdout);
      assert.equal(run.outputs.verdict, 'freeze');
      assert.deepEqual(JSON.parse(run.outputs.services), ['checkout']);
      const reasons: string[] = JSON.parse(run.outputs.reasons);
      assert.match(reasons[0], /^SLO checkout-availability \(checkout\) is exhausted: SLI 98% against 99\.9%, budget remaining -1900%/);
      assert.match(reasons[1], /^incident INC-7 \(SEV2, checkout\) is open for 2h( \d+m)?: Payments time out \(freezes at SEV2 or worse\)$/);
      const errors = run.commands.filter((c) => c.command === 'error');
      assert.equal(errors.length, 10);
      assert.deepEqual(errors.map((c) => c.properties.file), Array.from({ length: 10 }, (_, i) => `services/checkout/part${String(i).padStart(2, '0')}.ts`));
      assert.equal(errors[0].properties.title, 'Merge freeze: SLO checkout-availability, incident INC-7');
      assert.deepEqual(errors[0].message.split('\n'), reasons);
      assert.deepEqual(run.commands.filter((c) => c.command === 'notice').map((c) => c.message), [
        '2 more changed files of frozen services not annotated (GitHub shows 10 errors per step); the job summary lists them all',
      ]);
      const summary = run.summary.split('\n');
      assert.equal(summary[0], '### 🔴 Can I merge? **FREEZE**');
      assert.match(summary[2], /^Services: checkout · compared with origin\\\/main · as of /);
      assert.ok(summary.includes('| checkout\\-availability | exhausted | \\-1900\\% | 98\\% / 99\\.9\\% | page 1h\\/5m &gt; 14\\.4×, page 6h\\/30m &gt; 6×, ticket 1d\\/2h &gt; 3×, ticket 3d\\/6h &gt; 1× |'), run.summary);
      assert.ok(summary.includes('- **🔴 freeze** (fails the gate): [INC\\-7](https://status.example.com/INC-7) (SEV2, opened 2 hours ago): Payments time out'), run.summary);
      assert.match(run.summary, /<summary>Evidence: 2 reasons, 12 changed files<\/summary>/);
      assert.match(run.stdout, /^Checking pull request #12 \([0-9a-f]{12}\) against origin\/main\.$/m);
      assert.match(run.stdout, /^The gate fails: the verdict is freeze and fail-on is freeze\.$/m);
    });

    it('cautions a change to search: exit 0 with a warning, exit 1 with strict or fail-on caution', () => {
      const root = checkout('feature/search');
      const event = pullRequestEvent(13, upstream.heads['feature/search']);
      const run = runAction(root, { event, baseRef: 'main' });
      assert.equal(run.code, 0, run.stdout);
      assert.equal(run.outputs.verdict, 'caution');
      assert.deepEqual(JSON.parse(run.outputs.services), ['search']);
      assert.deepEqual(run.commands.map((c) => [c.command, c.properties.file, c.properties.title]), [['warning', 'services/search/query.ts', 'Merge caution: SLO search-availability']]);
      assert.match(run.summary, /^### 🟡 Can I merge\? \*\*CAUTION\*\*\n/);
      assert.match(run.summary, /\| search\\-availability \| warning \| 20\\% \| 99\\\.92\\% \/ 99\\\.9\\% \| none \|/);
      assert.equal(runAction(root, { event, baseRef: 'main', inputs: { strict: 'true' } }).code, 1);
      const failOn = runAction(root, { event, baseRef: 'main', inputs: { 'fail-on': 'caution' } });
      assert.equal(failOn.code, 1);
      assert.match(failOn.summary, /- \*\*🟡 caution\*\* \(fails the gate\): SLO search\\-availability/);
    });

    it('lets a change to accounts go, with no annotation', () => {
      const run = runAction(checkout('feature/accounts'), { event: pullRequestEvent(14, upstream.heads['feature/accounts']), baseRef: 'main' });
      assert.equal(run.code, 0, run.stdout);
      assert.equal(run.outputs.verdict, 'go');
      assert.deepEqual(JSON.parse(run.outputs.reasons), ['SLO accounts-availability is healthy (budget remaining 100%)']);
      assert.deepEqual(run.commands, []);
      assert.match(run.summary, /^### 🟢 Can I merge\? \*\*GO\*\*\n/);
    });

    it("judges the pull request's own commits, not GitHub's merge commit: a fix of INC-7 goes through the freeze", () => {
      const root = checkout('fix/inc-7');
      const run = runAction(root, { event: pullRequestEvent(15, upstream.heads['fix/inc-7']), baseRef: 'main' });
      assert.equal(run.code, 0, run.stdout);
      assert.equal(run.outputs.verdict, 'go');
      assert.equal(JSON.parse(run.outputs.reasons)[0], 'exempt: fixes INC-7');
      assert.deepEqual(run.commands.map((c) => [c.command, c.properties.title]), [['warning', 'Freeze exempted (exempt: fixes INC-7): SLO checkout-availability, incident INC-7']]);
      // Without the event's head, HEAD (the merge commit, which names no incident) is part of the change.
      const withoutEvent = runAction(root, { baseRef: 'main' });
      assert.equal(withoutEvent.outputs.verdict, 'freeze');
    });

    it("lets a freeze through with the base policy's exempt label on the pull request, and says so", () => {
      const root = checkout('feature/checkout');
      const run = runAction(root, { event: pullRequestEvent(12, upstream.heads['feature/checkout'], ['docs', 'reliability-exempt']), baseRef: 'main' });
      assert.equal(run.code, 0, run.stdout);
      assert.equal(run.outputs.verdict, 'go');
      const reasons: string[] = JSON.parse(run.outputs.reasons);
      assert.equal(reasons[0], 'exempt (label reliability-exempt set on the pull request)');
      assert.match(run.summary, /^### 🟢 Can I merge\? \*\*GO\*\*\n/);
      assert.ok(run.summary.includes('**exempt \\(label reliability\\-exempt set on the pull request\\)**: the freeze below does not hold for this change.'), run.summary);
      assert.ok(run.summary.includes('#### checkout: 🔴 freeze (exempt)\n'), run.summary);
      const warnings = run.commands.filter((c) => c.command === 'warning');
      assert.equal(warnings.length, 10);
      assert.equal(warnings[0].properties.title, 'Freeze exempted (exempt (label reliability-exempt set on the pull request)): SLO checkout-availability, incident INC-7');
      assert.match(run.stdout, /; labels: docs, reliability-exempt\.$/m);
      // A label of another name exempts nothing.
      assert.equal(runAction(root, { event: pullRequestEvent(12, upstream.heads['feature/checkout'], ['exempt']), baseRef: 'main' }).outputs.verdict, 'freeze');
    });

    it('takes the base from the base input or the event when GITHUB_BASE_REF is not set', () => {
      const root = checkout('feature/search');
      const fromEvent = runAction(root, { event: pullRequestEvent(13, upstream.heads['feature/search']) });
      assert.equal(fromEvent.outputs.verdict, 'caution');
      assert.match(fromEvent.stdout, /against origin\/main\./);
      const fromInput = runAction(root, { event: pullRequestEvent(13, upstream.heads['feature/search']), inputs: { base: 'feature/search' } });
      assert.equal(fromInput.outputs.verdict, 'go');
      assert.deepEqual(JSON.parse(fromInput.outputs.services), []);
    });

    it('refuses a shallow checkout with the fix, and says what is wrong with an input or the event', () => {
      const shallow = upstream.repo.shallowClone(1);
      checkouts.push(shallow.root);
      const run = runAction(shallow.root, { event: pullRequestEvent(16, upstream.heads['feature/search']), baseRef: 'main' });
      assert.equal(run.code, 1);
      assert.deepEqual(run.commands.map((c) => [c.command, c.properties.title]), [['error', 'Shallow checkout']]);
      assert.match(run.commands[0].message, /^this is a shallow clone with only 1 commit present; run `git fetch --unshallow` so the change can be compared with its base\. .*actions\/checkout and `fetch-depth: 0`/);
      assert.deepEqual(run.outputs, {});

      const root = checkout('feature/search');
      const bad = runAction(root, { baseRef: 'main', inputs: { 'fail-on': 'sometimes' } });
      assert.equal(bad.code, 1);
      assert.equal(bad.commands[0].message, 'input fail-on is "sometimes": expected freeze, caution, never');
      const contradiction = runAction(root, { baseRef: 'main', inputs: { strict: 'true', 'fail-on': 'never' } });
      assert.equal(contradiction.commands[0].message, 'inputs strict: true and fail-on: never contradict each other; give one');
      const event = runAction(root, { baseRef: 'main', event: { pull_request: { number: 1, base: { ref: 'main' }, head: { sha: '--upload-pack=evil' } } } });
      assert.equal(event.code, 1);
      assert.match(event.commands[0].message, /is not a pull request event as GitHub sends it: pull_request\.head\.sha: expected a full commit SHA$/);
    });
  });
});
