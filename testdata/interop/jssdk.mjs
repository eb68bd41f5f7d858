// The AWS SDK for JavaScript v3 with its default request handler (HTTP/2: h2c with prior
// knowledge over plain HTTP) against bedrocksim. Run by sim.sh with NODE_PATH set to the
// cache folder; BEDROCKSIM_URL names the emulator. Exits non-zero on any failure.
import { BedrockRuntimeClient, InvokeModelWithResponseStreamCommand, CountTokensCommand } from "@aws-sdk/client-bedrock-runtime";

const endpoint = process.env.BEDROCKSIM_URL;
const client = new BedrockRuntimeClient({ region: "us-east-1", endpoint });
const model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const body = {
  anthropic_version: "bedrock-2023-05-31",
  max_tokens: 200,
  messages: [{ role: "user", content: "INTEROP-JS streaming hello" }],
};

function fail(msg) {
  console.error("jssdk: " + msg);
  process.exit(1);
}

const out = await client.send(new InvokeModelWithResponseStreamCommand({
  modelId: model, contentType: "application/json", accept: "application/json", body: JSON.stringify(body),
}));
let text = "", types = [];
for await (const ev of out.body) {
  if (!ev.chunk) fail("unexpected stream member " + JSON.stringify(Object.keys(ev)));
  const e = JSON.parse(new TextDecoder().decode(ev.chunk.bytes));
  types.push(e.type);
  if (e.type === "content_block_delta" && e.delta.type === "text_delta") text += e.delta.text;
}
if (!text.includes("INTEROP-JS streaming hello")) fail("streamed text was " + JSON.stringify(text));
if (types[0] !== "message_start" || types[types.length - 1] !== "message_stop") fail("event order " + types.join(","));
console.log("jssdk: InvokeModelWithResponseStream streamed " + JSON.stringify(text));

const count = await client.send(new CountTokensCommand({
  modelId: "anthropic.claude-sonnet-4-5-20250929-v1:0",
  input: { invokeModel: { body: new TextEncoder().encode(JSON.stringify(body)) } },
}));
if (!(count.inputTokens > 0)) fail("CountTokens answered " + JSON.stringify(count));
console.log("jssdk: CountTokens " + count.inputTokens);

// A request Bedrock refuses must fail here too, with Bedrock's exception.
try {
  await client.send(new InvokeModelWithResponseStreamCommand({
    modelId: model, body: JSON.stringify({ ...body, temperature: 1.5 }),
  }));
  fail("temperature 1.5 was accepted");
} catch (e) {
  if (e.name !== "ValidationException") fail("temperature 1.5: " + e.name + ": " + e.message);
  console.log("jssdk: temperature 1.5 refused: " + e.message);
}
client.destroy();
