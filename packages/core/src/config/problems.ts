import { type ConfigProblem, TelemetryConfigError } from "../errors.js";

/**
 * Gathers configuration problems so a loader can report every mistake of every file in one
 * TelemetryConfigError instead of stopping at the first.
 */
export class ConfigProblems {
  readonly #problems: ConfigProblem[] = [];

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

  /** Throws one error listing everything recorded, if anything was. */
  throwIfAny(): void {
    if (this.#problems.length > 0) throw TelemetryConfigError.fromProblems(this.#problems);
  }

  #record(error: unknown): void {
    if (!(error instanceof TelemetryConfigError)) throw error;
    this.#problems.push(...error.problems);
  }
}
