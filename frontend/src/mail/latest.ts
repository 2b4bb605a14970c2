// latest runs an async search as the user types: it waits until typing
// pauses (debounce), and only the answer to the newest query is delivered;
// answers to older queries that arrive late are dropped.
export interface Latest<Q> {
  push(q: Q): void;
  cancel(): void;
}

export function latest<Q, R>(
  delayMs: number,
  run: (q: Q) => Promise<R>,
  deliver: (r: R, q: Q) => void,
  fail: (err: unknown, q: Q) => void = () => {},
): Latest<Q> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  return {
    push(q: Q) {
      const mine = ++seq;
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        run(q).then(
          (r) => { if (mine === seq) deliver(r, q); },
          (e) => { if (mine === seq) fail(e, q); },
        );
      }, delayMs);
    },
    cancel() {
      seq++;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
