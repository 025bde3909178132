/** The kit's own waits. Unref'd: the kit never keeps a process alive either. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    (timer as { unref?: () => void }).unref?.();
  });
}

/** Polls `ready` every 10 ms; resolves true as soon as it holds, false after `ms`. */
export async function until(ready: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
  return true;
}

/** True when `work` settles (either way) within `ms`. Never rejects. */
export async function settlesIn(work: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  work.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  return until(() => settled, ms);
}
