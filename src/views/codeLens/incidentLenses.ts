// GitLens-style lenses and hovers linking a file's recent commits to incidents. The git work (log and
// blame) runs once per file and snapshot; provideCodeLenses then answers from that cache, and
// resolveCodeLens fills in titles and commands only for the lenses on screen.
import * as vscode from 'vscode';
import type { FileChange, Severity } from '../../core/model';
import type { IncidentView, WorkspaceSnapshot } from '../../workspace/snapshot';
import { effectiveRecentDays } from '../../core/incidents';
import { affectsSetting, readConfig } from '../../state/config';
import { Disposable } from '../dispose';
import { loadEngine } from '../engineModule';
import { degradedDeployments, formatChangeLensTitle, formatFileLensTitle, lensLine, linkedIncidentIds, ownsLine } from '../format';
import { COMMANDS } from '../ids';
import type { IncidentArgs } from '../ids';
import { toMarkdownString } from '../markdownString';
import { escapeIcons, singleLine } from '../untrustedText';
import type { ReliabilityWorkspace, WorkspaceStore } from '../../state/workspaceStore';
import { changeHoverMarkdown } from './changeHover';

interface CacheEntry {
  snapshot: WorkspaceSnapshot;
  controller: AbortController;
  changes: Promise<FileChange[]>;
}

/** Recent changes per file for the current snapshot; dropped when the data or the file changes. */
class FileChangeCache extends Disposable {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    this._register({ dispose: () => this.clear() });
  }

  changes(workspace: ReliabilityWorkspace, snapshot: WorkspaceSnapshot, file: string): Promise<FileChange[]> {
    const cached = this.entries.get(file);
    if (cached && cached.snapshot === snapshot) return cached.changes;
    cached?.controller.abort();
    const controller = new AbortController();
    const changes = this.compute(workspace, snapshot, file, controller.signal);
    this.entries.set(file, { snapshot, controller, changes });
    return changes;
  }

  private async compute(workspace: ReliabilityWorkspace, snapshot: WorkspaceSnapshot, file: string, signal: AbortSignal): Promise<FileChange[]> {
    try {
      const engine = await loadEngine();
      const recentDays = effectiveRecentDays(snapshot.config.recentDays, readConfig(workspace.folder.uri).recentDays);
      return await engine.fileLens(snapshot, file, { recentDays, signal });
    } catch (error) {
      if (!signal.aborted) this.log.warn(`Recent changes of ${file}: ${error instanceof Error ? error.message : String(error)}`);
      this.entries.delete(file);
      return [];
    }
  }

  invalidate(file: string): void {
    this.entries.get(file)?.controller.abort();
    this.entries.delete(file);
  }

  clear(): void {
    for (const entry of this.entries.values()) entry.controller.abort();
    this.entries.clear();
  }
}

type IncidentLensData =
  | { kind: 'file'; root: string; changes: FileChange[] }
  | {
      kind: 'change';
      root: string;
      change: FileChange;
      severities: ReadonlyMap<string, Severity>;
      now: number;
      /** Deployment name -> the SLOs it degraded (DOMAIN.md section 6). */
      degraded: ReadonlyMap<string, readonly string[]>;
    };

class IncidentLens extends vscode.CodeLens {
  constructor(
    range: vscode.Range,
    readonly data: IncidentLensData,
  ) {
    super(range);
  }
}

export class IncidentLensProvider extends Disposable implements vscode.CodeLensProvider<IncidentLens>, vscode.HoverProvider {
  private readonly cache: FileChangeCache;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly store: WorkspaceStore,
    log: vscode.LogOutputChannel,
  ) {
    super();
    this.cache = this._register(new FileChangeCache(log));
    const selector: vscode.DocumentSelector = { scheme: 'file' };
    this._register(vscode.languages.registerCodeLensProvider(selector, this));
    this._register(vscode.languages.registerHoverProvider(selector, this));
    this._register(
      store.onDidChange(() => {
        this.cache.clear();
        this.changed.fire();
      }),
    );
    // Blame follows the file on disk: a save moves the lines commits own.
    this._register(
      vscode.workspace.onDidSaveTextDocument((document) => {
        this.cache.invalidate(document.uri.fsPath);
        this.changed.fire();
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSetting(event, 'recentDays')) {
          this.cache.clear();
          this.changed.fire();
        }
      }),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<IncidentLens[]> {
    const found = await this.changesOf(document, token);
    if (!found || found.changes.length === 0) return [];
    const { workspace, snapshot, changes } = found;
    const severities = new Map(snapshot.incidents.map((incident) => [incident.id, incident.severity] as const));
    const degraded = degradedDeployments(snapshot.deploymentImpacts);
    const lenses = [new IncidentLens(new vscode.Range(0, 0, 0, 0), { kind: 'file', root: workspace.root, changes })];
    const lineText = (line: number) => (line >= 1 && line <= document.lineCount ? document.lineAt(line - 1).text : undefined);
    for (const change of changes) {
      const line = lensLine(change, lineText);
      if (line === undefined || line > document.lineCount) continue;
      lenses.push(
        new IncidentLens(new vscode.Range(line - 1, 0, line - 1, 0), {
          kind: 'change',
          root: workspace.root,
          change,
          severities,
          now: snapshot.now,
          degraded,
        }),
      );
    }
    return lenses;
  }

  resolveCodeLens(lens: IncidentLens): IncidentLens {
    const data = lens.data;
    if (data.kind === 'file') {
      const ids = linkedIncidentIds(data.changes);
      lens.command = {
        // Lens titles draw `$(name)` icons; incident ids and tag names are data.
        title: escapeIcons(formatFileLensTitle(data.changes)),
        command: ids.length ? COMMANDS.openIncident : '',
        arguments: ids.length ? [{ root: data.root, ids } satisfies IncidentArgs] : undefined,
        tooltip: ids.length ? 'Open the linked incidents' : 'No incident links these changes',
      };
    } else {
      const ids = data.change.incidents.map((link) => link.id);
      lens.command = {
        title: escapeIcons(formatChangeLensTitle(data.change, data.severities, data.now, data.degraded)),
        command: ids.length ? COMMANDS.openIncident : '',
        arguments: ids.length ? [{ root: data.root, ids } satisfies IncidentArgs] : undefined,
        tooltip: singleLine(data.change.subject),
      };
    }
    return lens;
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const found = await this.changesOf(document, token);
    if (!found) return undefined;
    const line = position.line + 1;
    // Commits linked to incidents explain every line they own; the rest only on their lens line.
    const lineText = (n: number) => (n >= 1 && n <= document.lineCount ? document.lineAt(n - 1).text : undefined);
    const change = found.changes.find((candidate) =>
      candidate.incidents.length ? ownsLine(candidate, line) : lensLine(candidate, lineText) === line,
    );
    if (!change) return undefined;
    const incidents = new Map<string, IncidentView>(found.snapshot.incidents.map((incident) => [incident.id, incident]));
    const impacts = (found.snapshot.deploymentImpacts ?? []).filter((entry) => entry.deployment === change.deployment);
    return new vscode.Hover(toMarkdownString(changeHoverMarkdown(change, incidents, found.workspace.root, found.snapshot.now, impacts)));
  }

  private async changesOf(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): Promise<{ workspace: ReliabilityWorkspace; snapshot: WorkspaceSnapshot; changes: FileChange[] } | undefined> {
    const workspace = this.store.workspaceFor(document.uri);
    const snapshot = workspace?.snapshot;
    // An early snapshot has no delivery history yet: no lenses until it has (the store's change event
    // when it arrives clears the cache and asks for lenses again).
    if (!workspace || !snapshot || snapshot.deliveryPending || /[\\/]\.git[\\/]/.test(document.uri.fsPath)) return undefined;
    const changes = await this.cache.changes(workspace, snapshot, document.uri.fsPath);
    if (token.isCancellationRequested) return undefined;
    return { workspace, snapshot, changes };
  }
}
