import { describe, expect, it } from "vitest";
import { describeExportError, LangfuseExportError } from "./export-error.js";

class FakeOtlpError extends Error {
  constructor(
    message: string,
    readonly code: number,
    readonly data: string,
  ) {
    super(message);
  }
}

describe("describeExportError", () => {
  it("names the HTTP status with a hint and leaves the body out", () => {
    const error = describeExportError(
      new FakeOtlpError("Unauthorized", 401, '{"message":"Invalid credentials"}'),
    );
    expect(error).toBeInstanceOf(LangfuseExportError);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/^Langfuse answered HTTP 401: check the public\/secret key pair/);
    expect(error.message).not.toContain("Invalid credentials");
  });

  it("keeps network errors readable", () => {
    const error = describeExportError(
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }),
    );
    expect(error.status).toBeUndefined();
    expect(error.message).toBe("could not deliver to Langfuse: connect ECONNREFUSED 127.0.0.1:9");
    expect(describeExportError("boom").message).toBe("could not deliver to Langfuse: boom");
  });
});
