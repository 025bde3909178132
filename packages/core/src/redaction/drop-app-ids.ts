import { ATTR } from "../span/attributes.js";
import { redactedName } from "../span/rebuild-name.js";
import { defineDraftRedactor, type Redactor } from "./redactor.js";
import type { SpanDraft } from "./span-draft.js";

/**
 * The shape an identifier must have to be sent where identifiers are checked: code-like words
 * (`context_length_exceeded`, `ECONNRESET`, `job-42`, a UUID). No `@` (emails), no `/` (paths,
 * URLs), no spaces, at most 64 characters.
 */
export const CODE_SHAPED_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The value when it is a code-shaped string, else undefined. */
export function codeShaped(value: unknown): string | undefined {
  return typeof value === "string" && CODE_SHAPED_ID.test(value) ? value : undefined;
}

export interface AppIdsPolicy {
  /** Keep `session.id` (when code-shaped). Default false. */
  readonly sessionIds?: boolean;
  /** Keep `pipelex.job.id` (when code-shaped). Default false. */
  readonly jobIds?: boolean;
}

/** Removes `key` unless it is allowed and code-shaped; true when it was removed. */
function limit(draft: SpanDraft, key: string, allowed: boolean): boolean {
  const value = draft.attributes[key];
  if (value === undefined || (allowed && codeShaped(value) !== undefined)) return false;
  draft.deleteAttribute(key);
  return true;
}

/**
 * App-chosen ids (session and job ids: an app may use an email as a session id) are removed
 * unless allowed one by one, and an allowed id is kept only when code-shaped. The job id is part
 * of inference span names, so those are rebuilt without it.
 */
export function dropAppIds(policy: AppIdsPolicy = {}): Redactor {
  const sessions = policy.sessionIds === true;
  const jobs = policy.jobIds === true;
  return defineDraftRedactor(
    `dropAppIds(${[sessions && "sessions kept", jobs && "jobs kept"].filter(Boolean).join(", ") || "all"})`,
    (draft) => {
      limit(draft, ATTR.SESSION_ID, sessions);
      if (limit(draft, ATTR.JOB_ID, jobs)) draft.name = redactedName(draft.name, draft.attributes, true);
      return true;
    },
  );
}
