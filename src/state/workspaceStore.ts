// Finds the folders holding `.reliability/`, keeps one snapshot per folder fresh, and tells the views
// when it changed. Loads run in the background: a newer load aborts the one it supersedes (closing the
// folder aborts the current one; the signal stops git), and a failed load keeps the last good
// snapshot on screen with the reason next to it. A first load shows SLOs and incidents as soon as
// they are in and delivery history when git has read it (snapshotLoads.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LastGoodData } from '../workspace/lastGood';
import type { WorkspaceSnapshot } from '../workspace/snapshot';
import { affectsSetting, readConfig } from './config';
import { Disposable, disposeAll } from '../views/dispose';
import { loadEngine } from '../views/engineModule';
import { CONTEXT_WORKSPACE_STATE } from '../views/ids';
import type { WorkspaceDiscoveryState } from '../views/ids';
import type { TokenStore } from './secrets';
import { savedTokenProvider } from './tokenOrigins';
import { LoadRuns, evaluationTime, showsEarlySnapshot } from './snapshotLoads';
import { formatLoadLine, formatMemory, memoryFigures } from './loadLog';
import type { WorkspaceViewState } from '../views/tree/viewNode';

/** Editors save in bursts and git rewrites several refs per command: one reload per burst. */
const CHANGE_DEBOUNCE_MS = 500;

export class ReliabilityWorkspace extends Disposable {
  snapshot: WorkspaceSnapshot | undefined;
  loading = false;
  error: string | undefined;

  private readonly runs = new LoadRuns();
  /** Until the first complete snapshot is shown: its log lines say how long after activation each stage came. */
  private firstLoad = true;
  private debounce: NodeJS.Timeout | undefined;
  /** Each remote source's last good answer: a failing source keeps showing it, marked stale. */
  private readonly lastGood = new LastGoodData();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor(
    readonly root: string,
    readonly folder: vscode.WorkspaceFolder,
    private readonly tokens: TokenStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly onNotFound: () => void,
    /** performance.now() when the extension activated. */
    private readonly activatedAt: number,
  ) {
    super();
    this.watchGit();
    this._register({ dispose: () => this.cancel() });
    // What git's reads keep between loads goes with the folder (a folder that no longer exists has none).
    this._register({ dispose: () => void loadEngine().then((engine) => engine.forgetRepositoryReads(this.root)).catch(() => undefined) });
  }

  get name(): string {
    const relative = path.relative(this.folder.uri.fsPath, this.root);
    return relative ? `${this.folder.name}/${relative.split(path.sep).join('/')}` : this.folder.name;
  }

  viewState(): WorkspaceViewState {
    const config = readConfig(this.folder.uri);
    return {
      root: this.root,
      name: this.name,
      snapshot: this.snapshot,
      loading: this.loading,
      error: this.error,
      trusted: vscode.workspace.isTrusted,
      remoteEnabled: config.remoteSourcesEnabled,
      recentDays: config.recentDays,
    };
  }

  contains(file: string): boolean {
    const relative = path.relative(this.root, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  scheduleRefresh(reason: string): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.refresh(reason), CHANGE_DEBOUNCE_MS);
  }

  /** Starts a load now, superseding any in flight. Never throws; failures land in `error` and the log. */
  refresh(reason: string): void {
    clearTimeout(this.debounce);
    const controller = this.runs.start();
    this.loading = true;
    this.changed.fire();
    this.load(controller, reason).then(
      () => this.finish(controller),
      (error: unknown) => {
        this.log.error(`Unexpected failure loading ${this.root}: ${messageOf(error)}`);
        this.finish(controller);
      },
    );
  }

  private finish(controller: AbortController): void {
    if (!this.runs.finish(controller)) return;
    this.loading = false;
    this.changed.fire();
  }

  private cancel(): void {
    clearTimeout(this.debounce);
    this.runs.cancel();
  }

  /** SLOs and incidents are in while git still reads: show them now when nothing complete is shown. */
  private showEarly(controller: AbortController, early: WorkspaceSnapshot, reason: string, started: number): void {
    if (!this.runs.isCurrent(controller) || !showsEarlySnapshot(this)) return;
    this.snapshot = early;
    this.error = undefined;
    this.log.info(
      formatLoadLine({
        stage: early.deliveryPending ? 'early' : 'interim',
        workspace: this.name,
        loadMs: Date.now() - started,
        reason,
        slos: early.sloReports.length,
        incidents: early.incidents.length,
        ...(early.deliveryPending ? {} : { deployments: early.deployments.length, problems: early.problems.length }),
        sinceActivationMs: this.sinceActivation(),
        memory: memoryFigures(),
      }),
    );
    this.changed.fire();
  }

  private async load(controller: AbortController, reason: string): Promise<void> {
    const started = Date.now();
    const config = readConfig(this.folder.uri);
    const allowRemote = vscode.workspace.isTrusted && config.remoteSourcesEnabled;
    let engine;
    try {
      engine = await loadEngine();
      const snapshot = await engine.loadSnapshot(this.root, {
        now: evaluationTime(),
        signal: controller.signal,
        allowRemote,
        // Restricted Mode: no git either, as VS Code's own git extension (a repository's config can run commands).
        allowGit: vscode.workspace.isTrusted,
        doraBands: config.doraBands,
        // The engine names the deployment of exactly the incidents the Incidents view lists.
        recentDays: config.recentDays ?? undefined,
        lastGood: this.lastGood,
        // Asked per source with the origin the engine will send to: the token saved for exactly that.
        tokens: savedTokenProvider(
          (source, origin) => this.tokens.get(source, origin),
          (request, error) => this.log.warn(`Could not read the ${request.source} token for ${request.origin}: ${messageOf(error)}`),
        ),
        remoteSettings: { prometheusInsecureSkipVerify: config.prometheusInsecureSkipVerify },
        onEarlySnapshot: (early) => this.showEarly(controller, early, reason, started),
      });
      if (controller.signal.aborted) return;
      this.snapshot = snapshot;
      this.error = undefined;
      this.log.info(
        formatLoadLine({
          stage: 'complete',
          workspace: this.name,
          loadMs: Date.now() - started,
          reason,
          slos: snapshot.sloReports.length,
          incidents: snapshot.incidents.length,
          deployments: snapshot.deployments.length,
          problems: snapshot.problems.length,
          sinceActivationMs: this.sinceActivation(),
          memory: memoryFigures(),
        }),
      );
      this.firstLoad = false;
      for (const source of snapshot.sources) {
        if (source.state !== 'ok') this.log.warn(`${this.name}: source ${source.name} is ${source.state}${source.message ? `: ${source.message}` : ''}`);
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      if (engine && error instanceof engine.WorkspaceNotFoundError) {
        this.log.info(`${this.root} no longer holds .reliability/: ${error.message}`);
        this.onNotFound();
        return;
      }
      this.error = messageOf(error);
      this.log.error(`Could not load ${this.name}: ${this.error}`);
    }
  }

  /**
   * On the first load, how long after activation its snapshot is shown: what a user waits for when
   * opening a folder. The output channel's own timestamps cannot tell: it writes its first lines late.
   */
  private sinceActivation(): number | undefined {
    return this.firstLoad ? Math.round(performance.now() - this.activatedAt) : undefined;
  }

  /** Deployments and recent changes move with git refs; watch the repository that holds this root. */
  private watchGit(): void {
    const repository = findGitDirectoryParent(this.root);
    if (!repository) return;
    const base = vscode.Uri.file(repository);
    for (const pattern of ['.git/HEAD', '.git/packed-refs', '.git/refs/**']) {
      const watcher = this._register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(base, pattern)));
      const onGitChange = () => this.scheduleRefresh('git refs changed');
      this._register(watcher.onDidChange(onGitChange));
      this._register(watcher.onDidCreate(onGitChange));
      this._register(watcher.onDidDelete(onGitChange));
    }
  }
}

export class WorkspaceStore extends Disposable {
  private entries: ReliabilityWorkspace[] = [];
  private entryListeners: vscode.Disposable[] = [];
  private discovery: WorkspaceDiscoveryState = 'searching';
  private discoveryRun = 0;
  private discoveryDebounce: NodeJS.Timeout | undefined;
  private interval: NodeJS.Timeout | undefined;
  private folderWatchers: vscode.Disposable[] = [];
  private readonly changed = this._register(new vscode.EventEmitter<ReliabilityWorkspace | undefined>());
  /** The store is made in activate(): the first loads log how long after it they showed data. */
  private readonly activatedAt = performance.now();
  /** A workspace's data or loading state changed; `undefined`: the set of workspaces changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly tokens: TokenStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register({
      dispose: () => {
        clearTimeout(this.discoveryDebounce);
        clearInterval(this.interval);
        disposeAll(this.entryListeners);
        disposeAll(this.folderWatchers);
        for (const entry of this.entries) entry.dispose();
        this.entries = [];
      },
    });
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleDiscovery()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshAll('workspace trusted')));
    this._register(tokens.onDidChange(() => this.refreshAll('tokens changed')));
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSetting(event, 'refreshIntervalMinutes')) this.resetInterval();
        if (
          affectsSetting(event, 'doraBands') ||
          affectsSetting(event, 'remoteSourcesEnabled') ||
          affectsSetting(event, 'prometheusInsecureSkipVerify') ||
          // More recent days list more incidents, each with its deployment searched in git.
          affectsSetting(event, 'recentDays')
        ) {
          this.refreshAll('settings changed');
        }
      }),
    );
  }

  get state(): WorkspaceDiscoveryState {
    return this.discovery;
  }

  /** Kicks off discovery and the first loads without waiting for them. */
  start(): void {
    this.setDiscoveryState('searching');
    this.resetInterval();
    this.discover();
  }

  workspaces(): readonly ReliabilityWorkspace[] {
    return this.entries;
  }

  viewStates(): WorkspaceViewState[] {
    return this.entries.map((entry) => entry.viewState());
  }

  find(root: string): ReliabilityWorkspace | undefined {
    return this.entries.find((entry) => entry.root === root);
  }

  /** The workspace a file belongs to: the innermost root containing it. */
  workspaceFor(uri: vscode.Uri): ReliabilityWorkspace | undefined {
    if (uri.scheme !== 'file') return undefined;
    return this.entries
      .filter((entry) => entry.contains(uri.fsPath))
      .sort((a, b) => b.root.length - a.root.length)[0];
  }

  refreshAll(reason: string): void {
    for (const entry of this.entries) entry.refresh(reason);
  }

  /** Looks for `.reliability/` folders again, e.g. after the starter folder was written. */
  rediscover(): void {
    this.discover();
  }

  private scheduleDiscovery(): void {
    clearTimeout(this.discoveryDebounce);
    this.discoveryDebounce = setTimeout(() => this.discover(), CHANGE_DEBOUNCE_MS);
  }

  private discover(): void {
    const run = ++this.discoveryRun;
    this.findRoots().then(
      (found) => {
        if (run === this.discoveryRun && !this.isDisposed) this.applyRoots(found);
      },
      (error: unknown) => {
        this.log.error(`Could not look for .reliability/ folders: ${messageOf(error)}`);
        if (run === this.discoveryRun && !this.isDisposed) this.applyRoots([]);
      },
    );
  }

  private async findRoots(): Promise<Array<{ root: string; folder: vscode.WorkspaceFolder }>> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    if (folders.length === 0) return [];
    const engine = await loadEngine();
    const found: Array<{ root: string; folder: vscode.WorkspaceFolder }> = [];
    for (const folder of folders) {
      try {
        for (const root of await engine.findWorkspaceRoots(folder.uri.fsPath)) {
          if (!found.some((entry) => entry.root === root)) found.push({ root, folder });
        }
      } catch (error) {
        this.log.warn(`Could not search ${folder.uri.fsPath}: ${messageOf(error)}`);
      }
    }
    return found;
  }

  private applyRoots(found: Array<{ root: string; folder: vscode.WorkspaceFolder }>): void {
    const kept: ReliabilityWorkspace[] = [];
    for (const entry of this.entries) {
      if (found.some((candidate) => candidate.root === entry.root)) kept.push(entry);
      else entry.dispose();
    }
    const added: ReliabilityWorkspace[] = [];
    for (const { root, folder } of found) {
      if (kept.some((entry) => entry.root === root)) continue;
      added.push(new ReliabilityWorkspace(root, folder, this.tokens, this.log, () => this.scheduleDiscovery(), this.activatedAt));
    }
    this.entries = [...kept, ...added].sort((a, b) => a.folder.index - b.folder.index || a.root.localeCompare(b.root));
    disposeAll(this.entryListeners);
    this.entryListeners = this.entries.map((entry) => entry.onDidChange(() => this.changed.fire(entry)));
    this.watchFolders();
    // The memory before the first loads, to read the loads' own memory against.
    if (found.length) this.log.info(`Reliability workspaces: ${this.entries.map((entry) => entry.root).join(', ')}; ${formatMemory(memoryFigures())}`);
    else this.log.info('No .reliability/ folder in this window');
    this.setDiscoveryState(this.entries.length ? 'found' : 'none');
    this.changed.fire(undefined);
    for (const entry of added) entry.refresh('opened');
  }

  /** `.reliability/` edits reload their workspace; a new or removed `.reliability/` changes the set. */
  private watchFolders(): void {
    disposeAll(this.folderWatchers);
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/.reliability/**'));
      const onChange = (uri: vscode.Uri) => this.onReliabilityFileChanged(uri);
      this.folderWatchers.push(watcher, watcher.onDidChange(onChange), watcher.onDidCreate(onChange), watcher.onDidDelete(onChange));
    }
  }

  private onReliabilityFileChanged(uri: vscode.Uri): void {
    const owner = this.entries.find((entry) => isInside(path.join(entry.root, '.reliability'), uri.fsPath));
    if (owner && fs.existsSync(path.join(owner.root, '.reliability'))) owner.scheduleRefresh(`${path.relative(owner.root, uri.fsPath)} changed`);
    else this.scheduleDiscovery();
  }

  private resetInterval(): void {
    clearInterval(this.interval);
    const minutes = readConfig().refreshIntervalMinutes;
    if (minutes > 0) this.interval = setInterval(() => this.refreshAll('interval'), minutes * 60_000);
  }

  private setDiscoveryState(state: WorkspaceDiscoveryState): void {
    this.discovery = state;
    vscode.commands.executeCommand('setContext', CONTEXT_WORKSPACE_STATE, state).then(undefined, (error: unknown) => {
      this.log.warn(`Could not set ${CONTEXT_WORKSPACE_STATE}: ${messageOf(error)}`);
    });
  }
}

function isInside(directory: string, file: string): boolean {
  const relative = path.relative(directory, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function findGitDirectoryParent(start: string): string | undefined {
  let current = start;
  for (;;) {
    if (fs.existsSync(path.join(current, '.git', 'HEAD'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
