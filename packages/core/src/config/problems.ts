import { type ConfigProblem, TelemetryConfigError } from "../errors.js";

/**
 * Gathers configuration problems so a loader can report every mistake of every file in one
 * TelemetryConfigError instead of stopping at the first.
 */
export class ConfigProblems {
  readonly #problems: ConfigProblem[] = [];
  /** The errors recorded, so a lone one is rethrown as itself (keeping its class). */
  readonly #errors: TelemetryConfigError[] = [];

  get list(): readonly ConfigProblem[] {
    return this.#problems;
  }

  add(problem: ConfigProblem): void {
    this.#problems.push(problem);
  }

  /** Runs `fn`; a TelemetryConfigError it throws is recorded (all its problems), anything else rethrown. */
  attempt<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.#record(error);
      return undefined;
    }
  }

  async attemptAsync<T>(fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (error) {
      this.#record(error);
      return undefined;
    }
  }

  /**
   * Throws one error listing everything recorded, if anything was. When everything came from
   * one error, that error is rethrown as is, so its class (InvalidEndpointError, ...) survives.
   */
  throwIfAny(): void {
    if (this.#problems.length === 0) return;
    const [only] = this.#errors;
    if (only && this.#errors.length === 1 && only.problems.length === this.#problems.length) throw only;
    throw TelemetryConfigError.fromProblems(this.#problems);
  }

  #record(error: unknown): void {
    if (!(error instanceof TelemetryConfigError)) throw error;
    this.#errors.push(error);
    this.#problems.push(...error.problems);
  }
}
