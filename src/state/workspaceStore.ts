// Finds the folders holding `.reliability/`, keeps one snapshot per folder fresh, and tells the views
// when it changed. Loads run in the background: a newer load aborts the one it supersedes (closing the
// folder aborts the current one; the signal stops git), and a failed load keeps the last good
// snapshot on screen with the reason next to it. A first load shows SLOs and incidents as soon as
// they are in and delivery history when git has read it (snapshotLoads.ts). Each folder refreshes on
// its own schedule (refreshSchedule.ts: interval with jitter, backoff when Prometheus is under
// pressure, the minimum between queries), keeps what Prometheus answered between refreshes in its
// own PrometheusSession, and asks for burn-down buckets only while the dashboard is visible.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LastGoodData } from '../workspace/lastGood';
import { PrometheusSession } from '../sources/prometheusSession';
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
import { RefreshSchedule, loadOutcomeOf, systemTimers } from './refreshSchedule';
import type { LoadOutcome, RefreshSettings } from './refreshSchedule';
import { backoffNoticeText, waitWords } from './refreshPressure';
import type { BackoffNotice } from './refreshPressure';
import { burnDownMissing, needsBurnDownRefresh, wantsBurnDown } from './burnDownDemand';
import { formatUtcClock } from '../core/format';
import { lookBackTime } from './lookBackTime';

/** Editors save in bursts and git rewrites several refs per command: one reload per burst. */
const CHANGE_DEBOUNCE_MS = 500;

/** What every folder entry shares with the store. */
export interface WorkspaceServices {
  tokens: TokenStore;
  log: vscode.LogOutputChannel;
  /** The folder no longer holds `.reliability/`: look for folders again. */
  onNotFound: () => void;
  /** performance.now() when the extension activated. */
  activatedAt: number;
  /** Whether the dashboard is visible: loads then ask for burn-down buckets. */
  dashboardVisible: () => boolean;
}

function refreshSettings(scope: vscode.ConfigurationScope): RefreshSettings {
  const { refreshIntervalMinutes, minimumRefreshMinutes } = readConfig(scope);
  return { refreshIntervalMinutes, minimumRefreshMinutes };
}

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
  /** What Prometheus answered, kept between this folder's refreshes so each asks only for what is new. */
  private prometheusSession = new PrometheusSession();
  /** When the next automatic refresh runs, and whether one may run now. */
  private readonly schedule: RefreshSchedule;
  /** Whether the shown snapshot's load asked for burn-down buckets; whether the load in flight does (null: none in flight). */
  private snapshotHasBurnDown = true;
  private loadingWithBurnDown: boolean | null = null;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private readonly tokens: TokenStore;
  private readonly log: vscode.LogOutputChannel;

  constructor(
    readonly root: string,
    readonly folder: vscode.WorkspaceFolder,
    private readonly services: WorkspaceServices,
    /**
     * Zero configuration: a repository without `.reliability/`, read as `init` would describe it
     * (its tags as deployments) so the Delivery view shows something true before any file is written.
     */
    readonly zeroConfiguration = false,
  ) {
    super();
    this.tokens = services.tokens;
    this.log = services.log;
    // Looking back (state/lookBack.ts), the periodic refresh pauses until a return to now refreshes again.
    this.schedule = new RefreshSchedule(systemTimers, refreshSettings(folder.uri), (reason) => {
      if (lookBackTime(readConfig(folder.uri).evaluationTime) === null) this.refresh(reason);
    });
    this.watchGit();
    this._register({ dispose: () => this.cancel() });
    this._register({ dispose: () => this.schedule.dispose() });
    // What Prometheus answered goes with the folder.
    this._register({ dispose: () => this.prometheusSession.clear() });
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
      backoff: this.backoffNotice(),
      burnDownPending: burnDownMissing(this.burnDownState()),
      asOf: lookBackTime(config.evaluationTime) ?? undefined,
    };
  }

  /** While refreshes back off from Prometheus: what it did and when the next refresh comes. */
  backoffNotice(): BackoffNotice | undefined {
    return this.schedule.notice();
  }

  contains(file: string): boolean {
    const relative = path.relative(this.root, file);
    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  }

  /** A change (a `.reliability/` edit, git refs) after a burst settles: an automatic refresh. */
  scheduleRefresh(reason: string): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.requestRefresh(reason), CHANGE_DEBOUNCE_MS);
  }

  /**
   * An automatic refresh: now, unless this folder may not query Prometheus yet (its minimum, or a
   * backoff after Prometheus asked to slow down); then it runs as soon as it may, once for all the
   * changes meanwhile.
   */
  requestRefresh(reason: string): void {
    clearTimeout(this.debounce);
    const request = this.schedule.request(reason);
    if (request.run === 'now') {
      this.refresh(reason);
      return;
    }
    const why =
      this.schedule.backoffFactor > 1
        ? 'backing off while Prometheus is under pressure'
        : `Prometheus is queried at most every ${waitWords(this.schedule.limits.minimumMs)}`;
    this.log.info(`${this.name}: ${reason}; the refresh waits until ${formatUtcClock(request.at)} (${why}; Refresh runs at once)`);
  }

  /**
   * config.yaml changed, and with it perhaps the server, tenant headers or mode of `slis`: nothing
   * Prometheus answered before is reused (the file is small and rarely edited; telling whether `slis`
   * itself changed would mean parsing it here, ahead of the engine).
   */
  forgetPrometheusAnswers(): void {
    this.prometheusSession.clear();
    this.prometheusSession = new PrometheusSession();
  }

  /** Settings about refresh timing changed: plan the next periodic refresh again. */
  reschedule(): void {
    this.schedule.reconfigure(refreshSettings(this.folder.uri));
  }

  /** The dashboard became visible: fill its burn-down chart if the shown snapshot was loaded without. */
  dashboardShown(): void {
    if (needsBurnDownRefresh(this.burnDownState())) this.requestRefresh('dashboard shown');
  }

  /**
   * Starts a load now, superseding any in flight: the first load, the Refresh command and other
   * explicit acts, and automatic refreshes the schedule let through. Never throws; failures land in
   * `error` and the log.
   */
  refresh(reason: string): void {
    clearTimeout(this.debounce);
    const controller = this.runs.start();
    this.schedule.loadStarted();
    const burnDown = wantsBurnDown(this.services.dashboardVisible(), this.snapshot);
    this.loadingWithBurnDown = burnDown;
    this.loading = true;
    this.changed.fire();
    this.load(controller, reason, burnDown).then(
      (outcome) => this.finish(controller, outcome),
      (error: unknown) => {
        this.log.error(`Unexpected failure loading ${this.root}: ${messageOf(error)}`);
        this.finish(controller, null);
      },
    );
  }

  /** `outcome`: what the complete snapshot says about Prometheus; null when the load failed without one. */
  private finish(controller: AbortController, outcome: LoadOutcome | null): void {
    if (!this.runs.finish(controller)) return;
    this.loading = false;
    this.loadingWithBurnDown = null;
    this.planNext(outcome);
    this.changed.fire();
    // The dashboard was opened while a load without burn-down ran.
    if (outcome && this.services.dashboardVisible()) this.dashboardShown();
  }

  /** The schedule learns how Prometheus coped; the log says when refreshes slow down and when they are back to normal. */
  private planNext(outcome: LoadOutcome | null): void {
    const change = this.schedule.loadFinished(outcome);
    const notice = this.schedule.notice();
    if (change.pressure && notice) {
      this.log.warn(`${this.name}: ${backoffNoticeText(notice)}`);
    } else if (change.previousFactor > 1 && change.factor === 1) {
      const interval = this.schedule.limits.intervalMs;
      this.log.info(`${this.name}: Prometheus answered without pressure; ${interval > 0 ? `refreshes are back to every ${waitWords(interval)}` : 'refreshes on changes no longer wait'}`);
    }
  }

  private burnDownState() {
    return { snapshot: this.snapshot, snapshotHasBurnDown: this.snapshotHasBurnDown, loadingWithBurnDown: this.loadingWithBurnDown };
  }

  private cancel(): void {
    clearTimeout(this.debounce);
    this.runs.cancel();
  }

  /** SLOs and incidents are in while git still reads: show them now when nothing complete is shown. */
  private showEarly(controller: AbortController, early: WorkspaceSnapshot, reason: string, started: number, burnDown: boolean): void {
    if (!this.runs.isCurrent(controller) || !showsEarlySnapshot(this)) return;
    this.snapshot = early;
    this.snapshotHasBurnDown = burnDown;
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

  /** The outcome for the schedule when this load's complete snapshot is shown; null otherwise (failed, superseded, gone). */
  private async load(controller: AbortController, reason: string, burnDown: boolean): Promise<LoadOutcome | null> {
    const started = Date.now();
    const config = readConfig(this.folder.uri);
    const allowRemote = vscode.workspace.isTrusted && config.remoteSourcesEnabled;
    let engine;
    try {
      engine = await loadEngine();
      // What `init` would write, read afresh each load: tags come and go.
      const inferred = this.zeroConfiguration
        ? await engine.inferSetup(this.root, { allowGit: vscode.workspace.isTrusted, signal: controller.signal })
        : undefined;
      if (controller.signal.aborted) return null;
      const snapshot = await engine.loadSnapshot(this.root, {
        ...(inferred ? { inferred } : {}),
        now: lookBackTime(config.evaluationTime) ?? evaluationTime(),
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
        // The one range query of a Prometheus refresh, for a chart only the dashboard draws.
        burnDown,
        prometheusSession: this.prometheusSession,
        onEarlySnapshot: (early) => this.showEarly(controller, early, reason, started, burnDown),
      });
      if (controller.signal.aborted) return null;
      this.snapshot = snapshot;
      this.snapshotHasBurnDown = burnDown;
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
      return loadOutcomeOf(snapshot);
    } catch (error) {
      if (controller.signal.aborted) return null;
      if (engine && error instanceof engine.WorkspaceNotFoundError) {
        this.log.info(`${this.root} no longer holds .reliability/: ${error.message}`);
        this.services.onNotFound();
        return null;
      }
      this.error = messageOf(error);
      this.log.error(`Could not load ${this.name}: ${this.error}`);
      return null;
    }
  }

  /**
   * On the first load, how long after activation its snapshot is shown: what a user waits for when
   * opening a folder. The output channel's own timestamps cannot tell: it writes its first lines late.
   */
  private sinceActivation(): number | undefined {
    return this.firstLoad ? Math.round(performance.now() - this.services.activatedAt) : undefined;
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
  private dashboardVisible = false;
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
        disposeAll(this.entryListeners);
        disposeAll(this.folderWatchers);
        for (const entry of this.entries) entry.dispose();
        this.entries = [];
      },
    });
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.scheduleDiscovery()));
    this._register(
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        this.refreshAll('workspace trusted');
        // A trusted repository without .reliability/ may now be read from its tags (zero configuration).
        this.scheduleDiscovery();
      }),
    );
    this._register(tokens.onDidChange(() => this.refreshAll('tokens changed')));
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSetting(event, 'refreshIntervalMinutes') || affectsSetting(event, 'minimumRefreshMinutes')) {
          for (const entry of this.entries) entry.reschedule();
        }
        if (
          affectsSetting(event, 'doraBands') ||
          affectsSetting(event, 'remoteSourcesEnabled') ||
          affectsSetting(event, 'prometheusInsecureSkipVerify') ||
          // More recent days list more incidents, each with its deployment searched in git.
          affectsSetting(event, 'recentDays') ||
          affectsSetting(event, 'evaluationTime')
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
    this.discover();
  }

  /** The folders with a `.reliability/`: what every view, command and code lens works on. */
  workspaces(): readonly ReliabilityWorkspace[] {
    return this.entries.filter((entry) => !entry.zeroConfiguration);
  }

  /**
   * The view states of the workspaces; with `zeroConfiguration`, also of the repositories read
   * without `.reliability/` (only the Delivery view shows those: their tags as deployments).
   */
  viewStates(options: { zeroConfiguration?: boolean } = {}): WorkspaceViewState[] {
    return this.entries.filter((entry) => options.zeroConfiguration || !entry.zeroConfiguration).map((entry) => entry.viewState());
  }

  find(root: string): ReliabilityWorkspace | undefined {
    return this.entries.find((entry) => entry.root === root);
  }

  /** The workspace a file belongs to: the innermost root containing it. */
  workspaceFor(uri: vscode.Uri): ReliabilityWorkspace | undefined {
    if (uri.scheme !== 'file') return undefined;
    return this.workspaces()
      .filter((entry) => entry.contains(uri.fsPath))
      .sort((a, b) => b.root.length - a.root.length)[0];
  }

  /** Explicit acts (the Refresh command, a token, a setting, trust): every folder loads now. */
  refreshAll(reason: string): void {
    for (const entry of this.entries) entry.refresh(reason);
  }

  /**
   * The dashboard's visibility (any folder's: it shows them all). Loads ask for burn-down buckets
   * only while it is visible; becoming visible fills the charts of snapshots loaded without.
   */
  setDashboardVisible(visible: boolean): void {
    if (visible === this.dashboardVisible) return;
    this.dashboardVisible = visible;
    if (visible) for (const entry of this.entries) entry.dashboardShown();
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

  /**
   * The folders holding `.reliability/`; a trusted workspace folder in a git repository that has none
   * is read with zero configuration (its tags as deployments, as `init` would pick them).
   */
  private async findRoots(): Promise<FoundRoot[]> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    if (folders.length === 0) return [];
    const engine = await loadEngine();
    const found: FoundRoot[] = [];
    for (const folder of folders) {
      try {
        const roots = await engine.findWorkspaceRoots(folder.uri.fsPath);
        for (const root of roots) {
          if (!found.some((entry) => entry.root === root)) found.push({ root, folder, zeroConfiguration: false });
        }
        // Restricted Mode reads no git, so there would be nothing to show; outside git, neither.
        if (roots.length === 0 && vscode.workspace.isTrusted && findGitDirectoryParent(folder.uri.fsPath)) {
          found.push({ root: folder.uri.fsPath, folder, zeroConfiguration: true });
        }
      } catch (error) {
        this.log.warn(`Could not search ${folder.uri.fsPath}: ${messageOf(error)}`);
      }
    }
    return found;
  }

  private applyRoots(found: FoundRoot[]): void {
    const same = (entry: ReliabilityWorkspace, candidate: FoundRoot) => candidate.root === entry.root && candidate.zeroConfiguration === entry.zeroConfiguration;
    const kept: ReliabilityWorkspace[] = [];
    for (const entry of this.entries) {
      if (found.some((candidate) => same(entry, candidate))) kept.push(entry);
      else entry.dispose();
    }
    const added: ReliabilityWorkspace[] = [];
    for (const candidate of found) {
      if (kept.some((entry) => same(entry, candidate))) continue;
      added.push(
        new ReliabilityWorkspace(
          candidate.root,
          candidate.folder,
          {
            tokens: this.tokens,
            log: this.log,
            onNotFound: () => this.scheduleDiscovery(),
            activatedAt: this.activatedAt,
            dashboardVisible: () => this.dashboardVisible,
          },
          candidate.zeroConfiguration,
        ),
      );
    }
    this.entries = [...kept, ...added].sort((a, b) => a.folder.index - b.folder.index || a.root.localeCompare(b.root));
    disposeAll(this.entryListeners);
    this.entryListeners = this.entries.map((entry) => entry.onDidChange(() => this.changed.fire(entry)));
    this.watchFolders();
    // The memory before the first loads, to read the loads' own memory against.
    const configured = this.workspaces();
    if (configured.length) this.log.info(`Reliability workspaces: ${configured.map((entry) => entry.root).join(', ')}; ${formatMemory(memoryFigures())}`);
    else this.log.info('No .reliability/ folder in this window');
    const inferred = this.entries.filter((entry) => entry.zeroConfiguration);
    if (inferred.length) this.log.info(`Read without .reliability/ (zero configuration, tags as deployments): ${inferred.map((entry) => entry.root).join(', ')}`);
    // Zero-configuration folders keep the state `none`: the views still offer Create Starter.
    this.setDiscoveryState(configured.length ? 'found' : 'none');
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
    const owner = this.workspaces().find((entry) => isInside(path.join(entry.root, '.reliability'), uri.fsPath));
    if (owner && fs.existsSync(path.join(owner.root, '.reliability'))) {
      const relative = path.relative(owner.root, uri.fsPath);
      if (relative.split(path.sep).join('/') === '.reliability/config.yaml') owner.forgetPrometheusAnswers();
      owner.scheduleRefresh(`${relative} changed`);
    } else {
      this.scheduleDiscovery();
    }
  }

  private setDiscoveryState(state: WorkspaceDiscoveryState): void {
    this.discovery = state;
    vscode.commands.executeCommand('setContext', CONTEXT_WORKSPACE_STATE, state).then(undefined, (error: unknown) => {
      this.log.warn(`Could not set ${CONTEXT_WORKSPACE_STATE}: ${messageOf(error)}`);
    });
  }
}

interface FoundRoot {
  root: string;
  folder: vscode.WorkspaceFolder;
  zeroConfiguration: boolean;
}

function isInside(directory: string, file: string): boolean {
  const relative = path.relative(directory, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function findGitDirectoryParent(start: string): string | undefined {
  let current = start;
  for (;;) {
    // A `.git` file is a worktree's or a submodule's: a repository too.
    if (fs.existsSync(path.join(current, '.git', 'HEAD')) || fs.statSync(path.join(current, '.git'), { throwIfNoEntry: false })?.isFile()) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
