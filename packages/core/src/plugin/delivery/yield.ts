/**
 * Lets the host's pending I/O and timers run: delivery work on large batches (mapping,
 * serializing) is done in slices with a yield between them, so telemetry never blocks the event
 * loop for long. `setImmediate` where the runtime has it, else a zero-delay timer.
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/** `map` over `items`, `sliceSize` at a time, yielding to the event loop between slices. */
export async function mapInSlices<T, R>(
  items: readonly T[],
  sliceSize: number,
  map: (item: T) => R,
): Promise<R[]> {
  const out: R[] = [];
  for (let start = 0; start < items.length; start += sliceSize) {
    if (start > 0) await yieldToEventLoop();
    const end = Math.min(items.length, start + sliceSize);
    for (let i = start; i < end; i++) out.push(map(items[i]!));
  }
  return out;
}
