// Small DOM helpers of the dashboard page. Text from incidents, services and servers is data: it only
// ever goes in textContent or a title, made inert first (inertLine: no control or bidi characters).
import { inertLine } from '../../src/core/inertText';
import type { SloStatus } from '../../src/core/model';
import { formatStatus } from '../../src/views/format';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, init: { className?: string; text?: string } = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (init.className) node.className = init.className;
  if (init.text !== undefined) node.textContent = inertLine(init.text);
  return node;
}

export function setTitle(node: HTMLElement, text: string): void {
  node.title = inertLine(text);
}

export function addFact(list: HTMLElement, term: string, value: string): void {
  list.append(el('dt', { text: term }), el('dd', { text: value }));
}

/** A symbol for each status, shown with its word: status is never told by colour alone. */
const STATUS_SYMBOLS: Record<SloStatus, string> = {
  healthy: '✓',
  warning: '⚠',
  critical: '✕',
  exhausted: '⊘',
  'no-data': '–',
};

/** `✕ critical` as a pill: the symbol is decorative (aria-hidden), the word is read. */
export function statusBadge(status: SloStatus | null, extraClass = ''): HTMLElement {
  const badge = el('span', { className: `status status-${status ?? 'none'}${extraClass ? ` ${extraClass}` : ''}` });
  badge.append(statusSymbol(status), document.createTextNode(status ? formatStatus(status) : 'no SLOs'));
  return badge;
}

export function statusSymbol(status: SloStatus | null): HTMLElement {
  const symbol = el('span', { className: 'status-symbol', text: status ? STATUS_SYMBOLS[status] : '○' });
  symbol.setAttribute('aria-hidden', 'true');
  return symbol;
}

let nextId = 0;

/** A document-unique id for aria references. */
export function uniqueId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A real button that turns something on and off, announced as such (aria-pressed). */
export function toggleButton(label: string, pressed: boolean, onToggle: (pressed: boolean) => void): HTMLButtonElement {
  const button = el('button', { className: 'toggle', text: label });
  button.type = 'button';
  button.setAttribute('aria-pressed', String(pressed));
  button.addEventListener('click', () => {
    const next = button.getAttribute('aria-pressed') !== 'true';
    button.setAttribute('aria-pressed', String(next));
    onToggle(next);
  });
  return button;
}

/**
 * A table of a chart's numbers. Always in the document for screen readers; visually hidden until its
 * button shows it (aria-expanded on the button, aria-controls the table).
 */
export function chartTable(caption: string, head: readonly string[], rows: ReadonlyArray<readonly string[]>): { toggle: HTMLButtonElement; table: HTMLElement } {
  const wrapper = el('div', { className: 'chart-table visually-hidden' });
  wrapper.id = uniqueId('chart-table');
  const table = el('table');
  table.append(el('caption', { text: caption }));
  const headRow = el('tr');
  for (const cell of head) {
    const th = el('th', { text: cell });
    th.scope = 'col';
    headRow.append(th);
  }
  const thead = el('thead');
  thead.append(headRow);
  const tbody = el('tbody');
  for (const row of rows) {
    const tr = el('tr');
    for (const cell of row) tr.append(el('td', { text: cell }));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  wrapper.append(table);
  const toggle = el('button', { className: 'toggle table-toggle', text: 'Table' });
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', wrapper.id);
  toggle.title = `Show the numbers of "${caption}" as a table`;
  toggle.addEventListener('click', () => {
    const show = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(show));
    wrapper.classList.toggle('visually-hidden', !show);
  });
  return { toggle, table: wrapper };
}
