import { describe, expect, it } from 'vitest';
import { setupHint } from './setup-hint';

describe('setupHint', () => {
  it('says what to do, links to Accounts and starts the demo', async () => {
    let started = 0;
    const box = setupHint('connect', 'Connect your suite.', async () => { started++; });
    expect(box.id).toBe('connect');
    expect(box.querySelector('p')!.textContent).toBe('Connect your suite.');
    expect(box.querySelector<HTMLAnchorElement>('a.setup-accounts')!.getAttribute('href')).toBe('#/accounts');
    const demo = box.querySelector<HTMLButtonElement>('button.setup-demo')!;
    demo.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toBe(1);
    expect(demo.disabled).toBe(true); // one demo per click
    expect(box.querySelector('[role=status]')!.textContent).toMatch(/window of its own/);
  });

  it('shows why the demo did not start and lets the user try again', async () => {
    const box = setupHint('x', 'text', async () => { throw new Error('could not start the demo'); });
    const demo = box.querySelector<HTMLButtonElement>('button.setup-demo')!;
    demo.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(box.querySelector('[role=status]')!.textContent).toMatch(/could not start the demo/);
    expect(demo.disabled).toBe(false);
  });
});
