import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { type DraftEdit, SpanDraft } from "./span-draft.js";

/**
 * Takes a span, returns a span (the same one when nothing changes, else a copy) or `null` to
 * drop it for this destination. Must never edit the span it is given.
 */
export type RedactorFn = (span: ReadableSpan) => ReadableSpan | null;

export interface Redactor extends RedactorFn {
  /** Shown by `pipelex-telemetry status`. */
  readonly redactorName: string;
  /**
   * True when, after this redactor, no prompt, completion, or error text remains. When every
   * destination's policy has such a redactor, content is never even serialized onto spans.
   */
  readonly removesContent: boolean;
}

/** Where a built-in redactor keeps its draft form, which `composeRedactors` fuses. */
const DRAFT_EDIT = Symbol("pipelex.redactor.draftEdit");
type DraftCapable = Redactor & { readonly [DRAFT_EDIT]?: DraftEdit };

export function defineRedactor(
  redactorName: string,
  fn: RedactorFn,
  options: { removesContent?: boolean } = {},
): Redactor {
  // A wrapper, so the caller's own function object is never modified.
  return Object.assign((span: ReadableSpan) => fn(span), {
    redactorName,
    removesContent: options.removesContent ?? false,
  });
}

/**
 * A redactor written as an edit of a `SpanDraft`. Alone it costs what a plain redactor does;
 * next to other draft redactors in one policy, the chain shares one draft and one copy.
 */
export function defineDraftRedactor(
  redactorName: string,
  edit: DraftEdit,
  options: { removesContent?: boolean } = {},
): Redactor {
  return Object.assign(runEdits([edit]), {
    redactorName,
    removesContent: options.removesContent ?? false,
    [DRAFT_EDIT]: edit,
  });
}

function runEdits(edits: readonly DraftEdit[]): RedactorFn {
  if (edits.length === 1) {
    const edit = edits[0]!;
    return (span) => {
      const draft = new SpanDraft(span);
      return edit(draft) ? draft.toSpan() : null;
    };
  }
  return (span) => {
    const draft = new SpanDraft(span);
    for (const edit of edits) if (!edit(draft)) return null;
    return draft.toSpan();
  };
}

/** Accepts plain functions too, as users of other SDKs expect. */
export type RedactorLike = Redactor | RedactorFn;

export function toRedactor(candidate: RedactorLike): Redactor {
  if ("redactorName" in candidate && "removesContent" in candidate) return candidate as Redactor;
  return defineRedactor(candidate.name || "custom", candidate);
}

/**
 * Applies redactors in order; stops at the first `null`. Consecutive built-in redactors run as
 * one step over a shared draft, so a policy copies a span once, not once per redactor.
 */
export function composeRedactors(...redactors: RedactorLike[]): Redactor {
  const list = redactors.map(toRedactor) as DraftCapable[];
  if (list.length === 1) return list[0]!;
  const steps: RedactorFn[] = [];
  let run: DraftEdit[] = [];
  const endRun = () => {
    if (run.length > 0) steps.push(runEdits(run));
    run = [];
  };
  for (const redactor of list) {
    const edit = redactor[DRAFT_EDIT];
    if (edit) {
      run.push(edit);
    } else {
      endRun();
      steps.push(redactor);
    }
  }
  const allEdits = steps.length === 0 ? run : undefined;
  endRun();
  const name = list.map((r) => r.redactorName).join(" + ") || "none";
  const removesContent = list.some((r) => r.removesContent);
  if (allEdits) return defineDraftRedactor(name, fuseEdits(allEdits), { removesContent });
  return defineRedactor(
    name,
    (span) => {
      let current: ReadableSpan | null = span;
      for (const step of steps) {
        current = step(current);
        if (current === null) return null;
      }
      return current;
    },
    { removesContent },
  );
}

function fuseEdits(edits: readonly DraftEdit[]): DraftEdit {
  return (draft) => {
    for (const edit of edits) if (!edit(draft)) return false;
    return true;
  };
}
