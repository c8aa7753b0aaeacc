import { strict as assert } from 'node:assert';
import { createHttpClient } from '../../src/sources/http/httpClient';
import { COMMENT_MARKER, MAX_COMMENT_CHARACTERS, commentBody, repositoryName, upsertPullRequestComment } from '../../src/ci/action/pullRequestComment';
import { runAction } from '../../src/ci/action/runAction';
import { startFakeServer, type FakeServer } from './fakes/fakeServer';
import { gitHubCommentsHandler, type CommentsFake, type FakeComment } from './fakes/gitHubCommentsFake';
import { checkoutPullRequest, createPullRequestRepository, removeCheckout, type PullRequestRepository } from './builders/pullRequestCheckout';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const TOKEN = 'ghs_comment_token';
const REPOSITORY = 'octo/shop';

function people(count: number): FakeComment[] {
  return Array.from({ length: count }, (_, i) => ({ id: i + 1, body: `Looks good ${i}`, user: { login: `dev${i}`, type: 'User' as const } }));
}

describe('the Action: pull request comment', function () {
  this.timeout(60_000);
  let server: FakeServer;
  const state: CommentsFake = { comments: [], readOnly: false };
  const client = () => createHttpClient({ sourceName: 'GitHub', baseUrl: server.origin, token: { value: TOKEN, scheme: 'Bearer', origin: server.origin }, retries: 0 });

  before(async () => {
    server = await startFakeServer(gitHubCommentsHandler(REPOSITORY, 5, TOKEN, state, () => server.origin));
  });
  after(() => server.close());
  beforeEach(() => {
    state.comments = people(250);
    state.readOnly = false;
    server.requests.length = 0;
  });

  it('creates one comment after reading every page, then updates that one in place', async () => {
    assert.deepEqual(await upsertPullRequestComment(client(), REPOSITORY, 5, 'first report'), { action: 'created', id: 1_000_000 });
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`),
      [
        'GET /repos/octo/shop/issues/5/comments?per_page=100',
        'GET /repos/octo/shop/issues/5/comments?per_page=100&page=2',
        'GET /repos/octo/shop/issues/5/comments?per_page=100&page=3',
        'POST /repos/octo/shop/issues/5/comments?',
      ],
    );
    assert.equal(server.requests[3].headers['content-type'], 'application/json');
    assert.equal(state.comments.at(-1)!.body, `${COMMENT_MARKER}\nfirst report`);

    // More people comment; the next run finds its comment on page 3 of 4 and edits it.
    state.comments.push(...people(60).map((c) => ({ ...c, id: c.id + 500 })));
    server.requests.length = 0;
    assert.deepEqual(await upsertPullRequestComment(client(), REPOSITORY, 5, 'second report'), { action: 'updated', id: 1_000_000 });
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.path}`), [
      'GET /repos/octo/shop/issues/5/comments',
      'GET /repos/octo/shop/issues/5/comments',
      'GET /repos/octo/shop/issues/5/comments',
      'PATCH /repos/octo/shop/issues/comments/1000000',
    ]);
    assert.equal(state.comments.filter((c) => c.body.startsWith(COMMENT_MARKER)).length, 1);
    assert.equal(state.comments.find((c) => c.id === 1_000_000)!.body, `${COMMENT_MARKER}\nsecond report`);
    assert.ok(server.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`));
  });

  it("does not take a comment that only mentions the marker for its own", async () => {
    state.comments = [{ id: 9, body: `quoting: ${COMMENT_MARKER}`, user: { login: 'dev', type: 'User' } }];
    assert.equal((await upsertPullRequestComment(client(), REPOSITORY, 5, 'report')).action, 'created');
    assert.equal(state.comments[0].body, `quoting: ${COMMENT_MARKER}`);
  });

  it('fails with the 403 in plain words when the token may not write', async () => {
    state.readOnly = true;
    await assert.rejects(upsertPullRequestComment(client(), REPOSITORY, 5, 'report'), (error: Error & { reason?: string }) => {
      assert.equal(error.reason, 'forbidden');
      assert.match(error.message, /refused access \(403\): the token lacks a permission: Resource not accessible by integration/);
      return true;
    });
  });

  it('cuts a body longer than GitHub takes, and checks the repository name before it becomes a path', () => {
    const body = commentBody('x'.repeat(70_000));
    assert.equal(body.length, MAX_COMMENT_CHARACTERS);
    assert.ok(body.startsWith(COMMENT_MARKER) && body.endsWith('the job summary has the whole report.\n'));
    assert.equal(repositoryName('octo/shop'), 'octo/shop');
    for (const bad of ['octo', 'octo/shop/x', '../x', 'octo/..', 'a/b?c', undefined]) assert.equal(repositoryName(bad), null, String(bad));
  });

  describe('from the Action on a pull request', () => {
    const now = Date.now();
    let upstream: PullRequestRepository;
    let root: string;
    let scratch: string;
    before(() => {
      upstream = createPullRequestRepository(now);
      root = checkoutPullRequest(upstream.repo, 'feature/search', now);
      scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-comment-'));
    });
    after(() => {
      removeCheckout(root);
      upstream.remove();
      fs.rmSync(scratch, { recursive: true, force: true });
    });

    async function run(env: Record<string, string>) {
      const lines: string[] = [];
      const event = path.join(scratch, 'event.json');
      fs.writeFileSync(event, JSON.stringify({ pull_request: { number: 5, base: { ref: 'main' }, head: { sha: upstream.heads['feature/search'] }, labels: [] } }));
      const code = await runAction({
        env: { GITHUB_EVENT_PATH: event, GITHUB_BASE_REF: 'main', GITHUB_WORKSPACE: root, GITHUB_REPOSITORY: REPOSITORY, GITHUB_API_URL: server.origin, INPUT_COMMENT: 'true', 'INPUT_GITHUB-TOKEN': TOKEN, ...env },
        cwd: root,
        clock: () => now,
        stdout: (text) => lines.push(...text.split('\n')),
        readFile: (file) => fs.promises.readFile(file, 'utf8'),
        appendFile: (file, text) => fs.promises.appendFile(file, text),
      });
      return { code, lines };
    }

    it('comments with the job summary, and updates the same comment on the next run', async () => {
      const first = await run({});
      assert.equal(first.code, 0);
      assert.ok(first.lines.includes('Commented on pull request #5.'), first.lines.join('\n'));
      const ours = state.comments.filter((c) => c.body.startsWith(COMMENT_MARKER));
      assert.equal(ours.length, 1);
      assert.match(ours[0].body, /^<!-- reliability-lens: merge gate -->\n### 🟡 Can I merge\? \*\*CAUTION\*\*\n/);
      const second = await run({ 'INPUT_FAIL-ON': 'caution' });
      assert.equal(second.code, 1, 'the gate still decides the exit code');
      assert.ok(second.lines.includes('Updated the comment on pull request #5.'));
      assert.equal(state.comments.filter((c) => c.body.startsWith(COMMENT_MARKER)).length, 1);
      assert.match(state.comments.find((c) => c.body.startsWith(COMMENT_MARKER))!.body, /\(fails the gate\)/);
    });

    it('warns, and passes the gate, when the token may not comment (403)', async () => {
      state.readOnly = true;
      const result = await run({});
      assert.equal(result.code, 0, 'a caution still passes under fail-on freeze');
      const warning = result.lines.find((line) => line.startsWith('::warning title=Reliability Lens%3A no pull request comment::'));
      assert.ok(warning, result.lines.join('\n'));
      assert.match(warning, /refused access \(403\).*Give the job `permissions: pull-requests: write`.*The gate's verdict stands/);
    });

    it('sends the token only to GITHUB_API_URL: pinned elsewhere, the comment goes without it and is refused', async () => {
      const result = await run({ GITHUB_API_URL: server.origin, 'INPUT_GITHUB-TOKEN': TOKEN, GITHUB_TOKEN_ORIGIN: 'https://github.example.com' });
      assert.ok(server.requests.every((r) => r.headers.authorization === undefined), 'no request carried the token');
      assert.ok(result.lines.some((line) => line.startsWith('::warning title=Reliability Lens%3A no pull request comment::') && /requires a token \(401\)/.test(line)), result.lines.join('\n'));
    });
  });
});
