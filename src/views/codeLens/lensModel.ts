// What a file shows of its recent changes, as plain data: the code lenses (the file's summary at the
// top and, by `reliabilityLens.codeLens.show`, one per change) and the text of the current-line
// annotation of every line a change owns. No vscode: incidentLenses.ts turns a model into CodeLens
// objects, and this module decides when a new model is the same as the one shown, so a refresh that
// changed nothing of the file keeps its lenses (the same objects) and the code never jumps.
import { changeSignal, type DegradedDeployments } from '../../core/changeSignal';
import * as l10n from '@vscode/l10n';
import type { FileChange, Severity } from '../../core/model';
import type { CodeLensShow } from '../../state/config';
import { formatChangeAnnotation, formatChangeLensTitle, formatFileLensTitle, lensLine, linkedIncidentIds } from '../format';
import { escapeIcons, singleLine } from '../untrustedText';

export interface LensSpec {
  /** 0-based line the lens sits above. */
  line: number;
  /** Ready to show: `$(name)` in data is escaped, since lens titles draw icons. */
  title: string;
  tooltip: string;
  /** The incidents a click opens; empty: the lens is text only. */
  incidentIds: string[];
}

export interface LineAnnotation {
  /** 1-based inclusive line ranges the change still owns. */
  lines: ReadonlyArray<readonly [number, number]>;
  /** Plain text (decorations draw no icons or markdown), one line. */
  text: string;
}

export interface FileLensModel {
  lenses: LensSpec[];
  annotations: LineAnnotation[];
  /** Equal keys: the same lenses and annotations (what the editor would draw). */
  key: string;
}

export interface FileLensInput {
  changes: readonly FileChange[];
  show: CodeLensShow;
  severities: ReadonlyMap<string, Severity>;
  degraded: DegradedDeployments;
  now: number;
  /** The document's 1-based line, undefined past its end. */
  lineText: (line: number) => string | undefined;
  lineCount: number;
}

/** Whether a change gets a lens of its own in this mode (the rule of a signal is core's). */
export function hasOwnLens(change: FileChange, show: CodeLensShow, degraded: DegradedDeployments): boolean {
  if (show === 'summary') return false;
  return show === 'all' || changeSignal(change, degraded) !== null;
}

export function buildFileLensModel(input: FileLensInput): FileLensModel {
  const { changes, show, severities, degraded, now } = input;
  if (changes.length === 0) return { lenses: [], annotations: [], key: '[]' };
  const ids = linkedIncidentIds(changes);
  const lenses: LensSpec[] = [
    {
      line: 0,
      title: escapeIcons(formatFileLensTitle(changes)),
      tooltip: ids.length ? l10n.t('Open the linked incidents') : l10n.t('No incident links these changes'),
      incidentIds: ids,
    },
  ];
  for (const change of changes) {
    if (!hasOwnLens(change, show, degraded)) continue;
    const line = lensLine(change, input.lineText);
    if (line === undefined || line > input.lineCount) continue;
    lenses.push({
      line: line - 1,
      title: escapeIcons(formatChangeLensTitle(change, severities, now, degraded)),
      tooltip: singleLine(change.subject),
      incidentIds: change.incidents.map((link) => link.id),
    });
  }
  const annotations = changes
    .filter((change) => change.lines.length > 0)
    .map((change) => ({ lines: change.lines, text: singleLine(formatChangeAnnotation(change, severities, now, degraded)) }));
  return { lenses, annotations, key: JSON.stringify([lenses, annotations]) };
}

/** The annotation of a 1-based line: the change that owns it, if any. */
export function annotationAt(model: FileLensModel | undefined, line: number): string | undefined {
  return model?.annotations.find((annotation) => annotation.lines.some(([start, end]) => line >= start && line <= end))?.text;
}

/**
 * The model each file shows. A new model with the same content as the one shown is dropped for it,
 * so the editor gets the very same lens objects back and nothing moves.
 */
export class FileLensModels {
  private readonly shown = new Map<string, FileLensModel>();

  current(file: string): FileLensModel | undefined {
    return this.shown.get(file);
  }

  /** The model to show now, and whether it differs from the one shown before (a first one always does). */
  settle(file: string, next: FileLensModel): { model: FileLensModel; changed: boolean } {
    const previous = this.shown.get(file);
    if (previous && previous.key === next.key) return { model: previous, changed: false };
    this.shown.set(file, next);
    return { model: next, changed: true };
  }

  forget(file: string): void {
    this.shown.delete(file);
  }

  files(): string[] {
    return [...this.shown.keys()];
  }

  clear(): void {
    this.shown.clear();
  }
}

/**
 * After new data (a refresh, a save, a setting): builds the model of each file again and calls
 * `changed` for the files whose lenses or annotations differ; the others keep theirs. `build` answers
 * undefined while the data is not ready (an early snapshot): the file keeps what it shows.
 */
export async function refreshLensModels(
  models: FileLensModels,
  files: readonly string[],
  build: (file: string) => Promise<FileLensModel | undefined>,
  changed: (file: string) => void,
): Promise<void> {
  await Promise.all(
    files.map(async (file) => {
      const next = await build(file);
      if (next === undefined) return;
      if (models.settle(file, next).changed) changed(file);
    }),
  );
}
