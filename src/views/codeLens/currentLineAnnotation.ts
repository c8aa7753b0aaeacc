// The recent commit behind the line the cursor is on, at the end of that line only, in the faded
// colour of code lenses: an inline blame that tells about every recent change without a lens of its
// own. An `after` decoration adds no line, so the code never moves. `reliabilityLens.currentLineAnnotation` turns it off.
import * as vscode from 'vscode';
import { affectsSetting, readConfig } from '../../state/config';
import { Disposable } from '../dispose';
import { annotationAt, type FileLensModel } from './lensModel';

export class CurrentLineAnnotation extends Disposable {
  private readonly decoration = this._register(
    vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), margin: '0 0 0 3em', fontStyle: 'italic' },
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
    }),
  );
  private decorated: vscode.TextEditor | undefined;
  /** Counts updates, so a late answer for an older cursor position is dropped. */
  private generation = 0;

  constructor(
    private readonly modelOf: (document: vscode.TextDocument) => Promise<FileLensModel | undefined>,
    onModelChanged: vscode.Event<string>,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(vscode.window.onDidChangeTextEditorSelection((event) => event.textEditor === vscode.window.activeTextEditor && this.update()));
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.update()));
    this._register(onModelChanged((file) => vscode.window.activeTextEditor?.document.uri.fsPath === file && this.update()));
    // Typing moves the lines a commit owns until the file is saved and blamed again: hidden meanwhile.
    this._register(vscode.workspace.onDidChangeTextDocument((event) => event.document === this.decorated?.document && this.clear()));
    this._register(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (affectsSetting(event, 'currentLineAnnotation')) this.update();
      }),
    );
    this._register({ dispose: () => this.clear() });
    this.update();
  }

  private update(): void {
    const generation = ++this.generation;
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.document.uri.scheme !== 'file' || !readConfig(editor.document.uri).currentLineAnnotation) {
      this.clear();
      return;
    }
    const document = editor.document;
    this.modelOf(document).then(
      (model) => {
        if (generation !== this.generation || this.isDisposed) return;
        const line = editor.selection.active.line;
        const text = document.isDirty ? undefined : annotationAt(model, line + 1);
        if (this.decorated && this.decorated !== editor) this.clear();
        if (text === undefined || line >= document.lineCount) {
          editor.setDecorations(this.decoration, []);
          return;
        }
        const end = document.lineAt(line).range.end;
        editor.setDecorations(this.decoration, [{ range: new vscode.Range(end, end), renderOptions: { after: { contentText: text } } }]);
        this.decorated = editor;
      },
      (error: unknown) => this.log.warn(`Current-line annotation: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private clear(): void {
    this.decorated?.setDecorations(this.decoration, []);
    this.decorated = undefined;
  }
}
