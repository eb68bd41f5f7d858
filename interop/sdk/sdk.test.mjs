// Drives the built strata through the official Claude Agent SDK against bedrocksim, as an
// SDK user would (pathToClaudeCodeExecutable). Run by `make interop-sdk`, which installs the
// SDK version paired with the CLI strata follows and sets STRATA_BIN, BEDROCKSIM_BIN, SDK_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { STRATA_BIN, BEDROCKSIM_BIN, SDK_DIR } = process.env;
const sdk = await import(pathToFileURL(join(SDK_DIR, 'node_modules/@anthropic-ai/claude-agent-sdk/sdk.mjs')).href);
const { z } = await import(pathToFileURL(join(SDK_DIR, 'node_modules/zod/index.js')).href);

const KEY = 'AKIASTRATATEST000001', SECRET = 'strata-test-secret-key-0123456789';
const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
let sim, simURL, logFile, home;

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'strata-sdk-'));
  logFile = join(home, 'sim.log');
  sim = spawn(BEDROCKSIM_BIN, ['--key', `${KEY}:${SECRET}`, '--log', logFile, '--script', join(here, 'model.json')],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  simURL = await new Promise((resolve, reject) => {
    let buf = '';
    sim.stdout.on('data', (d) => { buf += d; const i = buf.indexOf('\n'); if (i >= 0) resolve(buf.slice(0, i).trim()); });
    sim.on('exit', (code) => reject(new Error(`bedrocksim exited ${code}`)));
  });
});

after(() => sim?.kill());

// A fresh working directory per case; the environment a user of Bedrock would have, with
// fake keys and no instance metadata.
function options(extra = {}) {
  const cwd = mkdtempSync(join(home, 'w-'));
  const empty = join(home, 'empty');
  writeFileSync(empty, '');
  return {
    cwd,
    pathToClaudeCodeExecutable: STRATA_BIN,
    model: MODEL,
    settingSources: [],
    env: {
      PATH: process.env.PATH, HOME: home, CLAUDE_CODE_USE_BEDROCK: '1', AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, ANTHROPIC_BEDROCK_BASE_URL: simURL,
    },
    stderr: (s) => { if (process.env.STRATA_DEBUG) process.stderr.write(s); },
    ...extra,
  };
}

async function collect(q) {
  const msgs = [];
  for await (const m of q) msgs.push(m);
  return msgs;
}

const resultOf = (msgs) => msgs.filter((m) => m.type === 'result').at(-1);

function simRequests() {
  return readFileSync(logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
}

test('plain query with a custom system prompt that reaches the request', async () => {
  const msgs = await collect(sdk.query({ prompt: 'case-plain hello there',
    options: options({ systemPrompt: 'SYSTEM-MARKER-7731 you answer briefly' }) }));
  const init = msgs.find((m) => m.type === 'system' && m.subtype === 'init');
  assert.ok(init, 'a system/init message');
  assert.ok(init.tools.includes('Bash'));
  const res = resultOf(msgs);
  assert.equal(res.subtype, 'success');
  assert.equal(res.result, 'PLAIN-DONE');
  for (const m of msgs) assert.ok(m.uuid, `${m.type} has a uuid`);
  const req = simRequests().filter((r) => JSON.stringify(r).includes('case-plain')).at(-1);
  assert.ok(JSON.stringify(req).includes('SYSTEM-MARKER-7731'), 'the system prompt reaches Bedrock');
});

test('canUseTool allows a Bash call', async () => {
  const seen = [];
  const opts = options({
    canUseTool: async (name, input, { toolUseID, suggestions }) => {
      seen.push({ name, input, toolUseID, suggestions });
      return { behavior: 'allow', updatedInput: input };
    },
  });
  const msgs = await collect(sdk.query({ prompt: 'case-allow please', options: opts }));
  assert.equal(seen.length, 1);
  assert.equal(seen[0].name, 'Bash');
  assert.match(seen[0].toolUseID, /^toolu_/);
  assert.ok(Array.isArray(seen[0].suggestions), 'permission suggestions reach canUseTool');
  assert.ok(existsSync(join(opts.cwd, 'allow.txt')), 'the allowed command ran');
  const toolResult = msgs.find((m) => m.type === 'user' && m.tool_use_result !== undefined);
  assert.ok(toolResult.timestamp);
  assert.equal(resultOf(msgs).result, 'ALLOW-DONE: the command ran.');
});

test('canUseTool allow with updatedPermissions adds a session rule', async () => {
  // printf, not echo: echo is read-only and runs without asking at all.
  const asked = [];
  const opts = options({
    canUseTool: async (name, input) => {
      asked.push(input.command);
      return { behavior: 'allow', updatedInput: input,
        updatedPermissions: [{ type: 'addRules', rules: [{ toolName: 'Bash', ruleContent: 'printf:*' }], behavior: 'allow', destination: 'session' }] };
    },
  });
  const msgs = await collect(sdk.query({ prompt: 'case-rules say two things', options: opts }));
  assert.deepEqual(asked, ['printf rule-one'], 'the rule the first answer added allows the second call');
  assert.equal(resultOf(msgs).result, 'RULES-DONE');
});

test('includeHookEvents reports a settings hook starting and ending', async () => {
  const opts = options({ includeHookEvents: true,
    settings: JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'echo hook-said-hi' }] }] } }),
    canUseTool: async (name, input) => ({ behavior: 'allow', updatedInput: input }) });
  const msgs = await collect(sdk.query({ prompt: 'case-allow please', options: opts }));
  const started = msgs.find((m) => m.type === 'system' && m.subtype === 'hook_started');
  const done = msgs.find((m) => m.type === 'system' && m.subtype === 'hook_response');
  assert.ok(started && done, 'hook_started and hook_response');
  assert.equal(started.hook_name, 'PreToolUse:Bash');
  assert.equal(done.hook_id, started.hook_id);
  assert.equal(done.outcome, 'success');
  assert.equal(done.exit_code, 0);
  assert.equal(done.stdout.trim(), 'hook-said-hi');
  assert.equal(resultOf(msgs).result, 'ALLOW-DONE: the command ran.');
});

test('canUseTool denies a Bash call', async () => {
  const opts = options({ canUseTool: async () => ({ behavior: 'deny', message: 'DENIED-BY-SDK' }) });
  const msgs = await collect(sdk.query({ prompt: 'case-deny please', options: opts }));
  assert.ok(!existsSync(join(opts.cwd, 'deny.txt')), 'the denied command did not run');
  const res = resultOf(msgs);
  assert.equal(res.result, 'DENY-DONE: not run.');
  assert.equal(res.permission_denials.length, 1);
  assert.equal(res.permission_denials[0].tool_name, 'Bash');
});

test('a PreToolUse hook callback refuses a call', async () => {
  const calls = [];
  const hook = async (input, toolUseID) => {
    calls.push({ input, toolUseID });
    return { hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'HOOK-DENIED' } };
  };
  const opts = options({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [hook] }] },
    canUseTool: async () => { throw new Error('canUseTool must not be asked after a hook denied'); } });
  const msgs = await collect(sdk.query({ prompt: 'case-hook please', options: opts }));
  assert.equal(calls.length, 1);
  assert.equal(calls[0].input.hook_event_name, 'PreToolUse');
  assert.equal(calls[0].input.tool_name, 'Bash');
  assert.ok(!existsSync(join(opts.cwd, 'hook.txt')));
  assert.equal(resultOf(msgs).result, 'HOOK-DONE: the hook refused.');
});

// A prompt stream the test feeds as the conversation goes.
function promptQueue() {
  const items = [], waiters = [];
  let done = false;
  return {
    push(text) {
      const m = { type: 'user', message: { role: 'user', content: text }, parent_tool_use_id: null, session_id: '' };
      if (waiters.length) waiters.shift()({ value: m, done: false }); else items.push(m);
    },
    end() { done = true; while (waiters.length) waiters.shift()({ value: undefined, done: true }); },
    [Symbol.asyncIterator]() {
      return { next: () => items.length ? Promise.resolve({ value: items.shift(), done: false })
        : done ? Promise.resolve({ value: undefined, done: true }) : new Promise((r) => waiters.push(r)) };
    },
  };
}

test('interrupt during a long Bash call, then a follow-up turn', async () => {
  const prompts = promptQueue();
  prompts.push('case-interrupt run something long');
  const q = sdk.query({ prompt: prompts, options: options({ permissionMode: 'bypassPermissions',
    allowDangerouslySkipPermissions: true, env: { ...options().env, IS_SANDBOX: '1' } }) });
  const results = [];
  const started = Date.now();
  for await (const m of q) {
    if (m.type === 'assistant' && m.message.content.some((b) => b.type === 'tool_use')) {
      setTimeout(() => q.interrupt(), 500);
    }
    if (m.type === 'result') {
      results.push(m);
      if (results.length === 1) prompts.push('followup after stop');
      else prompts.end();
    }
  }
  assert.ok(Date.now() - started < 20000, 'the sleep was stopped, not waited out');
  assert.equal(results[0].subtype, 'error_during_execution');
  assert.ok(Array.isArray(results[0].errors));
  assert.equal(results[1].subtype, 'success');
  assert.equal(results[1].result, 'FOLLOWUP-DONE');
});

test('resume by session ID', async () => {
  const opts = options(); // sessions belong to their directory, as in the reference
  const first = await collect(sdk.query({ prompt: 'case-resume-first remember a word', options: opts }));
  const id = resultOf(first).session_id;
  const second = await collect(sdk.query({ prompt: 'case-resume-second what was it?', options: { ...opts, resume: id } }));
  const res = resultOf(second);
  assert.equal(res.session_id, id);
  assert.equal(res.result, 'RESUMED-DONE');
  const req = simRequests().filter((r) => JSON.stringify(r).includes('case-resume-second')).at(-1);
  assert.ok(JSON.stringify(req).includes('REMEMBERED-WORD'), 'the earlier turn is in the request');
});

test('resumeSessionAt resumes up to an assistant message', async () => {
  const opts = options();
  const first = await collect(sdk.query({ prompt: 'case-resume-first remember a word', options: opts }));
  const id = resultOf(first).session_id;
  const at = first.find((m) => m.type === 'assistant').uuid;
  await collect(sdk.query({ prompt: 'case-resume-second what was it?', options: { ...opts, resume: id } }));
  const third = await collect(sdk.query({ prompt: 'case-resumeat again', options: { ...opts, resume: id, resumeSessionAt: at } }));
  assert.equal(resultOf(third).result, 'RESUMEAT-DONE');
  const req = JSON.stringify(simRequests().filter((r) => JSON.stringify(r).includes('case-resumeat')).at(-1));
  assert.ok(req.includes('REMEMBERED-WORD'), 'the conversation up to the message is there');
  assert.ok(!req.includes('case-resume-second'), 'what came after the message is not');
});

test('maxTurns: 1 ends with an error result the SDK reports', async () => {
  const msgs = [];
  await assert.rejects(async () => {
    for await (const m of sdk.query({ prompt: 'case-maxturns go', options: options({ maxTurns: 1,
      permissionMode: 'acceptEdits' }) })) msgs.push(m);
  }, /Reached maximum number of turns/);
  const res = resultOf(msgs);
  assert.equal(res.subtype, 'error_max_turns');
  assert.deepEqual(res.errors, ['Reached maximum number of turns (1)']);
});

test('setPermissionMode, setModel, setMaxThinkingTokens and mcpServerStatus', async () => {
  const prompts = promptQueue();
  const q = sdk.query({ prompt: prompts, options: options() });
  await q.setPermissionMode('acceptEdits');
  await q.setModel('us.anthropic.claude-haiku-4-5-20251001-v1:0');
  await q.setMaxThinkingTokens(2048);
  const status = await q.mcpServerStatus();
  assert.deepEqual(status, []);
  prompts.push('case-control go');
  let init, res, modeStatus;
  for await (const m of q) {
    if (m.type === 'system' && m.subtype === 'init') init = m;
    if (m.type === 'system' && m.subtype === 'status') modeStatus = m;
    if (m.type === 'result') { res = m; prompts.end(); }
  }
  assert.equal(init.permissionMode, 'acceptEdits');
  assert.equal(modeStatus?.permissionMode, 'acceptEdits', 'a status message tells of the new mode');
  assert.equal(init.model, 'us.anthropic.claude-haiku-4-5-20251001-v1:0');
  assert.equal(res.result, 'CONTROL-DONE');
  const req = simRequests().filter((r) => JSON.stringify(r).includes('case-control')).at(-1);
  assert.match(JSON.stringify(req), /"budget_tokens":2048/, 'set_max_thinking_tokens reaches the request');
});

test('structured output with a JSON schema', async () => {
  const schema = { type: 'object', properties: { answer: { type: 'number' }, unit: { type: 'string' } }, required: ['answer'] };
  const msgs = await collect(sdk.query({ prompt: 'case-schema how many?',
    options: options({ outputFormat: { type: 'json_schema', schema } }) }));
  const res = resultOf(msgs);
  assert.equal(res.subtype, 'success');
  assert.deepEqual(res.structured_output, { answer: 42, unit: 'widgets' });
});

// An in-process server (createSdkMcpServer): strata is its MCP client through mcp_message
// control requests.
function calcServer(calls) {
  return sdk.createSdkMcpServer({ name: 'calc', version: '1.2.3', tools: [
    sdk.tool('add', 'adds two numbers', { a: z.number(), b: z.number() }, async ({ a, b }) => {
      calls.push([a, b]);
      return { content: [{ type: 'text', text: `sum=${a + b}` }] };
    }, { annotations: { readOnlyHint: true } }),
  ] });
}

test('an in-process SDK MCP tool the model calls under an allow rule', async () => {
  const calls = [];
  const msgs = await collect(sdk.query({ prompt: 'case-sdkmcp add two and three',
    options: options({ mcpServers: { calc: calcServer(calls) }, allowedTools: ['mcp__calc__add'] }) }));
  const init = msgs.find((m) => m.type === 'system' && m.subtype === 'init');
  assert.deepEqual(init.mcp_servers, [{ name: 'calc', status: 'connected' }]);
  assert.ok(init.tools.includes('mcp__calc__add'), 'the SDK tool is offered to the model');
  assert.deepEqual(calls, [[2, 3]]);
  const toolResult = msgs.find((m) => m.type === 'user' && m.tool_use_result !== undefined);
  assert.ok(JSON.stringify(toolResult.message.content).includes('sum=5'));
  assert.equal(resultOf(msgs).result, 'SDKMCP-DONE');
  const req = simRequests().filter((r) => JSON.stringify(r).includes('case-sdkmcp')).at(-1);
  assert.ok(JSON.stringify(req).includes('sum=5'), 'the tool result reaches the next request');
});

test('mcpServerStatus lists SDK and --mcp-config servers', async () => {
  const prompts = promptQueue();
  const q = sdk.query({ prompt: prompts, options: options({ mcpServers: {
    calc: calcServer([]),
    loud: { type: 'stdio', command: 'node', args: [join(here, 'stdio-server.mjs')], env: { SDK_DIR } },
  } }) });
  prompts.push('case-control go');
  let status;
  for await (const m of q) {
    if (m.type === 'system' && m.subtype === 'init') status = await q.mcpServerStatus();
    if (m.type === 'result') prompts.end();
  }
  const byName = Object.fromEntries(status.map((s) => [s.name, s]));
  assert.equal(byName.calc.status, 'connected');
  assert.deepEqual(byName.calc.serverInfo, { name: 'calc', version: '1.2.3' });
  assert.deepEqual(byName.calc.tools.map((t) => t.name), ['add']);
  assert.equal(byName.calc.config.type, 'sdk');
  assert.equal(byName.loud.status, 'connected', byName.loud.error);
  assert.equal(byName.loud.config.command, 'node');
  assert.deepEqual(byName.loud.tools, [{ name: 'shout', description: 'says the text in capitals', annotations: { readOnly: true } }]);
});

test('agents defined in the SDK, one of them the main session (agent)', async () => {
  const prompts = promptQueue();
  const q = sdk.query({ prompt: prompts, options: options({ agent: 'reviewer', agents: {
    reviewer: { description: 'reviews a change', prompt: 'AGENT-PROMPT-5521 you review changes', model: 'inherit' },
  } }) });
  const agents = await q.supportedAgents();
  assert.ok(agents.some((a) => a.name === 'reviewer' && a.description === 'reviews a change'), JSON.stringify(agents));
  prompts.push('case-agent hello');
  let res;
  for await (const m of q) if (m.type === 'result') { res = m; prompts.end(); }
  assert.equal(res.result, 'AGENT-DONE');
  const req = simRequests().filter((r) => JSON.stringify(r).includes('case-agent')).at(-1);
  assert.ok(JSON.stringify(req).includes('AGENT-PROMPT-5521'), 'the prompt of the agent is the system prompt');
});
