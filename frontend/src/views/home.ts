import { registerView } from '../views';
import { addStrings, t } from '../i18n';

addStrings('en', { 'home.title': 'Home', 'home.welcome': 'Welcome to Deskport', 'home.connect': 'Connect your suite: enter its domain under Accounts, or ask your IT to pre-set it.' });
addStrings('de', { 'home.title': 'Start', 'home.welcome': 'Willkommen bei Deskport', 'home.connect': 'Verbinden Sie Ihre Suite: Geben Sie unter Konten ihre Domain ein, oder lassen Sie sie von Ihrer IT voreinstellen.' });

registerView({
  id: 'home',
  title: () => t('home.title'),
  icon: '⌂',
  render(root) {
    root.innerHTML = '';
    const h = document.createElement('h1');
    h.textContent = t('home.welcome');
    const p = document.createElement('p');
    p.textContent = t('home.connect');
    root.append(h, p);
  },
});
