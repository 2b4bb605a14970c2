import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderAccounts, setAccountsApi, setOpenURL, type AccountsApi, type MailForm, type State } from './accounts';

function baseState(over: Partial<State> = {}): State {
  return { domain: 'example.org', domainLocked: false, connected: false, flow: { active: false, polls: 0 }, ...over };
}

function fakeApi(over: Partial<AccountsApi> = {}, state: () => State = () => baseState()): AccountsApi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    State: async () => state(),
    Discover: async (d) => { calls.push(`Discover ${d}`); return { domain: d.trim().toLowerCase(), checks: [
      { app: 'files', url: 'https://files.example.org/status.php', status: 'found', reason: 'Nextcloud 29 at files.example.org' },
      { app: 'meet', url: 'https://meet.example.org/', status: 'unreachable', reason: 'meet.example.org refused the connection' },
    ] }; },
    StartFilesSignIn: async (b) => { calls.push(`Start ${b}`); return { ok: true }; },
    CancelFilesSignIn: async () => { calls.push('Cancel'); },
    OpenLoginInBrowser: async () => { calls.push('Browser'); return true; },
    MailSuggest: async () => ({ address: '', username: '', password: '', imapHost: 'example.org', imapPort: 993, imapSecurity: 'tls', smtpHost: 'example.org', smtpPort: 587, smtpSecurity: 'starttls', found: true }),
    SignInMail: async (f) => { calls.push(`Mail ${JSON.stringify(f)}`); return { ok: false, problem: { code: 'wrong_password', message: 'IMAP said no' } }; },
    SignOut: async (k) => { calls.push(`SignOut ${k}`); return { ok: true }; },
    ...over,
  };
}

afterEach(() => { setAccountsApi(undefined); vi.unstubAllGlobals(); });

describe('accounts view', () => {
  it('pre-fills the domain, checks it and lists each service with a labelled status', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const api = fakeApi();
    setAccountsApi(api);
    const root = document.createElement('main');
    await renderAccounts(root);
    const input = root.querySelector<HTMLInputElement>('#domain')!;
    expect(input.value).toBe('example.org');
    expect(root.querySelector('label[for=domain]')!.textContent).toBe('Your suite’s domain');
    expect(input.getAttribute('aria-describedby')).toBe('domain-hint');
    expect(root.querySelector<HTMLButtonElement>('#files-signin')!.disabled).toBe(true);
    input.value = ' Example.ORG ';
    root.querySelector<HTMLFormElement>('#domain-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelectorAll('#results li')).toHaveLength(2));
    expect(api.calls).toContain('Discover  Example.ORG ');
    const files = root.querySelector('#results li[data-app=files]')!;
    expect(files.textContent).toBe('Files: Found – Nextcloud 29 at files.example.org');
    expect(root.querySelector('#results li[data-app=meet] .status')!.textContent).toBe('Unreachable');
    expect(root.querySelector<HTMLButtonElement>('#files-signin')!.disabled).toBe(false);
    expect(root.querySelector('#accounts-live')!.getAttribute('aria-live')).toBe('polite');
  });

  it('runs the files sign-in with progress, reopen, browser fallback and cancel', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    let st = baseState({ connected: true });
    const api = fakeApi({
      StartFilesSignIn: async (b) => { api.calls.push(`Start ${b}`); st = baseState({ connected: true, flow: { active: true, loginUrl: 'https://files.example.org/index.php/login/v2/flow/abc', polls: 3 } }); return { ok: true }; },
      CancelFilesSignIn: async () => { api.calls.push('Cancel'); st = baseState({ connected: true, flow: { active: false, polls: 0, problem: { code: 'canceled', message: 'canceled' } } }); },
    }, () => st);
    setAccountsApi(api);
    const opened: string[] = [];
    setOpenURL((u) => opened.push(u));
    const root = document.createElement('main');
    await renderAccounts(root);
    root.querySelector<HTMLButtonElement>('#files-signin')!.click();
    await vi.waitFor(() => expect(root.querySelector('#flow-waiting')).not.toBeNull());
    expect(api.calls).toContain('Start false');
    expect(root.querySelector('#flow-waiting')!.getAttribute('role')).toBe('status');
    expect(root.querySelector('#flow-waiting')!.textContent).toContain('checked 3 times');
    root.querySelector<HTMLButtonElement>('#flow-reopen')!.click();
    expect(opened).toEqual(['https://files.example.org/index.php/login/v2/flow/abc']);
    root.querySelector<HTMLButtonElement>('#flow-browser')!.click();
    root.querySelector<HTMLButtonElement>('#flow-cancel')!.click();
    await vi.waitFor(() => expect(root.querySelector('#files-signin')).not.toBeNull());
    expect(api.calls).toEqual(['Start false', 'Browser', 'Cancel']);
    expect(root.querySelector<HTMLElement>('#files-problem')!.hidden).toBe(true); // canceling is not an error
  });

  it('shows the signed-in account, the sign-in-again notice, and signs out', async () => {
    vi.stubGlobal('navigator', { language: 'de-DE' });
    let st = baseState({ connected: true, files: { serverUrl: 'https://files.example.org', loginName: 'alice', userId: 'alice', displayName: 'Alice' } });
    const api = fakeApi({}, () => st);
    setAccountsApi(api);
    const root = document.createElement('main');
    await renderAccounts(root);
    expect(root.querySelector('#files-signedin')!.textContent).toBe('Angemeldet als Alice bei https://files.example.org.');
    st = baseState({ connected: true, files: { serverUrl: 'https://files.example.org', loginName: 'alice', userId: 'alice', needsSignIn: true } });
    root.querySelector<HTMLButtonElement>('#files-signout')!.click();
    await vi.waitFor(() => expect(root.querySelector('#files-again')).not.toBeNull());
    expect(api.calls).toEqual(['SignOut files']);
    expect(root.querySelector('#files-again')!.getAttribute('role')).toBe('alert');
    expect(root.querySelector('#files-signin')!.textContent).toBe('Bei Dateien anmelden');
  });

  it('suggests mail settings, sends the form, and explains a wrong password without keeping it', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const api = fakeApi({}, () => baseState({ connected: true }));
    setAccountsApi(api);
    const root = document.createElement('main');
    await renderAccounts(root);
    root.querySelector<HTMLButtonElement>('#mail-suggest')!.click();
    await vi.waitFor(() => expect(root.querySelector<HTMLInputElement>('#imap-host')!.value).toBe('example.org'));
    expect(root.querySelector('label[for=imap-port]')!.textContent).toBe('Port');
    expect(root.querySelector<HTMLSelectElement>('#smtp-sec')!.value).toBe('starttls');
    root.querySelector<HTMLInputElement>('#mail-username')!.value = 'alice@example.org';
    root.querySelector<HTMLInputElement>('#mail-password')!.value = 'hunter2';
    root.querySelector<HTMLFormElement>('#mail-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await vi.waitFor(() => expect(root.querySelector<HTMLElement>('#mail-problem')!.hidden).toBe(false));
    const sent = JSON.parse(api.calls.find((c) => c.startsWith('Mail '))!.slice(5)) as MailForm;
    expect(sent).toMatchObject({ username: 'alice@example.org', password: 'hunter2', imapHost: 'example.org', imapPort: 993, imapSecurity: 'tls', smtpPort: 587 });
    const problem = root.querySelector('#mail-problem')!;
    expect(problem.getAttribute('role')).toBe('alert');
    expect(problem.textContent).toBe('The user name or password is wrong. (IMAP said no)');
    expect(root.querySelector<HTMLInputElement>('#mail-password')!.value).toBe('');
    expect(document.activeElement === root.querySelector('#mail-password') || !root.isConnected).toBe(true);
  });

  it('asks to sign in to mail again after the server refused the password', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    setAccountsApi(fakeApi({}, () => baseState({ connected: true, mail: { username: 'alice', imap: { host: 'example.org', port: 993 }, needsSignIn: true } })));
    const root = document.createElement('main');
    await renderAccounts(root);
    expect(root.querySelector('#mail-again')!.getAttribute('role')).toBe('alert');
    expect(root.querySelector('#mail-form')).not.toBeNull();
    expect(root.querySelector('#mail-signedin')).toBeNull();
  });

  it('says "Connect your suite" until it is connected, then names it, in both languages', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    let st = baseState();
    const api = fakeApi({}, () => st);
    let changed: () => void = () => {};
    api.onChanged = (f: () => void) => { changed = f; return () => {}; };
    setAccountsApi(api);
    const root = document.createElement('main');
    await renderAccounts(root);
    expect(root.querySelector('#accounts-h')!.textContent).toBe('Connect your suite');
    st = baseState({ connected: true });
    changed();
    await vi.waitFor(() => expect(root.querySelector('#accounts-h')!.textContent).toBe('Your suite'));
    vi.stubGlobal('navigator', { language: 'de-DE' });
    const de = document.createElement('main');
    await renderAccounts(de);
    expect(de.querySelector('#accounts-h')!.textContent).toBe('Ihre Suite');
  });

  it('locks the domain when the administrator set it', async () => {
    setAccountsApi(fakeApi({}, () => baseState({ domainLocked: true })));
    const root = document.createElement('main');
    await renderAccounts(root);
    expect(root.querySelector<HTMLInputElement>('#domain')!.disabled).toBe(true);
  });

  it('keeps what is typed and the focus when accounts:changed arrives, and marks missing fields', async () => {
    vi.stubGlobal('navigator', { language: 'de' });
    let st = baseState({ connected: true, flow: { active: true, loginUrl: 'https://files.example.org/login', polls: 1 } });
    let changed: () => void = () => {};
    const api = { ...fakeApi({}, () => st), onChanged: (cb: () => void) => { changed = cb; return () => {}; } };
    setAccountsApi(api);
    const root = document.createElement('main');
    document.body.append(root);
    await renderAccounts(root);
    const user = root.querySelector<HTMLInputElement>('#mail-username')!;
    const address = root.querySelector<HTMLInputElement>('#mail-address')!;
    address.value = 'anna@example.org';
    user.focus();
    user.value = 'anna';
    const cancel = root.querySelector('#flow-cancel');
    for (let n = 2; n <= 4; n++) {
      st = { ...st, flow: { ...st.flow, polls: n } };
      changed();
      await vi.waitFor(() => expect(root.querySelector('#flow-waiting')!.textContent).toContain(`${n}`));
    }
    expect(root.querySelector<HTMLInputElement>('#mail-username')).toBe(user);
    expect(user.value).toBe('anna');
    expect(address.value).toBe('anna@example.org');
    expect(document.activeElement).toBe(user);
    expect(root.querySelector('#flow-cancel')).toBe(cancel);
    // required fields are marked in the label and, when empty on sending,
    // marked invalid, pointed at the message, and the first one focused
    expect(root.querySelector<HTMLElement>('label[for=mail-password]')!.dataset.required).toBe('(Pflichtfeld)');
    root.querySelector<HTMLFormElement>('#mail-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    const pw = root.querySelector<HTMLInputElement>('#mail-password')!;
    expect(pw.getAttribute('aria-invalid')).toBe('true');
    expect(pw.getAttribute('aria-describedby')).toBe('mail-problem');
    expect(user.getAttribute('aria-invalid')).toBeNull();
    expect(root.querySelector('#mail-problem')!.textContent).toContain('Bitte ausfüllen: Passwort, Posteingan');
    expect(document.activeElement).toBe(pw);
    expect(api.calls.some((c) => c.startsWith('Mail '))).toBe(false);
    root.remove();
  });

  it('ties a wrong password and a bad domain to their fields', async () => {
    vi.stubGlobal('navigator', { language: 'en' });
    const api = fakeApi({
      Discover: async (d) => ({ domain: d, checks: [], problem: { code: 'dns', message: 'no such host' } }),
      MailSuggest: async () => ({ address: '', username: '', password: '', imapHost: 'imap.example.org', imapPort: 993, imapSecurity: 'tls', smtpHost: 'smtp.example.org', smtpPort: 587, smtpSecurity: 'starttls', found: true }),
    }, () => baseState({ connected: true }));
    setAccountsApi(api);
    const root = document.createElement('main');
    document.body.append(root);
    await renderAccounts(root);
    root.querySelector<HTMLFormElement>('#domain-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    const domain = root.querySelector<HTMLInputElement>('#domain')!;
    await vi.waitFor(() => expect(domain.getAttribute('aria-invalid')).toBe('true'));
    expect(domain.getAttribute('aria-describedby')).toBe('domain-hint suite-problem');
    const suggest = root.querySelector<HTMLButtonElement>('#mail-suggest')!;
    suggest.focus();
    suggest.click();
    await vi.waitFor(() => expect(root.querySelector<HTMLInputElement>('#imap-host')!.value).toBe('imap.example.org'));
    expect(document.activeElement).toBe(suggest);
    root.querySelector<HTMLInputElement>('#mail-username')!.value = 'anna';
    root.querySelector<HTMLInputElement>('#mail-password')!.value = 'secret';
    root.querySelector<HTMLFormElement>('#mail-form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    const pw = root.querySelector<HTMLInputElement>('#mail-password')!;
    await vi.waitFor(() => expect(pw.getAttribute('aria-invalid')).toBe('true'));
    expect(root.querySelector('#mail-username')!.getAttribute('aria-describedby')).toBe('mail-problem');
    expect(root.querySelector('#imap-host')!.getAttribute('aria-invalid')).toBeNull();
    root.remove();
  });
});
