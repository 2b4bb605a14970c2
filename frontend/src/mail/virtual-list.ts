// A virtualized listbox: fixed row height, one spacer as tall as all rows,
// and only the rows in view (plus a little overscan) in the DOM. Rows are
// fetched a page at a time as the user scrolls; a small LRU keeps recent
// pages so scrolling back does not refetch. Stays smooth at 100,000 rows.

export interface Page<T> { total: number; items: T[] }
export type Fetch<T> = (offset: number, limit: number) => Promise<Page<T>>;

export interface VirtualListOptions<T> {
  rowHeight: number;
  pageSize?: number;      // rows per fetch (default 100)
  maxPages?: number;      // pages kept in the cache (default 12)
  overscan?: number;      // rows rendered beyond the viewport (default 6)
  label: string;          // accessible name of the listbox
  renderRow: (item: T, el: HTMLElement) => void;
  // what a screen reader says for the row; without it, the row's content is its name
  rowLabel?: (item: T) => string;
  placeholder: () => string;     // text of a row not loaded yet
  onOpen?: (item: T, index: number) => void;
  onDelete?: (item: T, index: number) => void;
  onSelect?: (item: T | undefined, index: number) => void;
  viewportHeight?: () => number; // for tests (jsdom has no layout)
}

export class VirtualList<T> {
  readonly el: HTMLDivElement;
  private spacer: HTMLDivElement;
  private opts: Required<Omit<VirtualListOptions<T>, 'onOpen' | 'onDelete' | 'onSelect' | 'viewportHeight' | 'rowLabel'>> & VirtualListOptions<T>;
  private fetch: Fetch<T>;
  private pages = new Map<number, T[]>(); // insertion order = LRU order
  private inflight = new Set<number>();
  private generation = 0;
  private total = -1; // unknown until the first page arrives
  private selected = -1;
  private rendered = new Map<number, HTMLElement>();
  private shown = new WeakMap<HTMLElement, T | undefined>(); // the item each row shows
  private stale = new Set<number>(); // cached pages shown until their refetch arrives
  private frame = 0;
  readonly fetched: Array<[number, number]> = []; // (offset, limit) of every fetch, for tests and diagnostics

  constructor(fetch: Fetch<T>, opts: VirtualListOptions<T>) {
    this.fetch = fetch;
    this.opts = { pageSize: 100, maxPages: 12, overscan: 6, ...opts };
    this.el = document.createElement('div');
    this.el.className = 'vlist';
    this.el.setAttribute('role', 'listbox');
    this.el.setAttribute('aria-label', opts.label);
    this.el.tabIndex = 0;
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    this.spacer.style.position = 'relative';
    this.el.append(this.spacer);
    this.el.addEventListener('scroll', () => this.schedule());
    this.el.addEventListener('keydown', (e) => this.key(e));
    this.el.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (!row) return;
      const i = Number(row.dataset.index);
      this.select(i);
      const item = this.item(i);
      if (item !== undefined) this.opts.onOpen?.(item, i);
    });
    this.update();
  }

  // reset shows a new source (another folder, search results) from the top.
  reset(fetch: Fetch<T>, label?: string): void {
    this.fetch = fetch;
    if (label) this.el.setAttribute('aria-label', label);
    this.generation++;
    this.pages.clear();
    this.stale.clear();
    this.inflight.clear();
    this.total = -1;
    this.selected = -1;
    this.el.scrollTop = 0;
    this.el.removeAttribute('aria-activedescendant');
    this.update();
  }

  // refresh drops cached pages but keeps position and selection (after a change).
  refresh(): void {
    this.generation++;
    this.inflight.clear();
    this.stale = new Set(this.pages.keys());
    this.update();
  }

  get count(): number { return Math.max(this.total, 0); }
  get selectedIndex(): number { return this.selected; }
  item(i: number): T | undefined {
    const page = this.pages.get(Math.floor(i / this.opts.pageSize));
    return page?.[i % this.opts.pageSize];
  }

  private viewport(): number {
    return this.opts.viewportHeight?.() ?? (this.el.clientHeight || 600);
  }

  private schedule(): void {
    if (this.frame) return;
    const run = () => { this.frame = 0; this.update(); };
    if (typeof requestAnimationFrame === 'function') this.frame = requestAnimationFrame(run);
    else { this.frame = 1; setTimeout(run, 0); }
  }

  // update renders the rows in view and fetches the pages they need.
  update(): void {
    const { rowHeight, overscan, pageSize } = this.opts;
    const total = this.total < 0 ? pageSize : this.total;
    this.spacer.style.height = `${Math.max(this.total, 0) * rowHeight}px`;
    const top = this.el.scrollTop;
    const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
    const last = Math.min(total - 1, Math.ceil((top + this.viewport()) / rowHeight) + overscan);
    for (let p = Math.floor(first / pageSize); p <= Math.floor(Math.max(last, 0) / pageSize); p++) this.need(p);
    if (this.total < 0) return;
    const keep = new Set<number>();
    for (let i = first; i <= last; i++) {
      keep.add(i);
      this.renderRow(i);
    }
    for (const [i, row] of this.rendered) {
      if (!keep.has(i)) { row.remove(); this.rendered.delete(i); }
    }
  }

  private renderRow(i: number): void {
    let row = this.rendered.get(i);
    const item = this.item(i);
    if (row && this.shown.has(row) && this.shown.get(row) === item && row.getAttribute('aria-setsize') === String(this.total)) {
      this.mark(row, i);
      return;
    }
    if (!row) {
      row = document.createElement('div');
      row.setAttribute('role', 'option');
      row.className = 'vlist-row';
      row.style.position = 'absolute';
      row.style.left = '0';
      row.style.right = '0';
      row.style.height = `${this.opts.rowHeight}px`;
      row.style.top = `${i * this.opts.rowHeight}px`;
      row.id = `${this.el.id || 'vlist'}-row-${i}`;
      row.dataset.index = String(i);
      this.spacer.append(row);
      this.rendered.set(i, row);
    }
    this.shown.set(row, item);
    row.setAttribute('aria-setsize', String(this.total));
    row.setAttribute('aria-posinset', String(i + 1));
    row.replaceChildren();
    if (item === undefined) {
      row.textContent = this.opts.placeholder();
      row.setAttribute('aria-busy', 'true');
      row.removeAttribute('aria-label');
    } else {
      row.removeAttribute('aria-busy');
      this.opts.renderRow(item, row);
      if (this.opts.rowLabel) row.setAttribute('aria-label', this.opts.rowLabel(item));
    }
    this.mark(row, i);
  }

  private mark(row: HTMLElement, i: number): void {
    row.setAttribute('aria-selected', i === this.selected ? 'true' : 'false');
  }

  private need(p: number): void {
    const page = this.pages.get(p);
    if (page && !this.stale.has(p)) { // touch for LRU
      this.pages.delete(p);
      this.pages.set(p, page);
      return;
    }
    if (this.inflight.has(p)) return;
    this.inflight.add(p);
    const gen = this.generation;
    const offset = p * this.opts.pageSize;
    this.fetched.push([offset, this.opts.pageSize]);
    this.fetch(offset, this.opts.pageSize).then((res) => {
      if (gen !== this.generation) return; // a stale answer for a source no longer shown
      this.inflight.delete(p);
      this.total = res.total;
      this.stale.delete(p);
      this.pages.delete(p);
      this.pages.set(p, res.items);
      while (this.pages.size > this.opts.maxPages) {
        const oldest = this.pages.keys().next().value as number;
        this.pages.delete(oldest);
      }
      if (this.selected >= this.total) this.select(this.total - 1);
      this.update();
      this.el.dispatchEvent(new CustomEvent('vlist:loaded', { detail: { offset, total: res.total } }));
    }, () => {
      if (gen === this.generation) this.inflight.delete(p);
    });
  }

  select(i: number, focus = false): void {
    if (this.total <= 0) { this.selected = -1; return; }
    i = Math.max(0, Math.min(this.total - 1, i));
    this.selected = i;
    const { rowHeight } = this.opts;
    const top = i * rowHeight;
    if (top < this.el.scrollTop) this.el.scrollTop = top;
    else if (top + rowHeight > this.el.scrollTop + this.viewport()) this.el.scrollTop = top + rowHeight - this.viewport();
    this.update();
    const row = this.rendered.get(i);
    if (row) this.el.setAttribute('aria-activedescendant', row.id);
    for (const [j, r] of this.rendered) this.mark(r, j);
    if (focus) this.el.focus();
    this.opts.onSelect?.(this.item(i), i);
  }

  private key(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.viewport() / this.opts.rowHeight) - 1);
    const at = this.selected;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown': next = at < 0 ? 0 : at + 1; break;
      case 'ArrowUp': next = at < 0 ? 0 : at - 1; break;
      case 'PageDown': next = at + page; break;
      case 'PageUp': next = at - page; break;
      case 'Home': next = 0; break;
      case 'End': next = this.total - 1; break;
      case 'Enter': {
        const item = this.item(at);
        if (item !== undefined) { e.preventDefault(); this.opts.onOpen?.(item, at); }
        return;
      }
      case 'Delete': {
        const item = this.item(at);
        if (item !== undefined) { e.preventDefault(); this.opts.onDelete?.(item, at); }
        return;
      }
      default: return;
    }
    e.preventDefault();
    this.select(next);
  }

  get renderedCount(): number { return this.rendered.size; }
}
