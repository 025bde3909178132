import { type IdGenerator, RandomIdGenerator } from "@opentelemetry/sdk-trace-base";

/**
 * Random ids, with the next trace id readable before the root span is started, so the trace
 * name goes into the span's start attributes instead of a later `setAttribute` (each of which
 * costs the SDK an attribute-count check).
 */
export class PeekableIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  private next: string | undefined;

  peekTraceId(): string {
    this.next ??= this.random.generateTraceId();
    return this.next;
  }

  generateTraceId(): string {
    const id = this.next ?? this.random.generateTraceId();
    this.next = undefined;
    return id;
  }

  generateSpanId(): string {
    return this.random.generateSpanId();
  }
}
