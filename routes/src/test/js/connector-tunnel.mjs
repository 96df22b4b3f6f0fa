// The openai npm client against a registered deployment served through a connector (ConnectorTunnelTest).
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.TAAS_BASE_URL, apiKey: process.env.TAAS_KEY, maxRetries: 0, timeout: 20000 });
const model = process.env.TAAS_MODEL;
const reply = await client.chat.completions.create({ model, messages: [{ role: "user", content: "node through the tunnel" }] });
console.log(JSON.stringify({ check: "chat", content: reply.choices[0].message.content }));

let streamed = "";
const stream = await client.chat.completions.create({ model, stream: true,
                                                      messages: [{ role: "user", content: "node streams" }] });
for await (const chunk of stream) {
  streamed += chunk.choices[0]?.delta?.content ?? "";
}
console.log(JSON.stringify({ check: "stream", content: streamed }));

try {
  await client.chat.completions.create({ model: process.env.TAAS_OFFLINE_MODEL, messages: [{ role: "user", content: "x" }] });
  console.log(JSON.stringify({ check: "offline", status: 200 }));
} catch (e) {
  console.log(JSON.stringify({ check: "offline", status: e.status, code: e.code ?? e.error?.code }));
}
