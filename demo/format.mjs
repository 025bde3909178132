// Terminal output helpers for the demo: a progress line and plain-text tables.

const live = process.stderr.isTTY === true;

/** Shows what the demo is doing on one self-replacing line (terminals only); null clears it. */
export function progress(step) {
  if (!live) return;
  process.stderr.write(step === null ? "\r\x1b[2K" : `\r\x1b[2K… ${step}`);
}

/** Columns padded to their widest cell, indented under a section heading. */
export function table(headers, rows) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i] ?? "").length)));
  const line = (cells) =>
    `   ${cells
      .map((c, i) => String(c ?? "").padEnd(widths[i]))
      .join("  ")
      .trimEnd()}`;
  return [line(headers), line(widths.map((w) => "·".repeat(w))), ...rows.map(line)].join("\n");
}
