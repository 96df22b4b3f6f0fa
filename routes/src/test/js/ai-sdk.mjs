// The Vercel AI SDK against the gateway, as an application would use it. Prints one JSON line per check.
// env: TAAS_BASE_URL (…/v1), TAAS_KEY, TAAS_RESPONSES_MODEL (a model the gateway translates), TAAS_ANTHROPIC_MODEL
import { generateText, streamText } from "ai";
import { createOpenAI } from "@ai-sdk/openai";
import { createAnthropic } from "@ai-sdk/anthropic";

const baseURL = process.env.TAAS_BASE_URL;
const apiKey = process.env.TAAS_KEY;
const out = (name, value) => console.log(JSON.stringify({ check: name, ...value }));

// the default openai(model) provider: the Responses API with store on; the second turn sends item_reference items
// a recording fetch (the SDK's own option) shows what the SDK sent
const sent = [];
const recording = async (url, init) => { sent.push(String(init?.body ?? "")); return fetch(url, init); };
const openai = createOpenAI({ baseURL, apiKey, fetch: recording });
const model = openai(process.env.TAAS_RESPONSES_MODEL);
const first = await generateText({ model, prompt: "Remember the word camel" });
out("responses-turn-1", { text: first.text, id: first.response.id });
const second = await generateText({
  model,
  messages: [...[{ role: "user", content: "Remember the word camel" }], ...first.response.messages,
             { role: "user", content: "Which word?" }],
});
out("responses-turn-2", { text: second.text, id: second.response.id, sent: JSON.parse(sent[1]) });

// streamed, then continued with previousResponseId
const streamed = streamText({ model, prompt: "Count to three" });
let text = "";
for await (const delta of streamed.textStream) {
  text += delta;
}
const streamedId = (await streamed.response).id;
out("responses-stream", { text, id: streamedId });
const continued = await generateText({ model, prompt: "And then?",
  providerOptions: { openai: { previousResponseId: streamedId } } });
out("responses-previous-id", { text: continued.text, id: continued.response.id, sent: JSON.parse(sent[3]) });
const stored = await (await fetch(`${baseURL}/responses/${streamedId}`, { headers: { Authorization: `Bearer ${apiKey}` } })).json();
out("responses-get", { stored });

// the Anthropic provider asks the model's maximum output when the caller sets none
const anthropic = createAnthropic({ baseURL, apiKey });
const claude = await generateText({ model: anthropic(process.env.TAAS_ANTHROPIC_MODEL), prompt: "Hello Claude" });
out("anthropic", { text: claude.text });
