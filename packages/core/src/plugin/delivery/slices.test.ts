import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { spin, startTurnCounter } from "../../../test/event-loop.js";
import {
  encodeJoinedInSlices,
  mapInSlices,
  SLICE_BUDGET_MS,
  sliceIsOver,
  yieldToEventLoop,
} from "./slices.js";

/**
 * Runs `work` while counting event-loop turns (a `setImmediate` chain), and returns the most
 * CPU time any one turn spent on items: `cost` ms per item, counted by the items seen per turn.
 * Counting items instead of timing gaps keeps it exact on a loaded machine.
 */
async function mostWorkInOneTurn(
  work: (record: () => void) => Promise<unknown>,
  cost: number,
): Promise<number> {
  const turns = startTurnCounter();
  const itemsPerTurn = new Map<number, number>();
  await work(() => itemsPerTurn.set(turns.turn, (itemsPerTurn.get(turns.turn) ?? 0) + 1));
  turns.stop();
  return Math.max(...itemsPerTurn.values()) * cost;
}

describe("delivery work in slices", () => {
  const COST = 0.05;
  /** A slice checks its budget before each item, so it may run one item past it. */
  const MOST_PER_TURN = SLICE_BUDGET_MS + COST;

  it("a slice's budget is short next to the app's own timers (1 ms)", () => {
    expect(SLICE_BUDGET_MS).toBeLessThanOrEqual(0.5);
  });

  it("a large map yields to the event loop whenever a slice's budget is spent", async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const most = await mostWorkInOneTurn(
      (record) =>
        mapInSlices(items, (i) => {
          record();
          spin(COST);
          return i * 2;
        }),
      COST,
    );
    // 50 ms of work in all; no turn holds more than one slice of it.
    expect(most).toBeLessThanOrEqual(MOST_PER_TURN + 1e-9);
  });

  it("slices of several destinations take turns instead of piling up in one turn", async () => {
    const items = Array.from({ length: 200 }, (_, i) => i);
    const most = await mostWorkInOneTurn(
      (record) =>
        Promise.all(
          Array.from({ length: 12 }, () =>
            mapInSlices(items, (i) => {
              record();
              spin(COST);
              return i;
            }),
          ),
        ),
      COST,
    );
    // Were each worker given its own slice per turn, one turn would hold 12 of them.
    expect(most).toBeLessThanOrEqual(MOST_PER_TURN + 1e-9);
  });

  it("keeps the results in order", async () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const mapped = await mapInSlices(items, (i) => {
      spin(0.002);
      return `#${i}`;
    });
    expect(mapped).toEqual(items.map((i) => `#${i}`));
  });

  it("a slice that started outside a turn of its own counts as over; a fresh turn does not", async () => {
    spin(SLICE_BUDGET_MS * 2);
    expect(sliceIsOver()).toBe(true);
    await yieldToEventLoop();
    expect(sliceIsOver()).toBe(false);
    spin(SLICE_BUDGET_MS * 1.5);
    expect(sliceIsOver()).toBe(true);
  });

  it("encodes prefix + items joined + suffix exactly as TextEncoder encodes the whole string", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme" }),
        fc.array(fc.string({ unit: "binary" }), { maxLength: 30 }),
        fc.string({ unit: "grapheme", maxLength: 3 }),
        fc.string({ unit: "grapheme" }),
        async (prefix, items, separator, suffix) => {
          const bytes = await encodeJoinedInSlices(prefix, items, separator, suffix);
          expect(bytes).toEqual(new TextEncoder().encode(prefix + items.join(separator) + suffix));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("encodes bodies longer than one encoding run (64 K characters) the same way, multibyte text included", async () => {
    const items = Array.from({ length: 3000 }, (_, i) => `{"n":${i},"text":"prix: ${i} € — ok ✓ 𝄞"}`);
    const bytes = await encodeJoinedInSlices('{"batch":[', items, ",", "]}");
    expect(bytes).toEqual(new TextEncoder().encode(`{"batch":[${items.join(",")}]}`));
  });

  it("a turn that never ran (a fake timer dropped by a test) does not wedge later yields", async () => {
    const realImmediate = globalThis.setImmediate;
    globalThis.setImmediate = (() => undefined) as unknown as typeof setImmediate;
    let firstResumed = false;
    const first = yieldToEventLoop().then(() => {
      firstResumed = true;
    });
    globalThis.setImmediate = realImmediate;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(firstResumed).toBe(false);
    await yieldToEventLoop();
    await first;
    expect(firstResumed).toBe(true);
  });
});
