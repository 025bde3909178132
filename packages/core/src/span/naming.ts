/** Pipe span name, as in the Python implementation: `"{pipeType}: {pipeCode}"`. */
export function pipeSpanName(pipeType: string, pipeCode: string): string {
  return `${pipeType}: ${pipeCode}`;
}

export interface InferenceNameParts {
  readonly pipeCode: string | undefined;
  readonly jobId: string | undefined;
  readonly model: string;
  readonly operation: string;
  /** The output class name when structured, else the output type (`text`, `image`, ...). */
  readonly output: string;
}

/**
 * Inference span name: `"{pipeCode}: {jobId} ({model}) -> {text|ClassName}"` inside a pipe,
 * the GenAI convention `"{operation} {model}"` outside one.
 */
export function inferenceSpanName(parts: InferenceNameParts): string {
  if (parts.pipeCode === undefined) return `${parts.operation} ${parts.model}`;
  const job = parts.jobId ? `${parts.jobId} ` : "";
  return `${parts.pipeCode}: ${job}(${parts.model}) -> ${parts.output}`;
}

/** Trace name on a run's root pipe span: `"{pipeCode}_{first 8 hex of the trace id}"`; redacted: the hex alone. */
export function traceName(pipeCode: string | undefined, traceId: string): string {
  const short = traceId.slice(0, 8);
  return pipeCode === undefined ? short : `${pipeCode}_${short}`;
}
