// The palette and view commands. Each handler is wrapped so a failure is logged and shown once,
// never left as a rejected promise.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { IncidentView } from '../workspace/snapshot';
import type { DashboardController } from './dashboard/dashboardPanel';
import { Disposable } from './dispose';
import { loadEngine } from './engineModule';
import {
  formatIncidentDetail,
  formatIncidentLabel,
  formatMergeMessage,
  formatMergeReport,
  formatProblemLocation,
  isFileProblem,
  problemPosition,
} from './format';
import { isOpenAt, searchIncidents } from '../core/incidents';
import { describeStarterPlan } from '../core/starterFiles';
import { COMMANDS, VIEWS } from './ids';
import type { FileLocationArgs, IncidentArgs, LookBackArgs, SloArgs } from './ids';
import { lookBackChoices } from './lookBackChoices';
import { setEvaluationTime } from '../state/lookBack';
import { parseLookBack } from '../state/lookBackTime';
import { formatUtc } from '../core/format';
import { ExplainDocuments } from './explainDocuments';
import { parseCommandArgument } from './commandArguments';
import type { CommandArgument, CommandWithArgument } from './commandArguments';
import type { IncidentDocuments } from './incidentDocuments';
import type { TokenStore } from '../state/secrets';
import type { ServiceFilter } from '../state/serviceFilter';
import { originOf } from '../sources/http/origin';
import { TOKEN_SOURCES, configuredOrigin } from '../state/tokenOrigins';
import type { SecretTokenSource, TokenSource } from '../state/tokenOrigins';
import { escapeIcons, notificationText } from './untrustedText';
import { messageOf } from '../state/workspaceStore';
import type { ReliabilityWorkspace, WorkspaceStore } from '../state/workspaceStore';

export interface CommandServices {
  store: WorkspaceStore;
  tokens: TokenStore;
  incidents: IncidentDocuments;
  dashboard: DashboardController;
  serviceFilter: ServiceFilter;
  log: vscode.LogOutputChannel;
}

const SOURCE_LABELS: Record<TokenSource, string> = {
  prometheus: 'Prometheus',
  pagerduty: 'PagerDuty',
  opsgenie: 'Opsgenie',
  github: 'GitHub',
};

export class Commands extends Disposable {
  constructor(private readonly services: CommandServices) {
    super();
    this.addWithArgument(COMMANDS.findIncident, (query) => this.findIncident(query));
    this.add(COMMANDS.canIMerge, () => this.canIMerge());
    this.addWithArgument(COMMANDS.openDashboard, async (args) => this.services.dashboard.open(args));
    this.add(COMMANDS.refresh, async () => this.refresh());
    this.add(COMMANDS.createStarter, () => this.createStarter());
    this.addWithArgument(COMMANDS.setToken, (source) => this.setToken(source));
    this.add(COMMANDS.forgetToken, () => this.forgetToken());
    this.addWithArgument(COMMANDS.openProblem, (location) => this.openProblem(location));
    this.addWithArgument(COMMANDS.openLocation, async (location) => {
      if (location) await this.openWorkspaceLocation(location);
    });
    this.addWithArgument(COMMANDS.openIncident, (args) => this.openIncident(args, false));
    this.addWithArgument(COMMANDS.showIncidentDetails, (args) => this.openIncident(args, true));
    this.add(COMMANDS.showLog, async () => this.services.log.show(true));
    // The explanation pages have no other user than this command (and the dashboard, through it).
    this.explanations = this._register(new ExplainDocuments(services.store, services.log));
    this.addWithArgument(COMMANDS.explainSlo, (args) => this.explainSlo(args));
    this.addWithArgument(COMMANDS.lookBack, (args) => this.lookBack(args));
    this.add(COMMANDS.returnToNow, () => setEvaluationTime(undefined));
    this.addWithArgument(COMMANDS.showAtIncidentStart, (args) => this.showAtIncidentStart(args));
    this.add(COMMANDS.showAttentionOnly, () => this.services.serviceFilter.set(true));
    this.add(COMMANDS.showAllServices, () => this.services.serviceFilter.set(false));
  }

  private readonly explanations: ExplainDocuments;

  /**
   * A command whose first argument is checked (commandArguments.ts) before the handler runs: an
   * invalid one is logged and the command does nothing, since a crafted command link can send anything.
   */
  private addWithArgument<C extends CommandWithArgument>(id: C, handler: (argument: CommandArgument<C> | undefined) => Promise<unknown>): void {
    this.add(id, async (...args: unknown[]) => {
      const checked = parseCommandArgument(id, args[0]);
      if (!checked.ok) {
        this.services.log.warn(`${id} ignored an argument it cannot use: ${checked.problem}`);
        return;
      }
      await handler(checked.value);
    });
  }

  private add(id: string, handler: (...args: unknown[]) => Promise<unknown>): void {
    this._register(
      vscode.commands.registerCommand(id, (...args: unknown[]) =>
        handler(...args).catch((error: unknown) => {
          const message = messageOf(error);
          this.services.log.error(`${id} failed: ${message}`);
          void vscode.window.showErrorMessage(notificationText(vscode.l10n.t('Reliability Lens: {0}', message)));
        }),
      ),
    );
  }

  private refresh(): void {
    if (this.services.store.workspaces().length === 0) this.services.store.rediscover();
    else this.services.store.refreshAll('refresh command');
  }

  // ---- incidents ---------------------------------------------------------------------------------

  private async findIncident(query: string | undefined): Promise<void> {
    const items: Array<vscode.QuickPickItem & { root: string; incident: IncidentView }> = [];
    const showAtStart: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('history'), tooltip: vscode.l10n.t('Show at Incident Start') };
    for (const workspace of this.services.store.workspaces()) {
      const snapshot = workspace.snapshot;
      if (!snapshot) continue;
      // The CLI's `incidents QUERY`: the same matches in the same order (core/incidents.ts).
      for (const incident of searchIncidents(snapshot.incidents, query ?? '', snapshot.now)) {
        items.push({
          // Quick pick items draw `$(name)` icons: only ours may be live, never the data's.
          label: `${isOpenAt(incident, snapshot.now) ? '$(flame)' : '$(pass)'} ${escapeIcons(formatIncidentLabel(incident))}`,
          description: escapeIcons(incident.title),
          detail: escapeIcons(formatIncidentDetail(incident, snapshot.now)),
          root: workspace.root,
          incident,
          buttons: [showAtStart],
        });
      }
    }
    if (items.length === 0) {
      void vscode.window.showInformationMessage(query ? notificationText(vscode.l10n.t('No incident matches "{0}".', query)) : vscode.l10n.t('No incidents in the current data.'));
      return;
    }
    // Enter opens the incident; its button looks back to its start (issue 11).
    const chosen = await new Promise<{ item: (typeof items)[number]; atStart: boolean } | undefined>((resolve) => {
      const pick = vscode.window.createQuickPick<(typeof items)[number]>();
      pick.title = vscode.l10n.t('Find Incident');
      pick.placeholder = vscode.l10n.t('Search by id, title, service or severity; the history button shows the moment it started');
      pick.matchOnDescription = true;
      pick.matchOnDetail = true;
      pick.items = items;
      let result: { item: (typeof items)[number]; atStart: boolean } | undefined;
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0];
        if (item) result = { item, atStart: false };
        pick.hide();
      });
      pick.onDidTriggerItemButton((event) => {
        result = { item: event.item, atStart: true };
        pick.hide();
      });
      pick.onDidHide(() => {
        pick.dispose();
        resolve(result);
      });
      pick.show();
    });
    if (!chosen) return;
    if (chosen.atStart) await this.lookBackTo(chosen.item.incident.startedAt, true);
    else await this.services.incidents.open(chosen.item.root, chosen.item.incident.id);
  }

  /** "Show at Incident Start": every view as it was when the incident started, the deployments before it in view. */
  private async showAtIncidentStart(args: IncidentArgs | undefined): Promise<void> {
    if (!args) {
      await this.findIncident(undefined);
      return;
    }
    const incident = this.services.incidents.find(args.root, args.ids[0]);
    if (!incident) {
      void vscode.window.showWarningMessage(notificationText(vscode.l10n.t('Incident {0} is not in the current data.', args.ids[0])));
      return;
    }
    await this.lookBackTo(incident.startedAt, true);
  }

  // ---- looking back ------------------------------------------------------------------------------

  /** "Look Back To…": a typed date and time, or a deployment or an incident start of the data shown. */
  private async lookBack(args: LookBackArgs | undefined): Promise<void> {
    if (args) {
      await this.lookBackTo(args.time, false);
      return;
    }
    const shown = this.services.store.workspaces().flatMap((workspace) => (workspace.snapshot ? [{ name: workspace.name, snapshot: workspace.snapshot }] : []));
    const choices = lookBackChoices(shown);
    type Item = vscode.QuickPickItem & { time?: number; typed?: true };
    const typed: Item = { label: `$(calendar) ${vscode.l10n.t('A date and time…')}`, description: vscode.l10n.t('ISO 8601, UTC unless it names a zone'), typed: true };
    const items: Item[] = [typed];
    for (const kind of ['deployment', 'incident'] as const) {
      const ofKind = choices.filter((choice) => choice.kind === kind);
      if (ofKind.length === 0) continue;
      items.push({ label: kind === 'deployment' ? vscode.l10n.t('Deployments') : vscode.l10n.t('Incident starts'), kind: vscode.QuickPickItemKind.Separator });
      for (const choice of ofKind) {
        items.push({
          // Only our icons are live; names and titles are data.
          label: `${kind === 'deployment' ? '$(rocket)' : '$(flame)'} ${escapeIcons(choice.label)}`,
          description: escapeIcons(choice.description),
          detail: choice.detail === undefined ? undefined : escapeIcons(choice.detail),
          time: choice.time,
        });
      }
    }
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Look Back To…'), placeHolder: vscode.l10n.t('Show every number as of a past moment'), matchOnDescription: true });
    if (!picked) return;
    if (picked.time !== undefined) {
      await this.lookBackTo(picked.time, false);
      return;
    }
    const text = await vscode.window.showInputBox({
      title: vscode.l10n.t('Look Back To…'),
      prompt: vscode.l10n.t("A date and time, as for the CLI's --now: 2026-11-11T07:00:00Z (no zone means UTC)"),
      value: new Date(shown[0]?.snapshot.now ?? Date.now()).toISOString(),
      // Stays open while the user copies a moment from elsewhere (an incident page, a log), and when a webview takes focus.
      ignoreFocusOut: true,
      validateInput: (value) => (parseLookBack(value).kind === 'past' ? undefined : vscode.l10n.t('an ISO 8601 date and time that exists, such as 2026-11-11T07:00:00Z')),
    });
    const lookBack = text === undefined ? undefined : parseLookBack(text);
    if (lookBack?.kind === 'past') await this.lookBackTo(lookBack.time, false);
  }

  /** Writes the setting every view reads; from an incident, the Delivery view shows the deployments before it. */
  private async lookBackTo(time: number, revealDelivery: boolean): Promise<void> {
    await setEvaluationTime(time);
    this.services.log.info(`Looking back to ${formatUtc(time)}: live refresh paused until Return to Now`);
    if (revealDelivery) await vscode.commands.executeCommand(`${VIEWS.delivery}.focus`);
  }

  private async openIncident(args: IncidentArgs | undefined, details: boolean): Promise<void> {
    if (!args || args.ids.length === 0) {
      await this.findIncident(undefined);
      return;
    }
    let id = args.ids[0];
    if (args.ids.length > 1) {
      const picked = await vscode.window.showQuickPick(
        args.ids.map((candidate) => {
          const incident = this.services.incidents.find(args.root, candidate);
          const label = incident ? formatIncidentLabel(incident) : candidate;
          return { label: escapeIcons(label), description: incident && escapeIcons(incident.title), id: candidate };
        }),
        { title: vscode.l10n.t('Open Incident'), placeHolder: vscode.l10n.t('Which incident?') },
      );
      if (!picked) return;
      id = picked.id;
    }
    if (details) await this.services.incidents.showDetails(args.root, id);
    else await this.services.incidents.open(args.root, id);
  }

  // ---- explain -----------------------------------------------------------------------------------

  /** The SLO's explanation page; from the palette, the SLO is picked first. */
  private async explainSlo(args: SloArgs | undefined): Promise<void> {
    if (args) {
      if (!this.services.store.find(args.root)) {
        this.services.log.warn(`Not explaining ${args.slo}: its root is not a .reliability/ workspace of this window`);
        return;
      }
      await this.explanations.open(args);
      return;
    }
    const items = this.services.store.workspaces().flatMap((workspace) =>
      (workspace.snapshot?.sloReports ?? []).map((report) => ({
        label: escapeIcons(report.name),
        description: escapeIcons(report.service),
        args: { root: workspace.root, service: report.service, slo: report.name } satisfies SloArgs,
      })),
    );
    if (items.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No SLOs in the current data.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Explain SLO'), placeHolder: vscode.l10n.t('Which SLO?'), matchOnDescription: true });
    if (picked) await this.explanations.open(picked.args);
  }

  // ---- merge check -------------------------------------------------------------------------------

  private async canIMerge(): Promise<void> {
    const workspace = await this.pickWorkspace(vscode.l10n.t('Check merging for which workspace?'));
    if (!workspace) return;
    const snapshot = workspace.snapshot;
    if (!snapshot) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Reliability data for {0} is still loading; try again in a moment.', workspace.name));
      return;
    }
    const engine = await loadEngine();
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reliability Lens: checking the merge') },
      () => engine.mergeCheck(snapshot, {}),
    );
    for (const line of formatMergeReport(result, workspace.name, result.base)) this.services.log.info(line);
    const message = notificationText(formatMergeMessage(result));
    const show =
      result.verdict === 'freeze'
        ? vscode.window.showErrorMessage
        : result.verdict === 'caution'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    const action = await show(message, vscode.l10n.t('Show All Reasons'));
    if (action) this.services.log.show(true);
  }

  // ---- starter folder ----------------------------------------------------------------------------

  private async createStarter(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
    if (folders.length === 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: the starter .reliability/ folder is written into it.'));
      return;
    }
    let folder = folders[0];
    if (folders.length > 1) {
      const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Create .reliability/ in which folder?') });
      if (!picked) return;
      folder = picked;
    }
    const config = path.join(folder.uri.fsPath, '.reliability', 'config.yaml');
    if (fs.existsSync(config)) {
      // The starter never overwrites a workspace's own configuration.
      await vscode.window.showTextDocument(vscode.Uri.file(config), { preview: false });
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} already has .reliability/config.yaml.', folder.name));
      return;
    }
    const engine = await loadEngine();
    // In Restricted Mode the starter still writes the files the user asked for, but runs no git (a
    // repository's own git configuration can run commands): the tag pattern is then the default one,
    // and config.yaml and the message say why. The same code as `reliability-lens init`.
    const trusted = vscode.workspace.isTrusted;
    let result;
    try {
      result = await engine.createStarterFolder(folder.uri.fsPath, { allowGit: trusted });
    } catch (error) {
      if (!engine.isUserFacingError(error)) throw error;
      void vscode.window.showErrorMessage(notificationText(error.message));
      return;
    }
    const found = describeStarterPlan(result.plan);
    this.services.log.info(`Starter files written in ${folder.uri.fsPath}: ${result.written.join(', ')}. ${found.services}. ${found.deployments}.`);
    this.services.store.rediscover();
    await vscode.window.showTextDocument(vscode.Uri.file(config), { preview: false });
    void vscode.window.showInformationMessage(
      notificationText(vscode.l10n.t('Created .reliability/ with {0} files. {1}. {2}.', result.written.length, found.services, found.deployments)),
    );
  }

  // ---- problems ----------------------------------------------------------------------------------

  private async openProblem(location: FileLocationArgs | undefined): Promise<void> {
    if (location) {
      await this.openWorkspaceLocation(location);
      return;
    }
    const items = this.services.store.workspaces().flatMap((workspace) =>
      (workspace.snapshot?.problems ?? []).filter(isFileProblem).map((problem) => ({
        label: `${problem.severity === 'error' ? '$(error)' : '$(warning)'} ${formatProblemLocation(problem)}`,
        description: escapeIcons(problem.message),
        location: { root: workspace.root, file: problem.file, line: problem.line, column: problem.column },
      })),
    );
    if (items.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No problems in .reliability/.'));
      return;
    }
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Open Problem'), matchOnDescription: true });
    if (picked) await openLocation(picked.location);
  }

  /** A location a command was given: only inside a workspace this window shows, never any folder. */
  private async openWorkspaceLocation(location: FileLocationArgs): Promise<void> {
    if (!this.services.store.find(location.root)) {
      this.services.log.warn(`Not opening ${location.file}: its root is not a .reliability/ workspace of this window`);
      return;
    }
    await openLocation(location);
  }

  // ---- tokens ------------------------------------------------------------------------------------

  private async setToken(given: TokenSource | undefined): Promise<void> {
    const source = given ?? (await this.pickSource(vscode.l10n.t('Set a token for which source?')));
    if (!source) return;
    if (source === 'github') {
      if (await this.services.tokens.signInToGitHub()) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to GitHub: Reliability Lens uses that session for api.github.com.'));
      }
      return;
    }
    const origin = await this.pickOrigin(source);
    if (!origin) return;
    const token = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} token', SOURCE_LABELS[source]),
      prompt: vscode.l10n.t("Token for {0}. It is kept in the editor's secret storage and sent only to this server.", origin),
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => (value.trim() ? undefined : vscode.l10n.t('Enter a token, or press Escape to cancel')),
    });
    if (!token?.trim()) return;
    await this.services.tokens.store(source, origin, token.trim());
    this.services.log.info(`Saved a ${source} token for ${origin}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved the {0} token for {1}.', SOURCE_LABELS[source], origin));
  }

  private async forgetToken(): Promise<void> {
    const saved = await this.services.tokens.saved();
    const items: Array<vscode.QuickPickItem & { source: TokenSource; origin?: string }> = saved.map((entry) => ({
      label: SOURCE_LABELS[entry.source],
      description: entry.origin,
      source: entry.source,
      origin: entry.origin,
    }));
    items.push({ label: SOURCE_LABELS.github, description: vscode.l10n.t('GitHub sign-in (Accounts menu)'), source: 'github' });
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Forget Token'), placeHolder: vscode.l10n.t('Forget which token?') });
    if (!picked) return;
    if (picked.source === 'github' || !picked.origin) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Reliability Lens uses your GitHub sign-in: sign out of GitHub from the Accounts menu to stop it.'));
      return;
    }
    await this.services.tokens.forget(picked.source, picked.origin);
    this.services.log.info(`Forgot the ${picked.source} token for ${picked.origin}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Forgot the {0} token for {1}.', SOURCE_LABELS[picked.source], picked.origin));
  }

  private async pickSource(title: string): Promise<TokenSource | undefined> {
    const picked = await vscode.window.showQuickPick(
      TOKEN_SOURCES.map((source) => ({
        label: SOURCE_LABELS[source],
        description: this.configuredOrigins(source).join(', ') || (source === 'github' ? vscode.l10n.t('sign in with GitHub') : vscode.l10n.t('not configured')),
        source,
      })),
      { title },
    );
    return picked?.source;
  }

  /** The server the token is for: the one configured, a choice among several, or typed in. */
  private async pickOrigin(source: SecretTokenSource): Promise<string | undefined> {
    const origins = this.configuredOrigins(source);
    if (origins.length === 1) return origins[0];
    if (origins.length > 1) {
      return vscode.window.showQuickPick(origins, { title: vscode.l10n.t('{0} server', SOURCE_LABELS[source]), placeHolder: vscode.l10n.t('Which server is the token for?') });
    }
    const url = await vscode.window.showInputBox({
      title: vscode.l10n.t('{0} server', SOURCE_LABELS[source]),
      prompt: vscode.l10n.t('No {0} server is configured in .reliability/config.yaml. Which server is the token for?', SOURCE_LABELS[source]),
      placeHolder: 'https://example.com',
      ignoreFocusOut: true,
      validateInput: (value) => (originOf(value.trim()) ? undefined : vscode.l10n.t('Enter an http(s) URL')),
    });
    return url ? (originOf(url.trim()) ?? undefined) : undefined;
  }

  private configuredOrigins(source: TokenSource): string[] {
    const origins = new Set<string>();
    for (const workspace of this.services.store.workspaces()) {
      const origin = workspace.snapshot && configuredOrigin(workspace.snapshot.config, source);
      if (origin) origins.add(origin);
    }
    return [...origins];
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /** The active file's workspace, the only one, or the user's choice. */
  private async pickWorkspace(placeHolder: string): Promise<ReliabilityWorkspace | undefined> {
    const all = this.services.store.workspaces();
    if (all.length === 0) {
      const action = await vscode.window.showWarningMessage(vscode.l10n.t('No .reliability/ folder in this window.'), vscode.l10n.t('Create Starter Folder'));
      if (action) await vscode.commands.executeCommand(COMMANDS.createStarter);
      return undefined;
    }
    const active = vscode.window.activeTextEditor?.document.uri;
    const owner = active && this.services.store.workspaceFor(active);
    if (owner) return owner;
    if (all.length === 1) return all[0];
    const picked = await vscode.window.showQuickPick(
      all.map((workspace) => ({ label: workspace.name, description: workspace.root, workspace })),
      { placeHolder },
    );
    return picked?.workspace;
  }
}

/** Opens a workspace file at a 1-based line and column (0: the top, or the line start). */
export async function openLocation(location: FileLocationArgs): Promise<void> {
  const file = resolveWorkspaceFile(location.root, location.file);
  const { line, character } = problemPosition({ file: location.file, line: location.line, column: location.column, severity: 'warning', message: '' });
  const position = new vscode.Position(line, character);
  await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position), preview: true });
}

/** Paths in problems are relative to the workspace root; tolerate ones relative to `.reliability/`. */
function resolveWorkspaceFile(root: string, file: string): string {
  const direct = path.resolve(root, file);
  if (fs.existsSync(direct)) return direct;
  const inside = path.resolve(root, '.reliability', file);
  return fs.existsSync(inside) ? inside : direct;
}
