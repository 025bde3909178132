// maskPatterns on its own: CPU nanoseconds per character on clean prose and on adversarial text,
// and the time to mask 1 MB of adversarial text (linear time: no catastrophic backtracking).
import { createStringMasker } from "@pipelex/telemetry-core";
import { adversarial, prose } from "./content.mjs";
import { cpuNow, median } from "./measure.mjs";

/** Median over `rounds` of CPU ns per character to mask `text` (which it must leave unchanged). */
export function maskNsPerChar(text, { rounds, budgetMs = 40 }) {
  const mask = createStringMasker();
  if (mask(text) !== text)
    throw new Error("bench text must hold no secret: the figure is for text left unchanged");
  // Repeat so each round lasts about budgetMs, well above the clock's resolution.
  const reps = Math.max(1, Math.round((budgetMs * 1e6) / (text.length * 2)));
  for (let i = 0; i < reps; i++) mask(text); // warm-up
  const perChar = [];
  for (let r = 0; r < rounds; r++) {
    const started = cpuNow();
    for (let i = 0; i < reps; i++) mask(text);
    perChar.push((cpuNow() - started) / reps / text.length);
  }
  return { median: median(perChar), min: Math.min(...perChar), max: Math.max(...perChar) };
}

/** CPU ms to mask one 1 MB adversarial string (median of `rounds`, each on a fresh copy). */
export function maskMegabyteMs({ rounds }) {
  const mask = createStringMasker();
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const text = adversarial(1 << 20, 100 + r);
    const started = cpuNow();
    mask(text);
    times.push((cpuNow() - started) / 1e6);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

export const MASK_TEXTS = {
  "clean prose, 2 KB": () => prose(2048),
  "clean prose, 32 KB": () => prose(32768),
  "adversarial, 2 KB": () => adversarial(2048),
  "adversarial, 32 KB": () => adversarial(32768),
};
