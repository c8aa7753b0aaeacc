// Human output: aligned plain-text tables, with colour only when writing to a terminal.
import { inertLine } from '../core/inertText';

export interface Styler {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
}

const plain: Styler = { bold: (t) => t, dim: (t) => t, red: (t) => t, yellow: (t) => t, green: (t) => t };

function ansi(code: number): (text: string) => string {
  return (text) => `\u001b[${code}m${text}\u001b[0m`;
}

export function createStyler(colour: boolean): Styler {
  if (!colour) return plain;
  return { bold: ansi(1), dim: ansi(2), red: ansi(31), yellow: ansi(33), green: ansi(32) };
}

/** A cell drawn in a colour: the table makes the text safe and measures it, then paints it. */
export interface PaintedCell {
  text: string;
  paint(text: string): string;
}

/** A table cell: data as it came (made safe by the table) or painted data. */
export type Cell = string | PaintedCell;

export function painted(text: string, paint: (text: string) => string): PaintedCell {
  return { text, paint };
}

export type Alignment = 'left' | 'right';

/**
 * Renders rows under a header with columns padded to their widest cell; numbers are usually
 * right-aligned. Every cell is data from files, servers or git: it is made a safe single line here,
 * before any colour is added, so widths count what the reader sees.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly Cell[])[], align: readonly Alignment[] = []): string {
  const safeRows = rows.map((row) => row.map(safeCell));
  // Loops, not Math.max(...column): a spread of 125,000 rows overflows the call stack.
  const widths = header.map((h) => h.length);
  for (const row of safeRows) {
    for (let col = 0; col < widths.length; col++) widths[col] = Math.max(widths[col], row[col]?.text.length ?? 0);
  }
  const line = (cells: readonly PaintedCell[]): string =>
    cells
      .map((cell, col) => {
        const pad = ' '.repeat(widths[col] - cell.text.length);
        const text = cell.paint(cell.text);
        return align[col] === 'right' ? pad + text : text + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header.map((h) => painted(h, unpainted))), ...safeRows.map(line)].join('\n');
}

const unpainted = (text: string): string => text;

function safeCell(cell: Cell): PaintedCell {
  return typeof cell === 'string' ? painted(inertLine(cell), unpainted) : painted(inertLine(cell.text), cell.paint);
}
