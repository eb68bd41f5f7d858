// Checks on bedrocksim's request log (JSONL) and on the reference CLI's stream-json output,
// for run.sh. Usage: node checklog.mjs FILE CHECK [ARGS...]; exits 1 with a reason on failure.
import { readFileSync } from "node:fs";

const [file, check, ...args] = process.argv.slice(2);
const lines = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const fail = (msg) => { console.error("checklog: " + check + ": " + msg); process.exit(1); };

// textOf flattens a message's content (string or blocks, tool results included).
function textOf(content) {
  if (typeof content === "string") return content;
  return (content || []).map((b) => b.text ?? (b.type === "tool_result" ? textOf(b.content) : "")).join("\n");
}
const lastMessage = (r) => r.body?.messages?.at(-1);

switch (check) {
  case "conversation": { // MODEL-FRAGMENT TEXT: a streamed request with tools, answered 200
    const [model, text] = args;
    const hit = lines.find((r) => r.operation === "InvokeModelWithResponseStream" && r.model?.includes(model) &&
      r.body?.tools?.length > 0 && textOf(lastMessage(r)?.content).includes(text));
    if (!hit) fail(`no streamed request with tools to a ${model} model carrying ${JSON.stringify(text)}`);
    if (hit.status !== 200) fail(`the request was answered ${hit.status} ${hit.error_code}: ${hit.error_message}`);
    break;
  }
  case "tool-result": { // TEXT: a later request's last message holds a tool_result with TEXT
    const hit = lines.find((r) => (lastMessage(r)?.content || []).some?.((b) => b.type === "tool_result" && textOf(b.content).includes(args[0])));
    if (!hit) fail(`no request carried a tool_result containing ${JSON.stringify(args[0])}`);
    if (hit.status !== 200) fail(`that request was answered ${hit.status} ${hit.error_code}`);
    break;
  }
  case "resumed": // LATEST TEXT...: the streamed request ending with LATEST carries each TEXT
  case "continued": { // earlier ("!TEXT": never); resumed also wants a tool_use answered in the next message
    const [latest, ...earlier] = args;
    const hit = lines.findLast((r) => r.operation === "InvokeModelWithResponseStream" && r.body?.tools?.length > 0 &&
      textOf(lastMessage(r)?.content).includes(latest));
    if (!hit) fail(`no streamed request with tools ended with ${JSON.stringify(latest)}`);
    if (hit.status !== 200) fail(`the request was answered ${hit.status} ${hit.error_code}: ${hit.error_message}`);
    const before = hit.body.messages.slice(0, -1);
    const sent = before.map((m) => textOf(m.content)).join("\n");
    for (const t of earlier) {
      if (t.startsWith("!") && sent.includes(t.slice(1))) fail(`the request carried ${JSON.stringify(t.slice(1))}`);
      if (!t.startsWith("!") && !sent.includes(t)) fail(`the request did not carry ${JSON.stringify(t)} before the new prompt: ${sent.slice(0, 600)}`);
    }
    const blocks = (m) => (Array.isArray(m?.content) ? m.content : []);
    const paired = before.some((m, i) => m.role === "assistant" && blocks(m).some((b) => b.type === "tool_use" &&
      before[i + 1]?.role === "user" && blocks(before[i + 1]).some((r) => r.type === "tool_result" && r.tool_use_id === b.id)));
    if (check === "resumed" && !paired) fail("no earlier tool_use answered by its tool_result in the next message");
    break;
  }
  case "all-accepted": {
    const bad = lines.filter((r) => r.status !== 200);
    if (bad.length) fail(bad.map((r) => `${r.operation || r.path} ${r.model || ""} → ${r.status} ${r.error_code || ""}: ${r.error_message || ""}`).join("; "));
    break;
  }
  case "http2-after": { // N: every request after the first N came over HTTP/2
    const later = lines.slice(Number(args[0]));
    if (later.length < 3) fail(`only ${later.length} requests from the SDK`);
    const h1 = later.filter((r) => r.proto !== "HTTP/2.0");
    if (h1.length) fail(`${h1.length} requests over ${h1[0].proto}`);
    if (!later.some((r) => r.operation === "InvokeModelWithResponseStream" && r.status === 200)) fail("no successful stream");
    if (!later.some((r) => r.operation === "CountTokens" && r.status === 200)) fail("no successful CountTokens");
    break;
  }
  case "stream-json": { // TEXT: the final result event succeeded and carries TEXT
    const result = lines.at(-1);
    if (result?.type !== "result" || result.subtype !== "success" || result.is_error) fail("last event " + JSON.stringify(result).slice(0, 300));
    if (!String(result.result).includes(args[0])) fail("result text " + JSON.stringify(result.result).slice(0, 300));
    if (!lines.some((e) => e.type === "system" && e.subtype === "init")) fail("no init event");
    break;
  }
  default:
    fail("unknown check");
}
