// LangChain JS against the gateway: ChatOpenAI (chat completions) and ChatAnthropic (messages), plain and streamed.
// env: TAAS_BASE_URL (…/v1), TAAS_ROOT_URL (the host root), TAAS_KEY, TAAS_OPENAI_MODEL, TAAS_ANTHROPIC_MODEL
import { ChatOpenAI } from "@langchain/openai";
import { ChatAnthropic } from "@langchain/anthropic";

const out = (name, value) => console.log(JSON.stringify({ check: name, ...value }));

const gpt = new ChatOpenAI({ model: process.env.TAAS_OPENAI_MODEL, apiKey: process.env.TAAS_KEY,
                             configuration: { baseURL: process.env.TAAS_BASE_URL } });
out("openai", { text: (await gpt.invoke([["system", "Be brief"], ["human", "Hello"]])).content });
let streamed = "";
for await (const chunk of await gpt.stream("Count to three")) {
  streamed += chunk.content;
}
out("openai-stream", { text: streamed });

const claude = new ChatAnthropic({ model: process.env.TAAS_ANTHROPIC_MODEL, apiKey: process.env.TAAS_KEY,
                                   anthropicApiUrl: process.env.TAAS_ROOT_URL });
out("anthropic", { text: (await claude.invoke([["system", "Be brief"], ["human", "Hello"]])).content });
let streamedClaude = "";
for await (const chunk of await claude.stream("Count to three")) {
  streamedClaude += typeof chunk.content === "string" ? chunk.content : "";
}
out("anthropic-stream", { text: streamedClaude });
