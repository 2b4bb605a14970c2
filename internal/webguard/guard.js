// Deskport's navigation guard for web views the app can only reach by
// running script in the current page (WebView2 under Wails v2 on Windows).
// It runs after every completed navigation; the placeholder at the end is filled in by Go
// (webguard.Script) with JSON. It is defence at the page level only: the
// page has already loaded and run its own code when the guard arrives.
(function (cfg) {
  'use strict';
  // The key is random per app run (Go), so a page cannot pre-seed the
  // guard's state to switch it off.
  var KEY = cfg.key;
  var loc = window.location;
  if (window.top !== window) return;

  function originOf(u) {
    var p;
    try { p = new URL(u, loc.href); } catch (e) { return ''; }
    if (p.protocol !== 'http:' && p.protocol !== 'https:') return '';
    if (!p.hostname) return '';
    var host = p.host.replace(/\.(?=(:\d+)?$)/, ''); // no trailing dot
    return p.protocol + '//' + host;
  }
  function isShell(u) { return originOf(u) === cfg.shellOrigin; }
  // decide mirrors navpolicy.Decide: 'allow', 'external' or 'block'.
  function decide(u) {
    var p;
    try { p = new URL(u, loc.href); } catch (e) { return 'block'; }
    if (p.href === 'about:blank') return 'allow';
    switch (p.protocol) {
      case 'http:': case 'https:':
        if (p.username || p.password) return 'external';
        if (isShell(p.href)) return 'allow';
        return cfg.allowed.indexOf(originOf(p.href)) >= 0 ? 'allow' : 'external';
      case 'mailto:': case 'tel:':
        return 'external';
      case 'blob:':
        var inner = p.pathname;
        return inner.indexOf('@') < 0 && cfg.allowed.indexOf(originOf(inner)) >= 0 ? 'allow' : 'block';
    }
    return 'block';
  }

  var g = window[KEY];
  if (!g) {
    g = { lastOpen: '', lastAt: 0, leaving: false };
    try { Object.defineProperty(window, KEY, { value: g }); } catch (e) { return; }
    g.decide = decide;
  }

  // openOutside hands u to the shell's opener by a top-level navigation: the
  // opener answers 204, so the page does not move (a fetch from an https
  // suite page to the http shell could be blocked; a navigation is not).
  function openOutside(u) {
    var now = Date.now();
    if (u === g.lastOpen && now - g.lastAt < 1000) return; // one click, one open
    g.lastOpen = u; g.lastAt = now;
    loc.assign(cfg.open + encodeURIComponent(u));
  }
  function go(u) { loc.assign(u); }
  // route sends u where a new window would have shown it.
  function route(u) {
    var abs;
    try { abs = new URL(u, loc.href).href; } catch (e) { return false; }
    var d = decide(abs);
    if (d === 'external') openOutside(abs);
    else if (d === 'allow') go(abs);
    return d !== 'block';
  }

  // (7) A network error page of Chromium/WebView2: show the shell's offline
  // view. Read once the page has loaded its data (a document-created run
  // comes before the page is parsed; at DOMContentLoaded the failed address
  // is not there yet).
  if (loc.protocol === 'chrome-error:') {
    if (document.readyState !== 'complete') {
      window.addEventListener('load', offline);
    } else {
      offline();
    }
    return;
  }
  function offline() {
    if (g.leaving) return;
    g.leaving = true;
    var failed = '';
    try { failed = window.loadTimeData.data_.reloadButton.reloadUrl || ''; } catch (e) {}
    if (!failed) {
      var b = document.querySelector('[data-url]');
      if (b) failed = b.getAttribute('data-url') || '';
    }
    if (!failed) { try { failed = window.loadTimeData.data_.summary.failedUrl || ''; } catch (e) {} }
    var target = cfg.offline;
    if (failed && decide(failed) === 'allow' && !isShell(failed)) target = cfg.offline + encodeURIComponent(failed);
    loc.replace(target);
  }

  var here = loc.href;
  if (isShell(here) || here === 'about:blank') return; // the shell guards itself

  // (1) A page the window must not show: open it outside, return to the
  // shell. Decided on location.origin (unforgeable) with plain comparisons,
  // not on URL or Array methods the page may have replaced before.
  var hereOK = false;
  if (loc.protocol === 'http:' || loc.protocol === 'https:') {
    for (var k = 0; k < cfg.allowed.length; k++) if (cfg.allowed[k] === loc.origin) hereOK = true;
  } else if (loc.protocol === 'blob:') {
    hereOK = decide(here) === 'allow';
  }
  if (!hereOK) {
    if (g.leaving) return;
    g.leaving = true;
    if (loc.protocol === 'http:' || loc.protocol === 'https:') openOutside(here);
    // Give the opener's navigation a moment to be sent before leaving.
    setTimeout(function () { loc.replace(cfg.home); }, cfg.leaveDelay);
    return;
  }

  // With the engine's hooks (cfg.host) links, forms and window.open are
  // decided by the engine, which knows whether the user clicked; rerouting
  // them here would turn a click into a scripted navigation.
  if (!cfg.host && !g.routed) {
    g.routed = true;

    // (2) Links: outside origins via the opener, target=_blank / modified /
    // middle clicks on suite links in this same window (WebView2 would open
    // an unguarded popup window).
    var onClick = function (ev) {
      if (ev.type === 'auxclick' && ev.button !== 1) return;
      if (ev.type === 'click' && ev.button !== 0) return;
      var path = ev.composedPath ? ev.composedPath() : [ev.target];
      var a = null;
      for (var i = 0; i < path.length; i++) {
        var n = path[i];
        if (n && n.nodeType === 1 && (n.localName === 'a' || n.localName === 'area') && n.hasAttribute('href')) { a = n; break; }
      }
      if (!a) return;
      var href = a.href;
      var t = (a.getAttribute('target') || (document.querySelector('base[target]') || {}).target || '').toLowerCase();
      var newWin = t === '_blank' || (t && t !== '_self' && t !== '_top' && t !== '_parent' && !namedFrame(t)) ||
        ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button === 1;
      var d = decide(href);
      if (d === 'external') { ev.preventDefault(); openOutside(new URL(href, loc.href).href); }
      else if (newWin) {
        if (d === 'allow' && a.hasAttribute('download') && !ev.ctrlKey && !ev.shiftKey && !ev.metaKey && ev.button === 0) return;
        ev.preventDefault();
        if (d === 'allow') go(href);
      }
    };
    var namedFrame = function (name) {
      for (var i = 0; i < window.frames.length; i++) { try { if (window.frames[i].name === name) return true; } catch (e) {} }
      return false;
    };
    window.addEventListener('click', onClick, true);
    window.addEventListener('auxclick', onClick, true);

    // Forms posted to a new window go to this one; to an outside origin nowhere.
    window.addEventListener('submit', function (ev) {
      var f = ev.target;
      if (!f || f.localName !== 'form') return;
      // Attributes, not f.action / f.method: a field named "action" shadows those.
      var act = f.getAttribute('action') || '', action;
      try { action = new URL(act, loc.href).href; } catch (e) { ev.preventDefault(); return; }
      var d = decide(action);
      var t = (f.getAttribute('target') || '').toLowerCase();
      if (d === 'allow' && t === '_blank') f.setAttribute('target', '_self');
      else if (d !== 'allow') { ev.preventDefault(); if (d === 'external' && (f.getAttribute('method') || 'get').toLowerCase() === 'get') openOutside(action); }
    }, true);

    // (3) window.open: outside → opener; suite → this window. The returned
    // stand-in lets `w = window.open(); w.location = url` work the same way.
    var origOpen = window.open;
    var stub = function () {
      var s = { closed: false, opener: window, close: function () { s.closed = true; }, focus: function () {}, blur: function () {}, postMessage: function () {} };
      var l = { assign: function (u) { route(String(u)); }, replace: function (u) { route(String(u)); } };
      Object.defineProperty(l, 'href', { set: function (u) { route(String(u)); }, get: function () { return 'about:blank'; } });
      Object.defineProperty(s, 'location', { set: function (u) { route(String(u)); }, get: function () { return l; } });
      s.document = document.implementation.createHTMLDocument('');
      return s;
    };
    var guardedOpen = function (url, target) {
      var u = url === undefined || url === null ? '' : String(url);
      var t = (target === undefined || target === null ? '_blank' : String(target)).toLowerCase();
      if (u === '' || u === 'about:blank') return stub();
      var d = decide(u);
      if (d === 'allow' && (t === '_self' || t === '_top' || t === '_parent' || namedFrame(t))) return origOpen.apply(window, arguments);
      route(u);
      return d === 'allow' ? window : null;
    };
    try { Object.defineProperty(window, 'open', { value: guardedOpen, writable: false, configurable: false }); } catch (e) { window.open = guardedOpen; }
  }

  if (!g.media) {
    g.media = true;

    // (5) Camera and microphone only on the meet origin. Defence in depth,
    // not a boundary: the page ran before this and may hold the original.
    if (originOf(here) !== cfg.meet) {
      var deny = function () { return Promise.reject(new DOMException('Deskport allows camera and microphone only in the video app', 'NotAllowedError')); };
      var md = navigator.mediaDevices;
      if (md) {
        ['getUserMedia', 'getDisplayMedia'].forEach(function (m) {
          try { Object.defineProperty(md, m, { value: deny, writable: false, configurable: false }); } catch (e) {}
        });
      }
      ['getUserMedia', 'webkitGetUserMedia'].forEach(function (m) {
        if (navigator[m]) { try { Object.defineProperty(navigator, m, { value: function (c, ok, fail) { if (fail) fail(new DOMException('denied', 'NotAllowedError')); }, writable: false, configurable: false }); } catch (e) {} }
      });
    }
  }
})(__CONFIG__);
