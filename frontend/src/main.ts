import './style.css';
import { allViews, getView } from './views';
import { addStrings, lang, t } from './i18n';

addStrings('en', { 'shell.skip': 'Skip to content' });
addStrings('de', { 'shell.skip': 'Zum Inhalt springen' });
import './views/home';

// Views register themselves on import; add new ones to views/index.ts.
import './views/index';

let cleanup: void | (() => void);

function route(ev?: Event): void {
  const id = location.hash.replace(/^#\/?/, '').split('/')[0] || 'home';
  const view = getView(id) ?? getView('home')!;
  const main = document.getElementById('main')!;
  if (typeof cleanup === 'function') cleanup();
  cleanup = view.render(main);
  document.querySelectorAll<HTMLAnchorElement>('nav a').forEach((a) => {
    if (a.dataset.view === view.id) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  document.title = `${view.title()} – Deskport`;
  // A view change puts the keyboard at the start of the new view (not left
  // on the link in the navigation, nor lost on the body).
  if (ev) main.focus({ preventScroll: true });
}

function layout(): void {
  // Screen readers pick the speech language from this.
  document.documentElement.lang = lang();
  const app = document.getElementById('app')!;
  app.innerHTML = '';
  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', t('nav.label'));
  for (const v of allViews()) {
    const a = document.createElement('a');
    a.href = `#/${v.id}`;
    a.dataset.view = v.id;
    if (v.icon) {
      // decorative: the link's name is the view's title alone
      const icon = document.createElement('span');
      icon.className = 'nav-icon';
      icon.setAttribute('aria-hidden', 'true');
      if (v.icon.startsWith('<svg')) icon.innerHTML = v.icon; // a constant of the view, not data
      else icon.textContent = v.icon;
      a.append(icon);
    }
    a.append(v.title());
    nav.append(a);
  }
  const main = document.createElement('main');
  main.id = 'main';
  main.tabIndex = -1;
  // The first Tab stop: past the navigation to the view. Not a plain #main
  // link: the hash is the router's.
  const skip = document.createElement('a');
  skip.className = 'skip';
  skip.href = '#main';
  skip.textContent = t('shell.skip');
  skip.addEventListener('click', (e) => { e.preventDefault(); main.focus(); });
  app.append(skip, nav, main);
}

layout();
window.addEventListener('hashchange', route);
route();
