// ConsoleBrowserTest's client: the openai SDK, as an application would use it, with a session id header.
// One chat completion per model of TAAS_MODELS; prints one {"check":"chat",...} line per call, failures included.
import OpenAI from "openai";

const client = new OpenAI({
  baseURL: process.env.TAAS_BASE_URL, apiKey: process.env.TAAS_KEY, maxRetries: 0, timeout: 20000,
  defaultHeaders: { "X-Session-Id": process.env.TAAS_SESSION },
});
for (const model of (process.env.TAAS_MODELS || "gpt-4o").split(",")) {
  try {
    const reply = await client.chat.completions.create({ model, messages: [{ role: "user", content: "Hello from the console test" }] });
    console.log(JSON.stringify({ check: "chat", model, status: 200, text: reply.choices[0].message.content }));
  } catch (e) {
    console.log(JSON.stringify({ check: "chat", model, status: e.status ?? -1, message: String(e.message) }));
  }
}
