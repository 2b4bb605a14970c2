// A view is one page of the local shell (launcher, files, mail, sign-in, ...).
// Each lives in src/views/<id>.ts and registers itself; main.ts routes by hash.
export interface View {
  id: string;
  title: () => string;
  icon?: string;
  render: (root: HTMLElement) => void | (() => void); // may return a cleanup
}

const views = new Map<string, View>();

export function registerView(v: View): void {
  if (views.has(v.id)) throw new Error(`view registered twice: ${v.id}`);
  views.set(v.id, v);
}

export function allViews(): View[] {
  return [...views.values()];
}

export function getView(id: string): View | undefined {
  return views.get(id);
}
