/**
 * Delivery work (redacting, mapping, serializing a batch) runs in slices of at most
 * SLICE_BUDGET_MS, one slice per event-loop turn across every destination, so telemetry never
 * holds the app's event loop for long however large the batch or however many destinations are
 * busy. A slice that has used its budget awaits `yieldToEventLoop()`; the waiting slices resume
 * one per turn (a `setImmediate` where there is one, after the app's timers and I/O), oldest first.
 */

/** How long one slice of delivery work may hold the event loop. */
export const SLICE_BUDGET_MS = 0.5;

const now: () => number =
  typeof globalThis.performance?.now === "function" ? () => globalThis.performance.now() : () => Date.now();

type Immediate = (fn: () => void) => unknown;
/** The web MessageChannel, as much of it as a turn needs. */
interface ChannelLike {
  readonly port1: { onmessage: ((event: unknown) => void) | null; close(): void };
  readonly port2: { postMessage(message: unknown): void };
}

/**
 * Runs `fn` at the next turn of the event loop: `setImmediate` (Node, Bun, Deno), else a
 * MessageChannel message (browsers, workers: not clamped like nested zero-delay timers), else a
 * zero-delay timer. Looked up at each call, so a test's fake timers installed or removed later
 * are honoured.
 */
function atNextTurn(fn: () => void): void {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  if (typeof immediate === "function") {
    immediate(fn);
    return;
  }
  const Channel = (globalThis as unknown as { MessageChannel?: new () => ChannelLike }).MessageChannel;
  if (typeof Channel === "function") {
    const channel = new Channel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      fn();
    };
    channel.port2.postMessage(null);
    return;
  }
  setTimeout(fn, 0);
}

/** A scheduled turn that has not run after this long is scheduled again (a dropped fake timer). */
const TURN_RESCHEDULE_MS = 1000;

const waiting: (() => void)[] = [];
let turnScheduledAt: number | undefined;
/** When the slice now running got its turn; slices that start outside a turn count as over. */
let sliceStartedAt = Number.NEGATIVE_INFINITY;

function scheduleTurn(): void {
  if (turnScheduledAt !== undefined && now() - turnScheduledAt < TURN_RESCHEDULE_MS) return;
  turnScheduledAt = now();
  try {
    atNextTurn(runTurn);
  } catch {
    // Scheduling itself failed: the next yield tries again instead of waiting on a turn that never comes.
    turnScheduledAt = undefined;
    setTimeout(runTurn, 0);
  }
}

function runTurn(): void {
  turnScheduledAt = undefined;
  sliceStartedAt = now();
  // The continuation runs in this turn's microtask checkpoint; the rest wait for later turns.
  waiting.shift()?.();
  if (waiting.length > 0) scheduleTurn();
}

/**
 * Resolves at the caller's next turn: after the host's pending timers and I/O, and after the
 * slices that were waiting before it (see `atNextTurn`).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    scheduleTurn();
  });
}

/** True once the running slice has used its budget (or did not start at a turn of its own). */
export function sliceIsOver(): boolean {
  return now() - sliceStartedAt >= SLICE_BUDGET_MS;
}

/** `map` over `items` in slices, yielding to the event loop whenever a slice's budget is spent. */
export async function mapInSlices<T, R>(items: readonly T[], map: (item: T) => R): Promise<R[]> {
  const out: R[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    if (sliceIsOver()) await yieldToEventLoop();
    out[i] = map(items[i]!);
  }
  return out;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/** Text gathered before it is encoded: one encode per run of items, not one per item. */
const ENCODE_RUN_CHARS = 64 * 1024;

/**
 * UTF-8 bytes of `prefix + items.join(separator) + suffix`, encoded a run of items at a time in
 * slices: a request body of thousands of serialized events is never one long synchronous encode
 * (which `fetch` does to a string body), nor thousands of tiny ones.
 */
export async function encodeJoinedInSlices(
  prefix: string,
  items: readonly string[],
  separator: string,
  suffix: string,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let run = prefix;
  for (let i = 0; i < items.length; i++) {
    if (sliceIsOver()) {
      parts.push(encoder.encode(run));
      run = "";
      await yieldToEventLoop();
    }
    run += i > 0 ? separator + items[i]! : items[i]!;
    if (run.length >= ENCODE_RUN_CHARS) {
      parts.push(encoder.encode(run));
      run = "";
    }
  }
  parts.push(encoder.encode(run + suffix));
  return concatBytes(parts);
}

/** The parts one after the other, in one buffer (the part itself when there is one). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
