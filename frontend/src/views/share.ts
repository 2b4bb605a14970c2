// "Copy share link" (a public, read-only link through the server's share
// API, optional password and expiry) and "Open in the suite" for the
// entry selected in the tree.
import { addStrings, t } from '../i18n';
import { ClipboardSetText } from '../wailsjs/runtime/runtime';

addStrings('en', {
  'share.open': 'Open in the suite',
  'share.summary': 'Share link…',
  'share.password': 'Password (optional)',
  'share.expire': 'Expires on (optional)',
  'share.create': 'Create and copy link',
  'share.copied': 'Link to {path} copied: {url}',
  'share.notcopied': 'Link to {path} created (copy it from here): {url}',
  'share.none': 'Select a file or folder in the list first.',
});
addStrings('de', {
  'share.open': 'In der Suite öffnen',
  'share.summary': 'Freigabelink…',
  'share.password': 'Passwort (freiwillig)',
  'share.expire': 'Gültig bis (freiwillig)',
  'share.create': 'Link erstellen und kopieren',
  'share.copied': 'Link zu {path} kopiert: {url}',
  'share.notcopied': 'Link zu {path} erstellt (hier kopieren): {url}',
  'share.none': 'Wählen Sie zuerst eine Datei oder einen Ordner in der Liste.',
});

export interface Share { id: string; url: string; token: string; permissions: number; expiration: string }
export interface ShareApi {
  CanShare(): Promise<boolean>;
  ShareLink(rel: string, password: string, expireDate: string): Promise<Share>;
  OpenInSuite(rel: string): Promise<void>;
}

export async function copyText(s: string): Promise<boolean> {
  try {
    const w = window as unknown as { runtime?: unknown };
    if (w.runtime) return !!(await ClipboardSetText(s));
    if (navigator.clipboard) { await navigator.clipboard.writeText(s); return true; }
  } catch {
    // no clipboard: the link is shown to copy by hand
  }
  return false;
}

export function shareControls(api: () => ShareApi, active: () => string, onError: (e: unknown) => void): HTMLElement {
  const box = document.createElement('div');
  box.className = 'files-share';
  const open = document.createElement('button');
  open.type = 'button';
  open.id = 'files-open-suite';
  open.textContent = t('share.open');
  open.setAttribute('aria-describedby', 'files-tree-current');
  open.addEventListener('click', () => { const p = active(); if (p) api().OpenInSuite(p).catch(onError); });
  const details = document.createElement('details');
  details.id = 'files-share';
  details.hidden = true;
  const summary = document.createElement('summary');
  summary.textContent = t('share.summary');
  const form = document.createElement('form');
  const field = (id: string, label: string, input: HTMLInputElement) => {
    const l = document.createElement('label');
    l.htmlFor = id;
    l.textContent = label;
    input.id = id;
    const f = document.createElement('div');
    f.className = 'field';
    f.append(l, input);
    form.append(f);
  };
  const pw = Object.assign(document.createElement('input'), { type: 'password', autocomplete: 'new-password' });
  const exp = Object.assign(document.createElement('input'), { type: 'date' });
  field('files-share-password', t('share.password'), pw);
  field('files-share-expire', t('share.expire'), exp);
  const create = Object.assign(document.createElement('button'), { type: 'submit', id: 'files-share-create', textContent: t('share.create') });
  create.setAttribute('aria-describedby', 'files-tree-current');
  const result = document.createElement('p');
  result.id = 'files-share-result';
  result.setAttribute('role', 'status');
  form.append(create, result);
  details.append(summary, form);
  // hidden while closed: some engines keep a closed <details>' content laid out
  form.hidden = true;
  details.addEventListener('toggle', () => { form.hidden = !details.open; });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = active();
    if (!p) { result.textContent = t('share.none'); return; }
    result.textContent = '';
    api().ShareLink(p, pw.value, exp.value)
      .then(async (s) => {
        pw.value = '';
        const copied = await copyText(s.url);
        result.textContent = t(copied ? 'share.copied' : 'share.notcopied', { path: p, url: s.url });
      })
      .catch(onError);
  });
  api().CanShare().then((ok) => { details.hidden = !ok; }).catch(() => {});
  const bar = document.createElement('div');
  bar.className = 'toolbar';
  bar.append(open);
  box.append(bar, details);
  return box;
}
