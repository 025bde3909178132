import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { DestinationPipeline } from "../delivery/destination-pipeline.js";

/**
 * The only processor on the isolated provider: hands each ended span to every destination's
 * queue. Redaction happens later, per destination, off the host's call path.
 */
export class FanOutSpanProcessor implements SpanProcessor {
  private open = true;
  constructor(private readonly pipelines: readonly DestinationPipeline[]) {}

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (!this.open) return;
    for (const pipeline of this.pipelines) pipeline.enqueue(span);
  }

  close(): void {
    this.open = false;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.close();
    return Promise.resolve();
  }
}
