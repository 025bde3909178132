/** Busy-waits `ms`: work that costs that much CPU. */
export function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // burn
  }
}

/**
 * Counts event-loop turns with a `setImmediate` chain, so a test can tell which turn some work
 * ran in (counting items per turn is exact on a loaded machine, where timing gaps are not).
 */
export function startTurnCounter(): { readonly turn: number; stop(): void } {
  let turn = 0;
  let running = true;
  const probe = () => {
    turn++;
    if (running) setImmediate(probe);
  };
  setImmediate(probe);
  return {
    get turn() {
      return turn;
    },
    stop() {
      running = false;
    },
  };
}
