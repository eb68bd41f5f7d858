// Field-by-field comparison of what strata writes with what the reference CLI writes for the
// same scripted conversation, for run.sh.
//
//   node compare.mjs transcript REF.jsonl STRATA.jsonl   session transcripts (~/.claude/projects)
//   node compare.mjs stream-json REF.jsonl STRATA.jsonl  -p --output-format stream-json --verbose
//   node compare.mjs json REF.json STRATA.json           -p --output-format json
//
// Every line is sorted into a kind ("user:prompt", "user:tool_result", "assistant",
// "system:init", "result:success", …) and flattened into key paths ("message.usage.input_tokens",
// "message.content[tool_use].id"). A path the reference writes on every line of a kind must be on
// every strata line of that kind, with the same JSON type (null matches any type); the keys in
// SAME must have the reference's value where it writes one value for the kind; a kind the
// reference writes must appear in strata's output; the conversation must come in the same order.
// Each exception is in ALLOWED below with its reason. The reference writes one line per content
// block of a response; those lines are merged (by message id) before comparing, which is how the
// reference reads them back. Exit 1 lists every difference not allowed.
import { readFileSync } from "node:fs";
import { basename, dirname } from "node:path";

// SAME: keys whose value strata must share with the reference where the reference writes one
// value on every line of a kind (a per-line value such as stop_reason is compared only when
// it is the same on all of them).
const SAME = {
  transcript: ["type", "isSidechain", "userType", "message.role", "message.type", "message.model", "message.stop_reason"],
  "stream-json": ["type", "subtype", "parent_tool_use_id", "model", "permissionMode", "apiKeySource", "output_style",
    "mcp_servers", "message.role", "message.type", "message.model", "is_error", "api_error_status", "num_turns",
    "stop_reason", "result", "terminal_reason", "fast_mode_state", "permission_denials"],
  json: ["type", "subtype", "is_error", "api_error_status", "num_turns", "stop_reason", "terminal_reason",
    "fast_mode_state", "permission_denials"],
};

// ALLOWED: [mode, kind, path ("" for the whole kind), what ("missing", "type" or "value"), why].
const ALLOWED = [
  // Transcripts.
  ["transcript", "queue-operation", "", "missing",
    "the reference's print-mode input queue bookkeeping; never read back as conversation"],
  ["transcript", "attachment", "", "missing",
    "the reference's listings of its deferred tools, agent types and skills, which it sends the model as reminders; strata offers its tools in the request and writes no such lines"],
  ["transcript", "last-prompt", "", "missing",
    "the reference's cache of the last prompt for its resume picker; strata's listing reads the prompts themselves, and the reference falls back to them"],
  ["transcript", "user:prompt", "promptSource", "missing", "the reference's marker of where a prompt came from (sdk, cli); no effect on resume"],
  ["transcript", "user:prompt", "message.content", "type",
    "the reference writes a typed prompt as a string, strata as one text block; the API takes both and each tool reads the other's (checked by the resume steps)"],
  ["transcript", "user:tool_result", "message.content[tool_result].is_error", "missing",
    "is_error false is the API's default; strata writes it only when true"],
  ["transcript", "user:tool_result", "message.content[tool_result].content", "type",
    "the reference writes text results as a string, strata as text blocks; both are the API's shapes"],
  // stream-json.
  ["stream-json", "system:thinking_tokens", "", "missing",
    "the reference's progress estimate while the model thinks; strata shows the thinking blocks themselves and sends no estimate"],
  ["stream-json", "user:tool_result", "tool_use_result", "type",
    "the reference's per-tool display record is an object for every tool; strata sends Bash's record and the other tools' text. The Agent SDK types it as unknown"],
  ["stream-json", "system:init", "memory_paths.auto", "missing",
    "the reference's auto-memory folder (projects/<key>/memory/); strata has no auto memory, and writes memory_paths as {}"],
  ["stream-json", "user:tool_result", "message.content[tool_result].is_error", "missing",
    "is_error false is the API's default; strata writes it only when true"],
  ["stream-json", "user:tool_result", "message.content[tool_result].content", "type",
    "the reference writes text results as a string, strata as text blocks; both are the API's shapes"],
];
// Result fields, the same in json and stream-json.
for (const mode of ["json", "stream-json"]) {
  ALLOWED.push(
    ...["ttft_ms", "ttft_stream_ms", "time_to_request_ms"].map((k) => [mode, "result:success", k, "missing",
      "the reference's latency measurements (time to first token, to request); optional in the Agent SDK's result type"]),
  );
}

const [mode, refFile, strataFile] = process.argv.slice(2);
if (!["transcript", "stream-json", "json"].includes(mode) || !strataFile) {
  console.error("usage: node compare.mjs transcript|stream-json|json REF STRATA");
  process.exit(2);
}
const problems = new Set();
const notes = [];
const allowedUsed = new Set();
// allowed finds the entry covering a difference; an entry for a path covers what lies under it.
const allowed = (kind, path, what) => {
  const hit = ALLOWED.find(([m, k, p, w]) => m === mode && k === kind && w === what &&
    (p === path || (p !== "" && (path.startsWith(p + ".") || path.startsWith(p + "[")))));
  if (hit) allowedUsed.add(hit);
  return hit !== undefined;
};

const read = (file) => {
  const text = readFileSync(file, "utf8");
  if (mode === "json") return [JSON.parse(text)];
  return text.split("\n").filter(Boolean).map((l, i) => {
    try { return JSON.parse(l); } catch (e) { problems.add(`${file}:${i + 1}: not JSON: ${e.message}`); return {}; }
  });
};

// kindOf sorts a line: type, with the subtype of system and result lines, and user lines split
// into prompts and tool results.
function kindOf(line) {
  if (line.type === "user") {
    const c = line.message?.content;
    return Array.isArray(c) && c.some((b) => b.type === "tool_result") ? "user:tool_result" : "user:prompt";
  }
  if ((line.type === "system" || line.type === "result") && line.subtype) return line.type + ":" + line.subtype;
  return String(line.type);
}

// mergeSplit joins the reference's one-line-per-block assistant lines into one per response.
function mergeSplit(lines) {
  const out = [];
  for (const line of lines) {
    const prev = out.at(-1);
    if (line.type === "assistant" && prev?.type === "assistant" && line.message?.id && prev.message?.id === line.message.id) {
      out[out.length - 1] = { ...line, message: { ...line.message, content: [...prev.message.content, ...line.message.content] } };
      continue;
    }
    out.push(line);
  }
  return out;
}

const typeOf = (v) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
// Objects whose keys are data (model ids), compared as one "*" key.
const DATA_KEYS = new Set(["modelUsage"]);

// paths flattens v into path → JSON type. Array elements that carry a type are named by it
// ("content[text]"); other elements share "[]". An element path's condition is the element
// itself: a path under "content[tool_use]" is only expected where such an element is.
function paths(v, prefix = "", out = new Map()) {
  if (prefix) out.set(prefix, typeOf(v));
  if (Array.isArray(v)) {
    for (const el of v) {
      if (el && typeof el === "object" && !Array.isArray(el)) {
        paths(el, prefix + (typeof el.type === "string" ? `[${el.type}]` : "[]"), out);
      }
    }
  } else if (v && typeof v === "object") {
    for (const [k, el] of Object.entries(v)) {
      const key = DATA_KEYS.has(prefix) ? "*" : k;
      paths(el, prefix ? prefix + "." + key : key, out);
    }
  }
  return out;
}
// condition is the innermost array element a path lies in ("" for the line itself); an
// element's own path ("message.content[thinking]") lies in its container's condition.
function condition(path) {
  const own = path.endsWith("]") ? path.slice(0, path.lastIndexOf("[")) : path;
  const i = own.lastIndexOf("]");
  return i < 0 ? "" : own.slice(0, i + 1);
}

// ancestors are the paths path lies under, outermost first.
function ancestors(path) {
  const out = [];
  for (let i = 0; i < path.length; i++) if ((path[i] === "." || path[i] === "[") && i > 0) out.push(path.slice(0, i));
  return out;
}

function byKind(lines) {
  const m = new Map();
  for (const l of lines) {
    const k = kindOf(l);
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(paths(l));
  }
  return m;
}

function compareKinds(ref, strata) {
  for (const [kind, refLines] of ref) {
    const ours = strata.get(kind);
    if (!ours) {
      if (!allowed(kind, "", "missing")) problems.add(`strata writes no ${kind} line`);
      continue;
    }
    // Required: on every reference line of the kind that holds the path's element.
    const all = new Set(refLines.flatMap((p) => [...p.keys()]));
    for (const path of all) {
      const cond = condition(path);
      const holders = refLines.filter((p) => cond === "" || p.has(cond));
      if (!holders.every((p) => p.has(path))) continue;
      const refTypes = new Set(holders.map((p) => p.get(path)).filter((t) => t !== "null"));
      for (const p of ours.filter((p) => cond === "" || p.has(cond))) {
        if (ancestors(path).some((a) => p.has(a) && holders[0].has(a) && p.get(a) !== holders[0].get(a))) {
          continue; // its parent already differs in type
        }
        if (!p.has(path)) {
          if (!allowed(kind, path, "missing")) problems.add(`${kind}: strata lacks ${path} (the reference always writes it)`);
          continue;
        }
        const t = p.get(path);
        if (t !== "null" && refTypes.size && !refTypes.has(t) && !allowed(kind, path, "type")) {
          problems.add(`${kind}: ${path} is ${t} in strata, ${[...refTypes].join("/")} in the reference`);
        }
      }
    }
    // What strata adds, leaving out what lies under a path of another type (listed above).
    const extra = new Set(ours.flatMap((p) => [...p.keys()]).filter((k) => !all.has(k) && !ancestors(k).some((a) => all.has(a))));
    if (extra.size) notes.push(`${kind}: strata also writes ${[...extra].join(", ")}`);
  }
  for (const kind of strata.keys()) if (!ref.has(kind)) notes.push(`strata writes ${kind} lines the reference did not`);
}

// compareValues checks the SAME keys, kind by kind.
function compareValues(refLines, strataLines) {
  const get = (o, path) => path.split(".").reduce((v, k) => (v == null ? undefined : v[k]), o);
  for (const kind of new Set(refLines.map(kindOf))) {
    const refs = refLines.filter((l) => kindOf(l) === kind);
    const ours = strataLines.filter((l) => kindOf(l) === kind);
    for (const key of SAME[mode]) {
      const values = new Set(refs.map((l) => JSON.stringify(get(l, key))));
      if (values.size !== 1 || get(refs[0], key) === undefined) continue;
      const want = [...values][0];
      for (const l of ours) {
        const got = JSON.stringify(get(l, key));
        if (got !== want && !allowed(kind, key, "value")) problems.add(`${kind}: ${key} is ${got} in strata, ${want} in the reference`);
      }
    }
  }
}

// conversation is the order of the exchange: kinds, with the block types of each message
// (thinking left out: see ALLOWED), over the kinds both write.
function conversation(lines, kinds) {
  return lines.filter((l) => kinds.has(kindOf(l))).map((l) => {
    const c = l.message?.content;
    // A string is one text block (see ALLOWED).
    const blocks = Array.isArray(c) ? c.map((b) => b.type).filter((t) => t !== "thinking") : ["text"];
    return kindOf(l) + (l.message ? "(" + blocks.join(",") + ")" : "");
  });
}

// checkTranscript checks one transcript on its own: a parentUuid chain without holes, one
// session id (the file's name), one cwd (the folder's name), tool results after their calls,
// and ordered timestamps.
function checkTranscript(file, lines) {
  const sid = basename(file, ".jsonl");
  const seen = new Set();
  const toolUses = new Set();
  let lastTime = "";
  for (const [i, l] of lines.entries()) {
    const at = `${basename(file)}:${i + 1}`;
    if (l.sessionId !== undefined && l.sessionId !== sid) problems.add(`${at}: sessionId ${l.sessionId}, file ${sid}`);
    if (l.cwd !== undefined && l.cwd.replace(/[^a-zA-Z0-9]/g, "-") !== basename(dirname(file))) {
      problems.add(`${at}: cwd ${l.cwd} is not the project folder ${basename(dirname(file))}`);
    }
    if (l.uuid === undefined) continue;
    if (l.parentUuid !== null && !seen.has(l.parentUuid)) problems.add(`${at}: parentUuid ${l.parentUuid} names no earlier line`);
    seen.add(l.uuid);
    if (l.type !== "user" && l.type !== "assistant") continue;
    if (l.timestamp < lastTime) problems.add(`${at}: timestamp ${l.timestamp} before ${lastTime}`);
    lastTime = l.timestamp;
    for (const b of Array.isArray(l.message?.content) ? l.message.content : []) {
      if (b.type === "tool_use") toolUses.add(b.id);
      if (b.type === "tool_result" && !toolUses.has(b.tool_use_id)) problems.add(`${at}: tool_result for ${b.tool_use_id} before its call`);
    }
    if (l.sourceToolAssistantUUID !== undefined && !seen.has(l.sourceToolAssistantUUID)) {
      problems.add(`${at}: sourceToolAssistantUUID names no earlier line`);
    }
  }
}

const refRaw = read(refFile);
const strataRaw = read(strataFile);
if (mode === "transcript") {
  checkTranscript(refFile, refRaw);
  checkTranscript(strataFile, strataRaw);
}
const refLines = mergeSplit(refRaw);
const strataLines = mergeSplit(strataRaw);
const ref = byKind(refLines);
const strata = byKind(strataLines);
compareKinds(ref, strata);
compareValues(refLines, strataLines);
if (mode !== "json") {
  const both = new Set([...ref.keys()].filter((k) => strata.has(k)));
  const a = conversation(refLines, both).join(" → ");
  const b = conversation(strataLines, both).join(" → ");
  if (a !== b) problems.add(`the conversation differs:\n  reference: ${a}\n  strata:    ${b}`);
  if (mode === "stream-json") {
    for (const [name, lines] of [["reference", refLines], ["strata", strataLines]]) {
      if (kindOf(lines[0] ?? {}) !== "system:init") problems.add(`${name}: the first event is not system/init`);
      if (kindOf(lines.at(-1) ?? {}) !== "result:success") problems.add(`${name}: the last event is not a successful result`);
    }
  }
}
for (const n of notes) console.log(`compare ${mode}: note: ${n}`);
for (const a of ALLOWED.filter((a) => a[0] === mode && !allowedUsed.has(a))) {
  console.log(`compare ${mode}: note: allowed difference not seen this run: ${a[1]} ${a[2]} (${a[3]})`);
}
if (problems.size) {
  for (const p of problems) console.error(`compare ${mode}: ${p}`);
  process.exit(1);
}
console.log(`compare ${mode}: same kinds, keys and order (${allowedUsed.size} allowed differences)`);
