import { lang } from '../i18n';

export function formatDate(iso: string | null, now = new Date()): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime()) || d.getFullYear() < 1971) return '';
  const l = lang() === 'de' ? 'de-DE' : 'en-GB';
  if (d.toDateString() === now.toDateString()) {
    return new Intl.DateTimeFormat(l, { hour: '2-digit', minute: '2-digit' }).format(d);
  }
  const opts: Intl.DateTimeFormatOptions = d.getFullYear() === now.getFullYear()
    ? { day: 'numeric', month: 'short' } : { day: '2-digit', month: '2-digit', year: 'numeric' };
  return new Intl.DateTimeFormat(l, opts).format(d);
}

export function formatSize(n: number): string {
  const l = lang() === 'de' ? 'de-DE' : 'en-GB';
  const f = (v: number) => new Intl.NumberFormat(l, { maximumFractionDigits: 1 }).format(v);
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${f(n / 1024)} KB`;
  return `${f(n / 1024 / 1024)} MB`;
}

// formatCount writes a count the UI language's way: 22,362 / 22.362.
export function formatCount(n: number): string {
  return new Intl.NumberFormat(lang() === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 0 }).format(n);
}

// formatFullDate: the whole date and time, for the header of a forwarded message.
export function formatFullDate(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (isNaN(d.getTime()) || d.getFullYear() < 1971) return '';
  return new Intl.DateTimeFormat(lang() === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'full', timeStyle: 'short' }).format(d);
}

export function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

// fromBase64 turns base64 (a Go []byte in JSON) back into bytes.
export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
