// The reader shows message HTML only inside an iframe with an empty sandbox
// (no scripts, opaque origin: nothing in the message can reach the page, its
// storage or the Go bindings) and a CSP of its own that lets nothing load
// except inline images, and remote images once the user allowed them.

// Links: the Go sanitizer (internal/htmlsafe) points every web, mail and
// phone link at the shell's own /__deskport/open?u=URL, without a target. A
// click starts a navigation of this frame itself (a sandboxed document may
// navigate itself; no CSP directive governs that, and the shell page's
// frame-src 'self' admits the shell's origin), and the frame never leaves the
// message:
// - Linux (wails://wails): the window's WebKit policy handler
//   (internal/webkit Decide) ignores that navigation and opens URL from Go,
//   so the frame loads nothing and keeps its history.
// - Windows (http://wails.localhost): the request reaches the shell's handler
//   (openlink.go), which opens URL and answers 204 No Content; a browser
//   drops a navigation whose response is a 204, so the frame stays as it was.
// A mailto: link opens the mail view's compose panel instead when a mail
// account is signed in (the Go side emits "mail:compose").
export const SANDBOX = ''; // no allow-scripts, no allow-same-origin, no allow-popups

export function frameCSP(allowRemote: boolean): string {
  const img = allowRemote ? "data: cid: https: http:" : 'data: cid:';
  return `default-src 'none'; img-src ${img}; style-src 'unsafe-inline'; font-src data:; form-action 'none'; base-uri 'none'`;
}

const frameStyle = `
body { font-family: system-ui, 'Cantarell', 'Segoe UI', sans-serif; font-size: 15px; line-height: 1.45;
  color: #1d2330; margin: 12px 16px; overflow-wrap: anywhere; }
img { max-width: 100%; height: auto; }
img[data-blocked] { display: inline-block; min-width: 24px; min-height: 24px; background: #eef1f5;
  border: 1px dashed #9aa6b8; }
pre { white-space: pre-wrap; font-family: inherit; }
blockquote { border-left: 3px solid #c5cedb; margin-left: 0; padding-left: 12px; color: #45506a; }
`;

export function srcdoc(html: string, allowRemote: boolean): string {
  return '<!doctype html><html><head><meta charset="utf-8">' +
    `<meta http-equiv="Content-Security-Policy" content="${frameCSP(allowRemote)}">` +
    `<meta name="referrer" content="no-referrer"><style>${frameStyle}</style></head><body>${html}</body></html>`;
}

export function messageFrame(html: string, allowRemote: boolean, title: string): HTMLIFrameElement {
  const f = document.createElement('iframe');
  f.setAttribute('sandbox', SANDBOX);
  f.setAttribute('referrerpolicy', 'no-referrer');
  f.setAttribute('title', title);
  f.className = 'mail-frame';
  f.srcdoc = srcdoc(html, allowRemote);
  return f;
}

// Remote references the Go side held back; it marks blocked images.
export function countBlocked(html: string, reported?: number): number {
  if (typeof reported === 'number') return reported;
  return (html.match(/data-blocked="remote"/g) ?? []).length;
}
