// The service picker: a search box with a list of services, worst first (as the overview ranks them),
// in place of a tab per service, which stops working at a monorepo's 200. It is an ARIA combobox: type
// to filter, arrow keys move through the list, Enter picks, Escape closes; a click picks too.
import { formatBudgetPercent } from '../../src/core/format';
import type { DashboardServiceSummary } from '../../src/shared/protocol';
import { searchServices } from './chartData';
import { el, statusSymbol, uniqueId } from './dom';
import { formatStatus } from '../../src/views/format';

export interface ServicePickerOptions {
  services: readonly DashboardServiceSummary[];
  selected: string | undefined;
  /** What was typed before the page was redrawn, kept so a refresh does not wipe a search. */
  query: string;
  onQuery: (query: string) => void;
  onPick: (service: string) => void;
}

/** `critical · 12% budget · 2 open`: the words a list row and a screen reader give for a service. */
export function serviceSummaryText(service: DashboardServiceSummary): string {
  const parts = [service.status ? formatStatus(service.status) : 'no SLOs'];
  if (service.worstBudgetRemaining !== null && service.status !== 'no-data') parts.push(`${formatBudgetPercent(service.worstBudgetRemaining)} budget`);
  if (service.openIncidents.length) parts.push(`${service.openIncidents.length} open incident${service.openIncidents.length === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export function renderServicePicker(options: ServicePickerOptions): HTMLElement {
  const root = el('div', { className: 'service-picker' });
  const inputId = uniqueId('service-search');
  const listId = uniqueId('service-options');
  const label = el('label', { className: 'picker-label', text: 'Service' });
  label.htmlFor = inputId;
  const input = el('input', { className: 'picker-input' });
  input.id = inputId;
  input.type = 'text';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.value = options.query;
  input.placeholder = `Search ${options.services.length} service${options.services.length === 1 ? '' : 's'}…`;
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', listId);
  input.setAttribute('aria-expanded', 'false');
  const list = el('ul', { className: 'picker-list' });
  list.id = listId;
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Services, those that need attention first');
  list.hidden = true;
  const attention = options.services.filter((service) => service.needsAttention).length;
  const count = el('span', { className: 'picker-count', text: `${attention} of ${options.services.length} need attention` });

  let shown: DashboardServiceSummary[] = [];
  let active = -1;

  const setActive = (index: number) => {
    active = index;
    const rows = list.children;
    for (let i = 0; i < rows.length; i++) rows[i].classList.toggle('active', i === active);
    const row = rows[active] as HTMLElement | undefined;
    if (row) {
      input.setAttribute('aria-activedescendant', row.id);
      row.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const fill = () => {
    shown = searchServices(options.services, input.value);
    list.replaceChildren();
    shown.forEach((service, index) => {
      const row = el('li', { className: `picker-option status-${service.status ?? 'none'}` });
      row.id = `${listId}-${index}`;
      row.setAttribute('role', 'option');
      row.setAttribute('aria-selected', String(service.name === options.selected));
      row.dataset.service = service.name;
      row.append(statusSymbol(service.status), el('span', { className: 'picker-name', text: service.name }), el('span', { className: 'picker-meta', text: serviceSummaryText(service) }));
      // mousedown, not click: the input keeps the focus and the list stays until the pick is made.
      row.addEventListener('mousedown', (event) => {
        event.preventDefault();
        pick(index);
      });
      list.append(row);
    });
    if (shown.length === 0) {
      const none = el('li', { className: 'picker-empty', text: 'No service matches' });
      none.setAttribute('role', 'presentation');
      list.append(none);
    }
  };
  const open = () => {
    if (!list.hidden) return;
    fill();
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    const selected = shown.findIndex((service) => service.name === options.selected);
    setActive(selected >= 0 && !input.value ? selected : shown.length ? 0 : -1);
  };
  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  };
  const pick = (index: number) => {
    const service = shown[index];
    if (!service) return;
    close();
    input.value = '';
    options.onQuery('');
    options.onPick(service.name);
  };

  input.addEventListener('focus', open);
  input.addEventListener('click', open);
  input.addEventListener('blur', close);
  input.addEventListener('input', () => {
    options.onQuery(input.value);
    list.hidden = true;
    open();
    setActive(shown.length ? 0 : -1);
  });
  input.addEventListener('keydown', (event) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (list.hidden) open();
        else setActive(Math.min(shown.length - 1, active + 1));
        return;
      case 'ArrowUp':
        event.preventDefault();
        if (list.hidden) open();
        else setActive(Math.max(0, active - 1));
        return;
      case 'Home':
      case 'End':
        if (list.hidden) return;
        event.preventDefault();
        setActive(event.key === 'Home' ? 0 : shown.length - 1);
        return;
      case 'Enter':
        if (list.hidden || active < 0) return;
        event.preventDefault();
        pick(active);
        return;
      case 'Escape':
        if (list.hidden) {
          input.value = '';
          options.onQuery('');
        } else close();
        return;
    }
  });

  const box = el('div', { className: 'picker-box' });
  box.append(input, list);
  root.append(label, box, count);
  return root;
}
