// German and English, following the OS language (navigator.language).
type Dict = Record<string, string>;
const de: Dict = {};
const en: Dict = {};

export function addStrings(lang: 'de' | 'en', strings: Dict): void {
  Object.assign(lang === 'de' ? de : en, strings);
}

export function lang(): 'de' | 'en' {
  const l = (typeof navigator !== 'undefined' && navigator.language) || 'en';
  return l.toLowerCase().startsWith('de') ? 'de' : 'en';
}

// locale is the OS language as a locale for Intl formatting. WebKit reports
// the POSIX locale name under LANG=C ("C"), which is no language tag and
// makes toLocaleString throw: then the UI language's usual locale.
export function locale(): string {
  const l = (typeof navigator !== 'undefined' && navigator.language) || '';
  try {
    if (l && Intl.DateTimeFormat.supportedLocalesOf([l]).length > 0) return l;
  } catch {
    // not a language tag
  }
  return lang() === 'de' ? 'de-DE' : 'en-GB';
}

// t looks a key up in the UI language, falls back to English, then to the key.
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const s = (lang() === 'de' ? de[key] : undefined) ?? en[key] ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : `{${k}}`));
}
