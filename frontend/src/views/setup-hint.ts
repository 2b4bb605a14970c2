// What a view says when its account is not set up yet: one plain sentence,
// a link to Accounts and a button that opens the built-in demo in a window
// of its own.
import { addStrings, t } from '../i18n';
import { Start as StartDemo } from '../wailsjs/go/app/Demo';

addStrings('en', {
  'setup.accounts': 'Open Accounts',
  'setup.demo': 'Try the demo',
  'setup.demo.started': 'The demo opens in a window of its own; this window stays as it is.',
  'setup.suite': 'Connect your suite under Accounts, or try Deskport first with the built-in demo suite.',
  'setup.mail': 'Mail is not set up yet. Sign in to your mailbox under Accounts, or try Deskport with the built-in demo suite.',
  'setup.files': 'File sync is not set up yet. Sign in to your suite\'s files under Accounts, or try Deskport with the built-in demo suite.',
});
addStrings('de', {
  'setup.accounts': 'Konten öffnen',
  'setup.demo': 'Demo ausprobieren',
  'setup.demo.started': 'Die Demo öffnet sich in einem eigenen Fenster; dieses Fenster bleibt, wie es ist.',
  'setup.suite': 'Verbinden Sie Ihre Suite unter Konten, oder probieren Sie Deskport zuerst mit der eingebauten Demo-Suite aus.',
  'setup.mail': 'E-Mail ist noch nicht eingerichtet. Melden Sie sich unter Konten bei Ihrem Postfach an, oder probieren Sie Deskport mit der eingebauten Demo-Suite aus.',
  'setup.files': 'Die Dateisynchronisierung ist noch nicht eingerichtet. Melden Sie sich unter Konten bei den Dateien Ihrer Suite an, oder probieren Sie Deskport mit der eingebauten Demo-Suite aus.',
});

export function setupHint(id: string, text: string, startDemo: () => Promise<void> = StartDemo): HTMLElement {
  const box = document.createElement('div');
  box.id = id;
  box.className = 'setup-hint';
  const p = document.createElement('p');
  p.textContent = text;
  const accounts = document.createElement('a');
  accounts.href = '#/accounts';
  accounts.className = 'setup-accounts';
  accounts.textContent = t('setup.accounts');
  const demo = document.createElement('button');
  demo.type = 'button';
  demo.className = 'setup-demo';
  demo.textContent = t('setup.demo');
  const note = document.createElement('p');
  note.setAttribute('role', 'status');
  demo.addEventListener('click', async () => {
    demo.disabled = true;
    try {
      await startDemo();
      note.textContent = t('setup.demo.started');
    } catch (e) {
      note.textContent = String(e);
      demo.disabled = false;
    }
  });
  box.append(p, accounts, ' ', demo, note);
  return box;
}
