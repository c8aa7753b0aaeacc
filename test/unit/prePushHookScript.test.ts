// The pre-push hook is a shell script holding paths from the machine and the repository: each is one
// single-quoted word, so a path with quotes, `$(...)` or spaces is passed as it is and never run.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HOOK_MARKER, isOurHook, prePushHookScript, shellWord } from '../../src/core/prePushHook';

describe('pre-push hook script', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-hook-script-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('passes hostile paths to node as single words, and runs nothing they hold', () => {
    const hostile = path.join(dir, `it's $(touch pwned) "x" \`touch pwned2\``);
    fs.mkdirSync(hostile);
    const record = path.join(dir, 'argv.json');
    // A stand-in for node that writes down the arguments it was given and exits as `check` would on freeze.
    const fakeNode = path.join(hostile, 'node');
    fs.writeFileSync(fakeNode, `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify(process.argv.slice(2)));\nprocess.exit(1);\n`, { mode: 0o755 });
    const cliPath = path.join(hostile, 'cli.js');
    fs.writeFileSync(cliPath, '');
    const workspace = `apps/it's $(touch pwned3)`;
    const script = prePushHookScript({ nodePath: fakeNode, cliPath, workspace, chained: false });
    assert.ok(isOurHook(script));
    assert.equal(script.split('\n')[1], HOOK_MARKER);
    const hook = path.join(dir, 'pre-push');
    fs.writeFileSync(hook, script, { mode: 0o755 });

    const run = spawnSync('sh', [hook, 'origin', 'url'], { cwd: dir, encoding: 'utf8', input: '' });
    assert.equal(run.status, 1, 'a freeze blocks the push');
    assert.match(run.stderr, /push blocked: the merge check says freeze/);
    assert.deepEqual(JSON.parse(fs.readFileSync(record, 'utf8')), [cliPath, 'check', '--workspace', workspace]);
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith('pwned')), []);
    assert.equal(shellWord("a'b"), `'a'\\''b'`);
  });

  it('lets the push go when the check cannot decide, saying so', () => {
    const fakeNode = path.join(dir, 'undecided-node');
    fs.writeFileSync(fakeNode, `#!${process.execPath}\nprocess.exit(2);\n`, { mode: 0o755 });
    const cliPath = path.join(dir, 'cli.js');
    fs.writeFileSync(cliPath, '');
    const hook = path.join(dir, 'pre-push-undecided');
    fs.writeFileSync(hook, prePushHookScript({ nodePath: fakeNode, cliPath, workspace: '', chained: false }), { mode: 0o755 });
    const run = spawnSync('sh', [hook, 'origin', 'url'], { cwd: dir, encoding: 'utf8', input: '' });
    assert.equal(run.status, 0);
    assert.match(run.stderr, /the merge check could not decide \(exit 2, see above\); the push goes ahead/);
  });
});
