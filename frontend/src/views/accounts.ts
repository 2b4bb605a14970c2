// Accounts and first run: the suite's domain (pre-filled from the admin
// defaults), what discovery found, signing in to files (Nextcloud Login
// Flow v2 in this window, with cancel and a browser fallback) and to mail.
import { registerView } from '../views';
import { addStrings, t } from '../i18n';
import * as Go from '../wailsjs/go/app/Accounts';
import { EventsOn } from '../wailsjs/runtime/runtime';

addStrings('en', {
  'accounts.title': 'Accounts',
  'accounts.heading': 'Connect your suite',
  'accounts.heading.connected': 'Your suite',
  'accounts.domain': 'Your suite’s domain',
  'accounts.domain.hint': 'For example example.org – the part after “files.” or “portal.” in your suite’s addresses.',
  'accounts.domain.locked': 'Set by your IT department.',
  'accounts.check': 'Check',
  'accounts.checking': 'Checking {domain}…',
  'accounts.results': 'What Deskport found',
  'accounts.status.found': 'Found',
  'accounts.status.answers': 'Answers',
  'accounts.status.missing': 'Not found',
  'accounts.status.unreachable': 'Unreachable',
  'accounts.status.tls': 'Certificate problem',
  'accounts.app.portal': 'Portal', 'accounts.app.id': 'Sign-in service', 'accounts.app.files': 'Files',
  'accounts.app.webmail': 'Mail (web)', 'accounts.app.dav': 'Calendar and contacts', 'accounts.app.office': 'Office',
  'accounts.app.chat': 'Chat', 'accounts.app.meet': 'Video calls', 'accounts.app.projects': 'Projects', 'accounts.app.wiki': 'Wiki',
  'accounts.files': 'Files',
  'accounts.files.signin': 'Sign in to Files',
  'accounts.files.signedin': 'Signed in as {user} at {server}.',
  'accounts.files.again': 'The server no longer accepts this sign-in. Syncing is paused and nothing is deleted. Please sign in again.',
  'accounts.flow.waiting': 'Sign in on the page that opened. Deskport waits for it (checked {n} times).',
  'accounts.flow.reopen': 'Show the sign-in page again',
  'accounts.flow.browser': 'Sign in in the web browser instead',
  'accounts.flow.cancel': 'Cancel sign-in',
  'accounts.mail': 'Mail',
  'accounts.mail.signedin': 'Signed in as {user} (IMAP {imap}).',
  'accounts.mail.again': 'The mail server no longer accepts the saved password. Please sign in again; your cached mail stays.',
  'accounts.mail.address': 'E-mail address',
  'accounts.mail.username': 'User name',
  'accounts.mail.password': 'Password',
  'accounts.mail.imap': 'Incoming mail (IMAP) server',
  'accounts.mail.smtp': 'Outgoing mail (SMTP) server',
  'accounts.mail.port': 'Port',
  'accounts.mail.security': 'Security',
  'accounts.mail.sec.tls': 'TLS', 'accounts.mail.sec.starttls': 'STARTTLS', 'accounts.mail.sec.none': 'None (this computer only)',
  'accounts.mail.suggest': 'Find settings',
  'accounts.mail.notfound': 'The mail servers did not answer; check the settings or ask your IT department.',
  'accounts.mail.signin': 'Check and sign in to Mail',
  'accounts.mail.checking': 'Signing in to the mail server…',
  'accounts.signout': 'Sign out',
  'accounts.warning': 'Note: {text}',
  'accounts.err.wrong_password': 'The user name or password is wrong.',
  'accounts.err.not_nextcloud': 'No Nextcloud was found at this address. Check the domain.',
  'accounts.err.dns': 'This name cannot be found. Check the domain’s spelling and your network.',
  'accounts.err.unreachable': 'The server cannot be reached. Check your network connection.',
  'accounts.err.tls': 'The server’s certificate is not trusted. Your IT department can add its certificate authority.',
  'accounts.err.keyring_locked': 'Your keyring is locked. Unlock it, then try again.',
  'accounts.err.no_keyring': 'There is no keyring to keep your password safely. Ask your IT department.',
  'accounts.err.sign_in_again': 'Please sign in again.',
  'accounts.err.canceled': 'Sign-in was canceled. Nothing was saved.',
  'accounts.err.expired': 'The sign-in page was not completed in time. Please start again.',
  'accounts.err.invalid_domain': 'This is not a valid domain.',
  'accounts.err.no_suite': 'No suite was found at this domain.',
  'accounts.err.invalid': 'Please check your entries.',
  'accounts.err.other': 'Something went wrong.',
  'accounts.required': '(required)',
  'accounts.err.missing': 'Please fill in: {fields}.',
});
addStrings('de', {
  'accounts.title': 'Konten',
  'accounts.heading': 'Ihre Suite verbinden',
  'accounts.heading.connected': 'Ihre Suite',
  'accounts.domain': 'Domain Ihrer Suite',
  'accounts.domain.hint': 'Zum Beispiel example.org – der Teil nach „files.“ oder „portal.“ in den Adressen Ihrer Suite.',
  'accounts.domain.locked': 'Von Ihrer IT voreingestellt.',
  'accounts.check': 'Prüfen',
  'accounts.checking': '{domain} wird geprüft…',
  'accounts.results': 'Was Deskport gefunden hat',
  'accounts.status.found': 'Gefunden',
  'accounts.status.answers': 'Antwortet',
  'accounts.status.missing': 'Nicht gefunden',
  'accounts.status.unreachable': 'Nicht erreichbar',
  'accounts.status.tls': 'Zertifikatsproblem',
  'accounts.app.portal': 'Portal', 'accounts.app.id': 'Anmeldedienst', 'accounts.app.files': 'Dateien',
  'accounts.app.webmail': 'E-Mail (Web)', 'accounts.app.dav': 'Kalender und Kontakte', 'accounts.app.office': 'Office',
  'accounts.app.chat': 'Chat', 'accounts.app.meet': 'Videokonferenzen', 'accounts.app.projects': 'Projekte', 'accounts.app.wiki': 'Wiki',
  'accounts.files': 'Dateien',
  'accounts.files.signin': 'Bei Dateien anmelden',
  'accounts.files.signedin': 'Angemeldet als {user} bei {server}.',
  'accounts.files.again': 'Der Server akzeptiert diese Anmeldung nicht mehr. Die Synchronisierung ist angehalten, nichts wird gelöscht. Bitte melden Sie sich erneut an.',
  'accounts.flow.waiting': 'Melden Sie sich auf der geöffneten Seite an. Deskport wartet darauf ({n}-mal geprüft).',
  'accounts.flow.reopen': 'Anmeldeseite erneut zeigen',
  'accounts.flow.browser': 'Stattdessen im Webbrowser anmelden',
  'accounts.flow.cancel': 'Anmeldung abbrechen',
  'accounts.mail': 'E-Mail',
  'accounts.mail.signedin': 'Angemeldet als {user} (IMAP {imap}).',
  'accounts.mail.again': 'Der E-Mail-Server akzeptiert das gespeicherte Passwort nicht mehr. Bitte melden Sie sich erneut an; Ihre zwischengespeicherten E-Mails bleiben erhalten.',
  'accounts.mail.address': 'E-Mail-Adresse',
  'accounts.mail.username': 'Benutzername',
  'accounts.mail.password': 'Passwort',
  'accounts.mail.imap': 'Posteingangsserver (IMAP)',
  'accounts.mail.smtp': 'Postausgangsserver (SMTP)',
  'accounts.mail.port': 'Port',
  'accounts.mail.security': 'Sicherheit',
  'accounts.mail.sec.tls': 'TLS', 'accounts.mail.sec.starttls': 'STARTTLS', 'accounts.mail.sec.none': 'Keine (nur dieser Computer)',
  'accounts.mail.suggest': 'Einstellungen suchen',
  'accounts.mail.notfound': 'Die E-Mail-Server antworten nicht; prüfen Sie die Einstellungen oder fragen Sie Ihre IT.',
  'accounts.mail.signin': 'Prüfen und bei E-Mail anmelden',
  'accounts.mail.checking': 'Anmeldung am E-Mail-Server…',
  'accounts.signout': 'Abmelden',
  'accounts.warning': 'Hinweis: {text}',
  'accounts.err.wrong_password': 'Benutzername oder Passwort ist falsch.',
  'accounts.err.not_nextcloud': 'Unter dieser Adresse wurde keine Nextcloud gefunden. Prüfen Sie die Domain.',
  'accounts.err.dns': 'Dieser Name wurde nicht gefunden. Prüfen Sie die Schreibweise der Domain und Ihr Netzwerk.',
  'accounts.err.unreachable': 'Der Server ist nicht erreichbar. Prüfen Sie Ihre Netzwerkverbindung.',
  'accounts.err.tls': 'Dem Zertifikat des Servers wird nicht vertraut. Ihre IT kann die Zertifizierungsstelle hinzufügen.',
  'accounts.err.keyring_locked': 'Ihr Schlüsselbund ist gesperrt. Entsperren Sie ihn und versuchen Sie es erneut.',
  'accounts.err.no_keyring': 'Es gibt keinen Schlüsselbund, der Ihr Passwort sicher aufbewahrt. Fragen Sie Ihre IT.',
  'accounts.err.sign_in_again': 'Bitte melden Sie sich erneut an.',
  'accounts.err.canceled': 'Die Anmeldung wurde abgebrochen. Es wurde nichts gespeichert.',
  'accounts.err.expired': 'Die Anmeldeseite wurde nicht rechtzeitig abgeschlossen. Bitte beginnen Sie erneut.',
  'accounts.err.invalid_domain': 'Dies ist keine gültige Domain.',
  'accounts.err.no_suite': 'Unter dieser Domain wurde keine Suite gefunden.',
  'accounts.err.invalid': 'Bitte prüfen Sie Ihre Eingaben.',
  'accounts.err.other': 'Etwas ist schiefgegangen.',
  'accounts.required': '(Pflichtfeld)',
  'accounts.err.missing': 'Bitte ausfüllen: {fields}.',
});

export interface Problem { code: string; message: string }
export interface Check { app: string; url: string; status: string; reason: string; detail?: string }
export interface MailForm {
  address: string; username: string; password: string;
  imapHost: string; imapPort: number; imapSecurity: string;
  smtpHost: string; smtpPort: number; smtpSecurity: string; found: boolean;
}
export interface Result { ok: boolean; warnings?: string[]; problem?: Problem }
export interface State {
  domain: string; domainLocked: boolean; connected: boolean;
  files?: { serverUrl: string; loginName: string; userId: string; displayName?: string; needsSignIn?: boolean };
  mail?: { username: string; imap: { host: string; port: number }; needsSignIn?: boolean };
  flow: { active: boolean; loginUrl?: string; polls: number; problem?: Problem; warnings?: string[] };
  problem?: Problem;
}
export interface AccountsApi {
  State(): Promise<State>;
  Discover(domain: string): Promise<{ domain: string; checks: Check[]; problem?: Problem }>;
  StartFilesSignIn(inBrowser: boolean): Promise<Result>;
  CancelFilesSignIn(): Promise<void>;
  OpenLoginInBrowser(): Promise<boolean>;
  MailSuggest(): Promise<MailForm>;
  SignInMail(f: MailForm): Promise<Result>;
  SignOut(kind: string): Promise<Result>;
  // onChanged subscribes to "accounts:changed" and "accounts:flow" (tests); the app uses the Wails events.
  onChanged?(cb: () => void): () => void;
}

let api: AccountsApi | undefined;
/** Tests inject a fake; the app uses the Go bindings. */
export function setAccountsApi(a: AccountsApi | undefined): void { api = a; }
function go(): AccountsApi { return api ?? (Go as unknown as AccountsApi); }

let openURL = (u: string) => { window.location.href = u; };
export function setOpenURL(f: (u: string) => void): void { openURL = f; }

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...kids: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
}

/** problemText is the translated advice plus the engine's detail. */
export function problemText(p: Problem): string {
  const key = `accounts.err.${p.code}`;
  const advice = t(key) === key ? t('accounts.err.other') : t(key);
  return p.message ? `${advice} (${p.message})` : advice;
}

function setText(e: HTMLElement, s: string): void {
  if (e.textContent !== s) e.textContent = s;
}

function alertBox(id: string): HTMLElement {
  return el('p', { id, className: 'problem', hidden: true }, '');
}
function showProblem(box: HTMLElement, p?: Problem, warnings?: string[]): void {
  const lines = [...(p ? [problemText(p)] : []), ...(warnings ?? []).map((w) => t('accounts.warning', { text: w }))];
  box.textContent = lines.join(' ');
  box.hidden = lines.length === 0;
  box.setAttribute('role', p ? 'alert' : 'status');
}

function field(id: string, label: string, input: HTMLInputElement | HTMLSelectElement): HTMLElement {
  input.id = id;
  const lab = el('label', { htmlFor: id }, label);
  // Shown after the label by CSS; the field's required state says it to screen readers.
  if (input.required) lab.dataset.required = t('accounts.required');
  return el('p', { className: 'field' }, lab, input);
}

// invalid marks fields as wrong and points them at the message saying why
// (their hint first, if they have one), or clears that.
function invalid(inputs: HTMLElement[], on: boolean, messageId: string): void {
  for (const i of inputs) {
    const hint = (i.getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && x !== messageId);
    if (on) {
      i.setAttribute('aria-invalid', 'true');
      hint.push(messageId);
    } else i.removeAttribute('aria-invalid');
    if (hint.length) i.setAttribute('aria-describedby', hint.join(' ')); else i.removeAttribute('aria-describedby');
  }
}

// Problems that say which field is wrong.
const DOMAIN_PROBLEMS = new Set(['invalid_domain', 'dns', 'no_suite', 'not_nextcloud']);
const CREDENTIAL_PROBLEMS = new Set(['wrong_password']);

function securitySelect(value: string): HTMLSelectElement {
  const s = el('select');
  for (const v of ['tls', 'starttls', 'none']) s.append(el('option', { value: v, textContent: t(`accounts.mail.sec.${v}`) }));
  s.value = value || 'tls';
  return s;
}

const ACCOUNTS_CSS = `
.field { margin: .5rem 0; }
.field label { display: block; font-weight: 600; margin-bottom: .2rem; }
.field label[data-required]::after { content: ' ' attr(data-required); font-weight: 400; }
[aria-invalid=true] { border: 2px solid #a61b1b; }
.field input, .field select { font: inherit; padding: .3rem .4rem; width: min(100%, 20rem); box-sizing: border-box; }
fieldset { border: 1px solid #8d99ae; border-radius: 6px; margin: .8rem 0; max-width: 36rem; min-width: 0; }
#results { list-style: none; padding: 0; }
#results li { margin: .2rem 0; }
#results .found .status, #results .answers .status { color: #1b7a3a; }
#results .unreachable .status, #results .tls .status, #results .missing .status { color: #a61b1b; }
.problem { color: #a61b1b; font-weight: 600; }
.hint { color: #555; margin-top: 0; }
button { font: inherit; margin: .3rem .5rem .3rem 0; padding: .35rem .8rem; }
button:focus-visible, input:focus-visible, select:focus-visible { outline: 3px solid #1971c2; outline-offset: 2px; }
`;

/** renderAccounts draws the view; it returns a cleanup. */
export async function renderAccounts(root: HTMLElement): Promise<() => void> {
  root.innerHTML = '';
  const style = el('style', { textContent: ACCOUNTS_CSS });
  const live = el('p', { id: 'accounts-live', className: 'live' });
  live.setAttribute('aria-live', 'polite');
  const suiteSec = el('section', {}, el('h1', { id: 'accounts-h' }, t('accounts.heading')));
  suiteSec.setAttribute('aria-labelledby', 'accounts-h');
  const filesSec = el('section', {}, el('h2', { id: 'files-h', tabIndex: -1 }, t('accounts.files')));
  filesSec.setAttribute('aria-labelledby', 'files-h');
  const mailSec = el('section', {}, el('h2', { id: 'mail-h', tabIndex: -1 }, t('accounts.mail')));
  mailSec.setAttribute('aria-labelledby', 'mail-h');
  root.append(style, suiteSec, filesSec, mailSec, live);

  let state = await go().State();
  let discovered = state.connected || !!state.files;
  // "Connect your suite" until it is connected; then it names what it is.
  const heading = suiteSec.querySelector('h1')!;
  const drawHeading = (): void => { heading.textContent = t(state.connected ? 'accounts.heading.connected' : 'accounts.heading'); };
  drawHeading();

  // The suite: domain and discovery.
  const domain = el('input', { type: 'text', value: state.domain ?? '', autocomplete: 'off', spellcheck: false, required: true });
  domain.setAttribute('aria-describedby', 'domain-hint');
  domain.disabled = state.domainLocked;
  const hint = el('p', { id: 'domain-hint', className: 'hint' }, state.domainLocked ? t('accounts.domain.locked') : t('accounts.domain.hint'));
  const checkBtn = el('button', { type: 'submit', id: 'check' }, t('accounts.check'));
  const results = el('ul', { id: 'results' });
  results.setAttribute('aria-label', t('accounts.results'));
  const suiteProblem = alertBox('suite-problem');
  const form = el('form', { id: 'domain-form' }, field('domain', t('accounts.domain'), domain), hint, checkBtn);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    checkBtn.disabled = true;
    live.textContent = t('accounts.checking', { domain: domain.value.trim() });
    try {
      const r = await go().Discover(domain.value);
      results.innerHTML = '';
      for (const c of r.checks ?? []) {
        const li = el('li', { className: `check ${c.status}` });
        li.dataset.app = c.app;
        li.append(el('strong', {}, t(`accounts.app.${c.app}`)), ': ', el('span', { className: 'status' }, t(`accounts.status.${c.status}`)), ' – ', el('span', { className: 'reason' }, c.reason));
        results.append(li);
      }
      showProblem(suiteProblem, r.problem);
      invalid([domain], !!r.problem && DOMAIN_PROBLEMS.has(r.problem.code), 'suite-problem');
      if (r.problem && DOMAIN_PROBLEMS.has(r.problem.code)) domain.focus();
      discovered = !r.problem;
      if (!r.problem) domain.value = r.domain;
      live.textContent = r.problem ? problemText(r.problem) : t('accounts.results');
      await refresh();
    } finally {
      checkBtn.disabled = false;
    }
  });
  suiteSec.append(form, suiteProblem, results);

  // Files.
  const filesBody = el('div');
  const filesProblem = alertBox('files-problem');
  filesSec.append(filesBody, filesProblem);

  // Mail.
  const mailBody = el('div');
  const mailProblem = alertBox('mail-problem');
  mailSec.append(mailBody, mailProblem);

  // Each part is drawn anew only when what it offers changes (signed in,
  // signing in, signed out): an accounts:changed event that changes nothing
  // there leaves it alone, with the focus and whatever is typed.
  let filesMode = '';
  let flowWaiting: HTMLElement | undefined;
  let filesStart: HTMLButtonElement | undefined;
  function drawFiles(): void {
    const f = state.files;
    const flow = state.flow;
    const mode = flow.active ? 'flow' : f && !f.needsSignIn ? `in ${f.displayName || f.loginName} ${f.serverUrl}` : `out ${!!f?.needsSignIn}`;
    if (mode === filesMode) {
      if (flowWaiting) setText(flowWaiting, t('accounts.flow.waiting', { n: flow.polls }));
      if (filesStart && filesStart.getAttribute('aria-disabled') !== 'busy') filesStart.disabled = !discovered;
      if (!flow.active) showProblem(filesProblem, flow.problem && flow.problem.code !== 'canceled' ? flow.problem : undefined);
      return;
    }
    const hadFocus = filesBody.contains(document.activeElement);
    filesMode = mode;
    flowWaiting = filesStart = undefined;
    filesBody.replaceChildren();
    if (flow.active) {
      const cancel = el('button', { type: 'button', id: 'flow-cancel' }, t('accounts.flow.cancel'));
      cancel.addEventListener('click', async () => { await go().CancelFilesSignIn(); await refresh(); });
      const reopen = el('button', { type: 'button', id: 'flow-reopen' }, t('accounts.flow.reopen'));
      reopen.addEventListener('click', () => { if (flow.loginUrl) openURL(flow.loginUrl); });
      const browser = el('button', { type: 'button', id: 'flow-browser' }, t('accounts.flow.browser'));
      browser.addEventListener('click', () => { void go().OpenLoginInBrowser(); });
      flowWaiting = el('p', { id: 'flow-waiting', role: 'status' } as Partial<HTMLParagraphElement>, t('accounts.flow.waiting', { n: flow.polls }));
      filesBody.append(flowWaiting, reopen, browser, cancel);
      showProblem(filesProblem, undefined, flow.warnings);
    } else if (f && !f.needsSignIn) {
      const out = el('button', { type: 'button', id: 'files-signout' }, t('accounts.signout'));
      out.addEventListener('click', async () => { const r = await go().SignOut('files'); showProblem(filesProblem, r.problem, r.warnings); await refresh(); });
      filesBody.append(el('p', { id: 'files-signedin' }, t('accounts.files.signedin', { user: f.displayName || f.loginName, server: f.serverUrl })), out);
    } else {
      if (f?.needsSignIn) filesBody.append(el('p', { role: 'alert', id: 'files-again' }, t('accounts.files.again')));
      const start = el('button', { type: 'button', id: 'files-signin' }, t('accounts.files.signin'));
      filesStart = start;
      start.disabled = !discovered;
      start.addEventListener('click', async () => {
        start.disabled = true;
        start.setAttribute('aria-disabled', 'busy');
        const r = await go().StartFilesSignIn(false);
        start.removeAttribute('aria-disabled');
        showProblem(filesProblem, r.problem, r.warnings);
        await refresh();
      });
      filesBody.append(start);
    }
    if (!flow.active) showProblem(filesProblem, flow.problem && flow.problem.code !== 'canceled' ? flow.problem : undefined);
    // The control the user pressed is gone: the focus goes to what replaced it.
    if (hadFocus) (filesBody.querySelector<HTMLElement>('button:not([disabled])') ?? filesSec.querySelector<HTMLElement>('h2'))?.focus();
  }

  let mailForm: MailForm | undefined;
  let mailMode = '';
  let mailAgain: HTMLElement | undefined;
  let mailSuggest: HTMLButtonElement | undefined;
  function drawMail(): void {
    const m = state.mail;
    const mode = m && !m.needsSignIn ? `in ${m.username} ${m.imap.host}:${m.imap.port}` : 'form';
    if (mode === mailMode) {
      if (mailAgain) mailAgain.hidden = !m?.needsSignIn;
      if (mailSuggest && mailSuggest.getAttribute('aria-disabled') !== 'busy') mailSuggest.disabled = !discovered;
      return;
    }
    const hadFocus = mailBody.contains(document.activeElement);
    mailMode = mode;
    mailAgain = mailSuggest = undefined;
    mailBody.replaceChildren();
    if (m && !m.needsSignIn) {
      const out = el('button', { type: 'button', id: 'mail-signout' }, t('accounts.signout'));
      out.addEventListener('click', async () => { const r = await go().SignOut('mail'); showProblem(mailProblem, r.problem, r.warnings); await refresh(); });
      mailBody.append(el('p', { id: 'mail-signedin' }, t('accounts.mail.signedin', { user: m.username, imap: `${m.imap.host}:${m.imap.port}` })), out);
      if (hadFocus) out.focus();
      return;
    }
    mailAgain = el('p', { role: 'alert', id: 'mail-again', hidden: !m?.needsSignIn }, t('accounts.mail.again'));
    mailBody.append(mailAgain);
    const v = mailForm ?? { address: '', username: '', password: '', imapHost: '', imapPort: 993, imapSecurity: 'tls', smtpHost: '', smtpPort: 587, smtpSecurity: 'starttls', found: false };
    const address = el('input', { type: 'email', value: v.address, autocomplete: 'email' });
    const username = el('input', { type: 'text', value: v.username, autocomplete: 'username', required: true });
    const password = el('input', { type: 'password', value: '', autocomplete: 'current-password', required: true });
    const imapHost = el('input', { type: 'text', value: v.imapHost, required: true });
    const imapPort = el('input', { type: 'number', value: String(v.imapPort), min: '1', max: '65535', required: true });
    const imapSec = securitySelect(v.imapSecurity);
    const smtpHost = el('input', { type: 'text', value: v.smtpHost, required: true });
    const smtpPort = el('input', { type: 'number', value: String(v.smtpPort), min: '1', max: '65535', required: true });
    const smtpSec = securitySelect(v.smtpSecurity || 'starttls');
    const imapSet = el('fieldset', {}, el('legend', {}, t('accounts.mail.imap')),
      field('imap-host', t('accounts.mail.imap'), imapHost), field('imap-port', t('accounts.mail.port'), imapPort), field('imap-sec', t('accounts.mail.security'), imapSec));
    const smtpSet = el('fieldset', {}, el('legend', {}, t('accounts.mail.smtp')),
      field('smtp-host', t('accounts.mail.smtp'), smtpHost), field('smtp-port', t('accounts.mail.port'), smtpPort), field('smtp-sec', t('accounts.mail.security'), smtpSec));
    const suggest = el('button', { type: 'button', id: 'mail-suggest' }, t('accounts.mail.suggest'));
    mailSuggest = suggest;
    suggest.disabled = !discovered;
    suggest.addEventListener('click', async () => {
      suggest.setAttribute('aria-disabled', 'busy');
      try {
        const found = await go().MailSuggest();
        // filled in place: what the user typed in the other fields stays, and so does the focus
        imapHost.value = found.imapHost; imapPort.value = String(found.imapPort); imapSec.value = found.imapSecurity || 'tls';
        smtpHost.value = found.smtpHost; smtpPort.value = String(found.smtpPort); smtpSec.value = found.smtpSecurity || 'starttls';
        if (!address.value && found.address) address.value = found.address;
        if (!username.value && found.username) username.value = found.username;
        if (!found.found) showProblem(mailProblem, undefined, [t('accounts.mail.notfound')]);
      } finally { suggest.removeAttribute('aria-disabled'); }
    });
    const submit = el('button', { type: 'submit', id: 'mail-signin' }, t('accounts.mail.signin'));
    const required = [username, password, imapHost, imapPort, smtpHost, smtpPort];
    const f = el('form', { id: 'mail-form', noValidate: true },
      field('mail-address', t('accounts.mail.address'), address), field('mail-username', t('accounts.mail.username'), username),
      field('mail-password', t('accounts.mail.password'), password), imapSet, smtpSet, suggest, submit);
    f.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      // Checked here, not by the browser's bubble: the message stays on the
      // page, names the fields, and each empty field points at it.
      const missing = required.filter((i) => !i.value.trim() || !i.checkValidity());
      invalid(required, false, 'mail-problem');
      if (missing.length > 0) {
        const names = missing.map((i) => f.querySelector(`label[for="${i.id}"]`)?.firstChild?.textContent ?? i.id);
        showProblem(mailProblem, { code: 'missing', message: '' });
        mailProblem.textContent = t('accounts.err.missing', { fields: names.join(', ') });
        invalid(missing, true, 'mail-problem');
        missing[0].focus();
        return;
      }
      submit.disabled = true;
      live.textContent = t('accounts.mail.checking');
      const form: MailForm = {
        address: address.value.trim(), username: username.value.trim(), password: password.value,
        imapHost: imapHost.value.trim(), imapPort: Number(imapPort.value), imapSecurity: imapSec.value,
        smtpHost: smtpHost.value.trim(), smtpPort: Number(smtpPort.value), smtpSecurity: smtpSec.value, found: false,
      };
      try {
        const r = await go().SignInMail(form);
        password.value = '';
        mailForm = { ...form, password: '' };
        showProblem(mailProblem, r.problem, r.warnings);
        invalid([username, password], !!r.problem && CREDENTIAL_PROBLEMS.has(r.problem.code), 'mail-problem');
        live.textContent = r.problem ? problemText(r.problem) : '';
        if (r.ok) await refresh();
        else password.focus();
      } finally { submit.disabled = false; }
    });
    mailBody.append(f);
    if (hadFocus) (f.querySelector<HTMLElement>('input') ?? mailSec.querySelector('h2'))?.focus();
  }

  async function refresh(): Promise<void> {
    state = await go().State();
    discovered = discovered || state.connected || !!state.files;
    drawHeading();
    drawFiles();
    drawMail();
    if (state.problem) showProblem(suiteProblem, state.problem);
  }
  drawFiles();
  drawMail();
  if (state.problem) showProblem(suiteProblem, state.problem);

  const offs: (() => void)[] = [];
  if (api?.onChanged) offs.push(api.onChanged(() => { void refresh(); }));
  if (!api && typeof (window as unknown as { runtime?: unknown }).runtime !== 'undefined') {
    offs.push(EventsOn('accounts:changed', () => { void refresh(); }));
    offs.push(EventsOn('accounts:flow', () => { void refresh(); }));
  }
  return () => offs.forEach((off) => off());
}

registerView({
  id: 'accounts',
  title: () => t('accounts.title'),
  icon: '☺',
  render(root) {
    let cleanup: (() => void) | undefined;
    let gone = false;
    void renderAccounts(root).then((c) => { if (gone) c(); else cleanup = c; });
    return () => { gone = true; cleanup?.(); };
  },
});
