// The openai npm SDK's files calls against the gateway, unmodified: create (a read stream), list, retrieve, content, delete.
import fs from "node:fs";
import OpenAI from "openai";

const client = new OpenAI({ baseURL: process.env.TAAS_BASE_URL, apiKey: process.env.TAAS_KEY, maxRetries: 0, timeout: 60000 });
const check = (name, value) => console.log(JSON.stringify({ check: name, ...value }));

const created = await client.files.create({ file: fs.createReadStream(process.env.TAAS_UPLOAD), purpose: "user_data" });
check("create", { file: created });
const listed = [];
for await (const file of client.files.list({ purpose: "user_data" })) {
  listed.push(file.id);
}
check("list", { ids: listed });
check("retrieve", { file: await client.files.retrieve(created.id) });
const content = await client.files.content(created.id);
const bytes = Buffer.from(await content.arrayBuffer());
check("content", { length: bytes.length, sha256: (await import("node:crypto")).createHash("sha256").update(bytes).digest("hex"),
                   type: content.headers.get("content-type") });
check("delete", { deleted: await client.files.delete(created.id) });
try {
  await client.files.retrieve(created.id);
  check("gone", { status: 200 });
} catch (e) {
  check("gone", { status: e.status, code: e.code, message: e.message });
}
