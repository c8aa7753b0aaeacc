// Human output: aligned plain-text tables, with colour only when writing to a terminal.

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

// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-9;]*m/g;

function visibleLength(text: string): number {
  return text.replace(ANSI_PATTERN, '').length;
}

export type Alignment = 'left' | 'right';

/** Renders rows under a header with columns padded to their widest cell; numbers are usually right-aligned. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Alignment[] = []): string {
  const widths = header.map((h, col) => Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[col] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, col) => {
        const pad = ' '.repeat(widths[col] - visibleLength(cell));
        return align[col] === 'right' ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
