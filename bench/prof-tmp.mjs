import { PEERS, startReceiver } from "./peers.mjs";
import { workflowContent } from "./workflows.mjs";

const [key, side, n] = process.argv.slice(2);
const r = await startReceiver();
const content = workflowContent(2048);
const s = PEERS[key][side](r.url, content);
for (let i = 0; i < Number(n); i++) {
  await s.workflow(i);
  if (i % 500 === 499) await s.flush();
}
await s.flush();
await s.shutdown();
r.stop();
