// ConsoleBrowserTest's client: the openai SDK, as an application would use it, with a session id header.
// One chat completion per model of TAAS_MODELS (a model ending in :stream is streamed); prints one
// {"check":"chat",...} line per call, failures included.
import OpenAI from "openai";

const client = new OpenAI({
  baseURL: process.env.TAAS_BASE_URL, apiKey: process.env.TAAS_KEY, maxRetries: 0, timeout: 20000,
  defaultHeaders: { "X-Session-Id": process.env.TAAS_SESSION },
});
for (const asked of (process.env.TAAS_MODELS || "gpt-4o").split(",")) {
  const stream = asked.endsWith(":stream");
  const model = stream ? asked.slice(0, -":stream".length) : asked;
  const messages = [{ role: "user", content: process.env.TAAS_PROMPT || "Hello from the console test" }];
  try {
    let text = "";
    if (stream) {
      for await (const chunk of await client.chat.completions.create({ model, messages, stream: true })) {
        text += chunk.choices[0]?.delta?.content ?? "";
      }
    } else {
      text = (await client.chat.completions.create({ model, messages })).choices[0].message.content;
    }
    console.log(JSON.stringify({ check: "chat", model: asked, status: 200, text }));
  } catch (e) {
    console.log(JSON.stringify({ check: "chat", model, status: e.status ?? -1, message: String(e.message) }));
  }
}
