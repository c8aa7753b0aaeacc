// Lenses, hovers and the current-line annotation of a file's recent commits. The git work (log and
// blame) runs once per file and snapshot. provideCodeLenses answers with every lens resolved, once the
// file's data is ready, so they appear together; a refresh builds the visible files' models again and
// tells the editor only about the files whose lenses changed (lensModel.ts), so the code does not move.
import * as vscode from 'vscode';
import type { FileChange } from '../../core/model';
import type { IncidentView, WorkspaceSnapshot } from '../../workspace/snapshot';
import * as path from 'node:path';
import { degradedDeployments } from '../../core/changeSignal';
import { servicesForPath } from '../../core/servicePaths';
import { effectiveRecentDays } from '../../core/incidents';
import { affectsSetting, readConfig } from '../../state/config';
import { Disposable } from '../dispose';
import { loadEngine } from '../engineModule';
import { ownsLine } from '../format';
import { COMMANDS } from '../ids';
import type { IncidentArgs } from '../ids';
import { toMarkdownString } from '../markdownString';
import type { ReliabilityWorkspace, WorkspaceStore } from '../../state/workspaceStore';
import { changeHoverMarkdown } from './changeHover';
import { CurrentLineAnnotation } from './currentLineAnnotation';
import { buildFileLensModel, FileLensModels, refreshLensModels, type FileLensModel, type LensSpec } from './lensModel';

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

  /** Drops the entries of files no longer open (their lenses are asked again when they open). */
  retain(files: ReadonlySet<string>): void {
    for (const file of [...this.entries.keys()]) if (!files.has(file)) this.invalidate(file);
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

class IncidentLens extends vscode.CodeLens {
  constructor(spec: LensSpec, root: string) {
    super(new vscode.Range(spec.line, 0, spec.line, 0), {
      title: spec.title,
      command: spec.incidentIds.length ? COMMANDS.openIncident : '',
      arguments: spec.incidentIds.length ? [{ root, ids: spec.incidentIds } satisfies IncidentArgs] : undefined,
      tooltip: spec.tooltip,
    });
  }
}

interface FileChanges {
  /** The document's path. */
  file: string;
  workspace: ReliabilityWorkspace;
  snapshot: WorkspaceSnapshot;
  changes: FileChange[];
}

export class IncidentLensProvider extends Disposable implements vscode.CodeLensProvider<IncidentLens>, vscode.HoverProvider {
  private readonly cache: FileChangeCache;
  private readonly models = new FileLensModels();
  /** The lenses of each model shown, so a kept model gives the editor the very same objects. */
  private readonly lenses = new WeakMap<FileLensModel, IncidentLens[]>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly modelChanged = this._register(new vscode.EventEmitter<string>());

  constructor(
    private readonly store: WorkspaceStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.cache = this._register(new FileChangeCache(log));
    const selector: vscode.DocumentSelector = { scheme: 'file' };
    this._register(vscode.languages.registerCodeLensProvider(selector, this));
    this._register(vscode.languages.registerHoverProvider(selector, this));
    this._register(new CurrentLineAnnotation((document) => this.modelOf(document), this.modelChanged.event, log));
    // New data keeps the cached changes of other snapshots' files: the cache is keyed by snapshot.
    this._register(store.onDidChange(() => this.refresh()));
    // Blame follows the file on disk: a save moves the lines commits own.
    this._register(
      vscode.workspace.onDidSaveTextDocument((document) => {
        this.cache.invalidate(document.uri.fsPath);
        this.refresh();
      }),
    );
    this._register(
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.cache.invalidate(document.uri.fsPath);
        this.models.forget(document.uri.fsPath);
      }),
    );
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSetting(event, 'recentDays')) this.cache.clear();
        if (affectsSetting(event, 'recentDays') || affectsSetting(event, 'codeLensShow')) this.refresh();
      }),
    );
  }

  async provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<IncidentLens[]> {
    const file = document.uri.fsPath;
    const found = await this.changesOf(document, token);
    // Not ready (an early snapshot, or asked again meanwhile): what is shown stays, or nothing yet.
    if (!found) {
      const kept = this.models.current(file);
      const workspace = this.store.workspaceFor(document.uri);
      return kept && workspace ? this.lensesOf(kept, workspace.root) : [];
    }
    const { model, changed } = this.models.settle(file, this.modelFrom(document, found));
    if (changed) this.modelChanged.fire(file);
    return this.lensesOf(model, found.workspace.root);
  }

  async provideHover(document: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const found = await this.changesOf(document, token);
    if (!found) return undefined;
    // Every line a recent commit still owns explains it, lens or not.
    const change = found.changes.find((candidate) => ownsLine(candidate, position.line + 1));
    if (!change) return undefined;
    const incidents = new Map<string, IncidentView>(found.snapshot.incidents.map((incident) => [incident.id, incident]));
    // The deployment of this file's services, as the lens tells it (core/changeSignal.ts).
    const services = this.servicesOf(found);
    const impacts = (found.snapshot.deploymentImpacts ?? []).filter((entry) => entry.deployment === change.deployment && services.includes(entry.service));
    return new vscode.Hover(toMarkdownString(changeHoverMarkdown(change, incidents, found.workspace.root, found.snapshot.now, impacts)));
  }

  /** The model a document shows, built when it has none yet (the annotation asks before any lens did). */
  private async modelOf(document: vscode.TextDocument): Promise<FileLensModel | undefined> {
    const file = document.uri.fsPath;
    const kept = this.models.current(file);
    if (kept) return kept;
    const found = await this.changesOf(document);
    if (!found) return undefined;
    const { model, changed } = this.models.settle(file, this.modelFrom(document, found));
    if (changed) this.modelChanged.fire(file);
    return model;
  }

  /**
   * After new data: the visible files' models are built again, and the editor is told only when one
   * changed. Files out of sight forget theirs; the editor asks again when it shows them.
   */
  private refresh(): void {
    const visible = new Map<string, vscode.TextDocument>();
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.scheme === 'file') visible.set(editor.document.uri.fsPath, editor.document);
    }
    for (const file of this.models.files()) if (!visible.has(file)) this.models.forget(file);
    this.cache.retain(new Set(vscode.workspace.textDocuments.map((document) => document.uri.fsPath)));
    let fire = false;
    refreshLensModels(
      this.models,
      [...visible.keys()],
      async (file) => {
        const document = visible.get(file)!;
        const found = await this.changesOf(document);
        return found && this.modelFrom(document, found);
      },
      (file) => {
        fire = true;
        this.modelChanged.fire(file);
      },
    ).then(
      () => {
        if (fire && !this.isDisposed) this.changed.fire();
      },
      (error: unknown) => this.log.warn(`Code lenses were not refreshed: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private modelFrom(document: vscode.TextDocument, found: FileChanges): FileLensModel {
    const { snapshot, changes } = found;
    return buildFileLensModel({
      changes,
      show: readConfig(document.uri).codeLensShow,
      severities: new Map(snapshot.incidents.map((incident) => [incident.id, incident.severity] as const)),
      degraded: degradedDeployments(snapshot.deploymentImpacts, this.servicesOf(found)),
      now: snapshot.now,
      lineText: (line) => (line >= 1 && line <= document.lineCount ? document.lineAt(line - 1).text : undefined),
      lineCount: document.lineCount,
    });
  }

  private servicesOf(found: FileChanges): string[] {
    return servicesForPath(path.relative(found.snapshot.root, found.file).split(path.sep).join('/'), found.snapshot.config.services);
  }

  private lensesOf(model: FileLensModel, root: string): IncidentLens[] {
    let lenses = this.lenses.get(model);
    if (!lenses) {
      lenses = model.lenses.map((spec) => new IncidentLens(spec, root));
      this.lenses.set(model, lenses);
    }
    return lenses;
  }

  private async changesOf(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<FileChanges | undefined> {
    const workspace = this.store.workspaceFor(document.uri);
    const snapshot = workspace?.snapshot;
    // An early snapshot has no delivery history yet: no lenses until it has (the store's change event
    // when it arrives builds the visible files' lenses).
    if (!workspace || !snapshot || snapshot.deliveryPending || /[\\/]\.git[\\/]/.test(document.uri.fsPath)) return undefined;
    const changes = await this.cache.changes(workspace, snapshot, document.uri.fsPath);
    if (token?.isCancellationRequested) return undefined;
    return { file: document.uri.fsPath, workspace, snapshot, changes };
  }
}
