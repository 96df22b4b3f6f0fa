// README's JavaScript example, as written there, with the gateway's address and key from the environment.
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.TAAS_BASE_URL, apiKey: process.env.TAAS_KEY });
const reply = await client.chat.completions.create({ model: "gpt-4o", messages: [{ role: "user", content: "Hello" }] });
console.log(reply.choices[0].message.content);

let streamed = "";
const stream = await client.chat.completions.create({ model: "gpt-4o", stream: true,
                                                      messages: [{ role: "user", content: "Count to five" }] });
for await (const chunk of stream) {
  streamed += chunk.choices[0]?.delta?.content ?? "";
}
console.log(streamed);
