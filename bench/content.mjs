// Deterministic text for the benchmarks: English prose with ordinary numbers (what prompts and
// completions mostly are) and adversarial text dense with near misses for the masker.

/** A small seeded generator, so every run measures the same text. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const WORDS = (
  "the contract renews every year unless either party gives written notice before the end of " +
  "the term and the supplier shall deliver all goods to the warehouse named in the order while " +
  "the buyer pays each invoice within the agreed period after receipt late payments accrue " +
  "interest at the rate stated below and disputes go first to mediation then to the courts of " +
  "Paris summarize this agreement in three short bullet points for a busy reader please keep " +
  "the dates amounts and obligations exact and mention any clause that looks unusual or risky"
).split(" ");
const NUMBERS = [
  "30",
  "2024",
  "1.5%",
  "3,500",
  "12",
  "€40,000",
  "Q3",
  "14 March 2025",
  "90 days",
  "7",
  "2.4 million",
];

/** English prose with ordinary numbers, `length` characters, no secret of any kind. */
export function prose(length, seed = 1) {
  const next = random(seed);
  let text = "";
  let sentence = 0;
  while (text.length < length) {
    const word =
      next() < 0.06 ? NUMBERS[Math.floor(next() * NUMBERS.length)] : WORDS[Math.floor(next() * WORDS.length)];
    text += sentence === 0 ? word[0].toUpperCase() + word.slice(1) : word;
    sentence++;
    if (sentence > 8 && next() < 0.12) {
      text += next() < 0.2 ? ".\n\n" : ". ";
      sentence = 0;
    } else text += next() < 0.05 ? ", " : " ";
  }
  return flat(text.slice(0, length));
}

// Near misses of every family: lone and doubled @, a@b without a domain, 12-digit runs and
// card-shaped groups one digit short, sk-/pk-/phc_/ghp_ fragments too short to be keys, the
// Bearer words without a token, schemes without credentials.
const NEAR_MISSES = [
  "@",
  "a@b",
  "user@host",
  "x@y.z",
  "@@",
  "123456789012",
  "4111 1111 1111 111",
  "1234-5678-9012",
  "sk-abc",
  "sk-",
  "pk-12345",
  "rk-x",
  "phc_short",
  "ghp_",
  "AKIA12",
  "AIza",
  "xoxb-1",
  "Bearer",
  "bearer !",
  "BEARER",
  "Bearer\n",
  "http://",
  "https://host/path",
  "a://b:c",
  "mailto:",
  "a.b.c.d",
  "first.last",
  "-",
  "_",
  "1-2-3",
  "42",
];

/** Text made only of near misses, `length` characters: no family matches, every family is tempted. */
export function adversarial(length, seed = 2) {
  const next = random(seed);
  let text = "";
  while (text.length < length) {
    text += NEAR_MISSES[Math.floor(next() * NEAR_MISSES.length)];
    // A comma between pieces keeps them from joining into a real match (", " ends every family).
    text += next() < 0.5 ? ", " : " ; ";
  }
  return flat(text.slice(0, length));
}

/** A flat (not concatenated) string, as one parsed from a request body would be. */
const flat = (text) => JSON.parse(JSON.stringify(text));
