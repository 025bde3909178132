// A small HTTP exporter plugin, well-behaved by default. Each bad fixture switches on exactly
// one misbehaviour, so each of the conformance kit's checks is shown failing for its reason.
import { request as httpRequest } from "node:http";
import {
  defineExporter,
  delay,
  PLUGIN_API_VERSION,
  TelemetryConfigError,
} from "@pipelex/telemetry-core/plugin";

const SUCCESS = 0;
const FAILED = 1;
const ATTEMPTS = 5;
/** Short and fixed, so the kit's short watch covers a retry (real plugins honour Retry-After). */
const BACKOFF_MS = 100;

export const FIXTURE_TOKEN = "fixture-token-0123456789abcdef";

/**
 * @param {{
 *   name?: string,
 *   transport?: "fetch" | "http",
 *   retryAfterSwitch?: boolean,
 *   noAbort?: boolean,
 *   sendElsewhereOnSwitch?: "fetch" | "http" | "https",
 *   logSecretTo?: "console" | "stdout" | "stderr" | "logger",
 *   undeclaredSecret?: boolean,
 *   throwInExport?: boolean,
 *   hangShutdown?: boolean,
 *   hangFlush?: boolean,
 *   timerAfterShutdown?: boolean,
 *   printAfterShutdown?: boolean,
 *   leakInterval?: boolean,
 *   leakFile?: string,
 * }} behaviour
 */
export function fixturePlugin(behaviour = {}) {
  return defineExporter({
    name: behaviour.name ?? "fixture",
    apiVersion: PLUGIN_API_VERSION,
    parseOptions(raw, source = {}) {
      if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
        throw new TelemetryConfigError("options must be a table", source);
      }
      const { endpoint, token } = raw;
      if (typeof endpoint !== "string" || typeof token !== "string") {
        throw new TelemetryConfigError("endpoint and token are required", source);
      }
      return { endpoint, token };
    },
    secrets: (options) => (behaviour.undeclaredSecret ? [] : [options.token]),
    defaultRedaction: () => [],
    describe: (options) => ({ sendsTo: new URL(options.endpoint).host, receives: "full data", redacts: [] }),
    create: (options, context) => new FixtureExporter(options, context, behaviour),
  });
}

class FixtureExporter {
  pending = new Set();
  stopped = false;

  constructor(options, context, behaviour) {
    this.options = options;
    this.context = context;
    this.behaviour = behaviour;
    if (behaviour.logSecretTo) this.log(`connecting with token ${options.token}`);
    if (behaviour.leakInterval) this.interval = setInterval(() => {}, 60_000);
    if (behaviour.leakFile) this.file = openFile(behaviour.leakFile);
    if (behaviour.sendElsewhereOnSwitch) {
      const sendElsewhere = () => sendTo(behaviour.sendElsewhereOnSwitch);
      context.killSwitch.onEngage(sendElsewhere);
      context.shutdownSignal.addEventListener("abort", sendElsewhere, { once: true });
    }
  }

  log(message) {
    const where = this.behaviour.logSecretTo;
    if (where === "console") console.warn(message);
    else if (where === "stdout") process.stdout.write(`${message}\n`);
    else if (where === "stderr") process.stderr.write(`${message}\n`);
    else this.context.logger.warn(message);
  }

  halted() {
    return this.stopped || this.context.killSwitch.isEngaged() || this.context.shutdownSignal.aborted;
  }

  export(spans, done) {
    if (this.behaviour.throwInExport) throw new Error("export is not implemented");
    if (this.halted()) {
      if (this.behaviour.printAfterShutdown) console.log("fixture: exporter is shut down");
      if (this.behaviour.timerAfterShutdown) {
        setTimeout(() => done({ code: FAILED, error: new Error("shut down") }), 5);
        return;
      }
      done({ code: FAILED, error: new Error("the fixture exporter is shut down") });
      return;
    }
    const body = JSON.stringify(spans.map((span) => span.name));
    const work = this.deliver(body).then(done);
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  async deliver(body) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (attempt > 0) {
        await delay(BACKOFF_MS, this.behaviour.retryAfterSwitch ? undefined : this.context.shutdownSignal);
        if (this.halted() && !this.behaviour.retryAfterSwitch) {
          return { code: FAILED, error: new Error("stopped before the retry") };
        }
      }
      try {
        const status = await this.post(body, attempt);
        if (status >= 200 && status < 300) return { code: SUCCESS };
        if (status !== 503) return { code: FAILED, error: new Error(`HTTP ${status}`) };
      } catch (error) {
        return { code: FAILED, error: new Error(`request failed: ${error?.name ?? "error"}`) };
      }
    }
    return { code: FAILED, error: new Error("gave up after retries") };
  }

  post(body, attempt) {
    // retryAfterSwitch: each retry runs on its own, forgetting the shutdown signal.
    const forgetsSignal = this.behaviour.noAbort || (this.behaviour.retryAfterSwitch && attempt > 0);
    const signal = forgetsSignal ? undefined : this.context.shutdownSignal;
    const headers = { authorization: `Bearer ${this.options.token}`, "content-type": "application/json" };
    if (this.behaviour.transport !== "http") {
      return fetch(this.options.endpoint, { method: "POST", headers, body, signal }).then(async (res) => {
        await res.arrayBuffer();
        return res.status;
      });
    }
    return new Promise((resolve, reject) => {
      const req = httpRequest(this.options.endpoint, { method: "POST", headers, signal }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  async forceFlush() {
    if (this.behaviour.hangFlush) return new Promise(() => {});
    await Promise.all(this.pending);
  }

  async shutdown() {
    if (this.behaviour.hangShutdown) return new Promise(() => {});
    this.stopped = true;
    await Promise.all(this.pending);
  }
}

/** A request to a port nothing listens on: the kit's receiver never sees it, only its module-level watch. */
async function sendTo(via) {
  const url = `${via === "https" ? "https" : "http"}://127.0.0.1:9/elsewhere`;
  if (via === "fetch") {
    fetch(url, { method: "POST", body: "{}" }).catch(() => {});
    return;
  }
  const { request } = via === "https" ? await import("node:https") : await import("node:http");
  const req = request(url, { method: "POST" });
  req.on("error", () => {});
  req.end("{}");
}

function openFile(path) {
  // Lazy, like the rest of a plugin's Node-only work.
  return import("node:fs").then((fs) => fs.openSync(path, "a"));
}
