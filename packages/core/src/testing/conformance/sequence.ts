/**
 * One ordering for everything the kit observes (requests started, requests received, lines
 * printed, resources opened), so "after the switch" is a comparison of two numbers, not of
 * two clocks.
 */
let last = 0;

export function nextSeq(): number {
  last += 1;
  return last;
}

/** The sequence number of "now": events recorded later compare greater. */
export function markNow(): number {
  return nextSeq();
}
