"""boto3 with its defaults against bedrocksim: a streamed InvokeModel, CountTokens and
ListFoundationModels. Run by run.sh when python3 has boto3; BEDROCKSIM_URL names the emulator."""
import json
import os
import sys

import boto3

url = os.environ["BEDROCKSIM_URL"]
runtime = boto3.client("bedrock-runtime", region_name="us-east-1", endpoint_url=url)
control = boto3.client("bedrock", region_name="us-east-1", endpoint_url=url)
body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100,
        "messages": [{"role": "user", "content": "INTEROP-BOTO3 hello"}]}


def fail(msg):
    print("boto3: " + msg, file=sys.stderr)
    sys.exit(1)


out = runtime.invoke_model_with_response_stream(
    modelId="us.anthropic.claude-sonnet-4-5-20250929-v1:0", body=json.dumps(body))
text = ""
for ev in out["body"]:
    e = json.loads(ev["chunk"]["bytes"])
    if e["type"] == "content_block_delta" and e["delta"]["type"] == "text_delta":
        text += e["delta"]["text"]
if "INTEROP-BOTO3 hello" not in text:
    fail("streamed %r" % text)
print("boto3: streamed %r" % text)

count = runtime.count_tokens(modelId="anthropic.claude-sonnet-4-5-20250929-v1:0",
                             input={"invokeModel": {"body": json.dumps(body).encode()}})
if count["inputTokens"] <= 0:
    fail("CountTokens answered %r" % count)

ids = [m["modelId"] for m in control.list_foundation_models(byProvider="Anthropic")["modelSummaries"]]
if "anthropic.claude-haiku-4-5-20251001-v1:0" not in ids:
    fail("ListFoundationModels lacks Haiku 4.5: %r" % ids)
print("boto3: CountTokens %d, %d foundation models" % (count["inputTokens"], len(ids)))
