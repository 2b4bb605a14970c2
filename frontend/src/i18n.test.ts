import { describe, expect, it, vi } from 'vitest';
import { addStrings, t } from './i18n';

describe('t', () => {
  addStrings('en', { greet: 'Hello {name}' });
  addStrings('de', { greet: 'Hallo {name}' });
  it('follows the OS language', () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    expect(t('greet', { name: 'Jürgen' })).toBe('Hallo Jürgen');
    vi.stubGlobal('navigator', { language: 'en-GB' });
    expect(t('greet', { name: 'Jürgen' })).toBe('Hello Jürgen');
    vi.unstubAllGlobals();
  });
  it('falls back to English, then to the key', () => {
    addStrings('en', { only_en: 'English' });
    vi.stubGlobal('navigator', { language: 'de' });
    expect(t('only_en')).toBe('English');
    expect(t('nope')).toBe('nope');
    vi.unstubAllGlobals();
  });
});
