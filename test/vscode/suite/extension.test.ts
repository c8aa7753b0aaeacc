// Runs inside desktop VS Code (see ../runTests.ts) on the demo workspace: the extension activates from
// its contributed events, registers its commands and views, and Can I Merge? reaches the same verdict
// as the CLI for the demo's feature branch.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { COMMANDS, DASHBOARD_TITLE, VIEWS } from '../../../src/views/ids';
import { outputChannelLogs } from '../../e2e/logs';

const EXTENSION_ID = 'reliability-lens.reliability-lens';

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is set by test/vscode/runTests.ts`);
  return value;
}

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Lines of the extension's "Reliability Lens" output channel, read from its log file. */
function outputLines(): string[] {
  return outputChannelLogs(env('RELIABILITY_LENS_TEST_LOGS'), EXTENSION_ID).flatMap((file) => fs.readFileSync(file, 'utf8').split('\n'));
}

describe('Reliability Lens in VS Code', () => {
  let extension: vscode.Extension<unknown>;

  before(async () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is installed as the extension under development`);
    extension = found;
    await extension.activate();
  });

  it('activates on the demo workspace', () => {
    assert.equal(extension.isActive, true);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.equal(folder, env('RELIABILITY_LENS_TEST_WORKSPACE'));
  });

  it('registers every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: Array<{ command: string }> = extension.packageJSON.contributes.commands;
    for (const { command } of contributed) assert.ok(registered.has(command), `${command} is registered`);
    for (const command of [COMMANDS.findIncident, COMMANDS.canIMerge, COMMANDS.openDashboard, COMMANDS.refresh]) {
      assert.ok(registered.has(command), `${command} is registered`);
    }
  });

  it('contributes the Reliability views', () => {
    const views: Array<{ id: string; name: string }> = extension.packageJSON.contributes.views[VIEWS.container];
    assert.deepEqual(
      views.map((v) => v.id),
      [VIEWS.services, VIEWS.delivery, VIEWS.incidents],
    );
    assert.deepEqual(
      views.map((v) => v.name),
      ['Services & SLOs', 'Delivery', 'Incidents'],
    );
  });

  it('Can I Merge? gives the verdict the CLI gives', async () => {
    const workspace = env('RELIABILITY_LENS_TEST_WORKSPACE');
    // The command waits on its notification, which nobody dismisses here: don't await it. It logs its
    // full verdict to the output channel first. While data is still loading it only warns, so retry.
    const verdict = await until('a merge verdict in the output channel', 90_000, async () => {
      const line = outputLines().find((l) => /Can I merge \(.*\): (GO|CAUTION|FREEZE)/.test(l));
      if (line) return /: (GO|CAUTION|FREEZE)\s*$/.exec(line)?.[1];
      void vscode.commands.executeCommand(COMMANDS.canIMerge);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      return undefined;
    });
    // Electron runs as Node for the CLI.
    const cli = spawnSync(process.execPath, [env('RELIABILITY_LENS_TEST_CLI'), 'check', '--workspace', workspace, '--json', '--offline'], {
      cwd: workspace,
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    assert.ok(cli.stdout, `the CLI answered: ${cli.stderr}`);
    assert.equal(verdict, (JSON.parse(cli.stdout) as { verdict: string }).verdict.toUpperCase());
  });

  it('opens the dashboard', async () => {
    await vscode.commands.executeCommand(COMMANDS.openDashboard);
    const tab = await until('the dashboard tab', 30_000, () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((t) => t.label === DASHBOARD_TITLE),
    );
    assert.ok(tab.input instanceof vscode.TabInputWebview, 'the dashboard is a webview panel');
  });
});
