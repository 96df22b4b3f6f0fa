package org.cameltaas.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Amazon Bedrock's Converse API: {@code POST /model/<id>/converse} answers a Converse reply,
 * {@code /converse-stream} the same turn as AWS event-stream messages ({@code messageStart},
 * {@code contentBlockStart}/{@code Delta}/{@code Stop}, {@code messageStop}, {@code metadata}), each with the
 * random {@code p} padding field Bedrock adds and the prelude and message CRC32s.
 */
final class BedrockReplies {

    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

    private BedrockReplies() {
    }

    static boolean isConverse(String path) {
        return path.startsWith("/model/") && (path.endsWith("/converse") || path.endsWith("/converse-stream"));
    }

    static Reply reply(ReplyContext ctx) {
        JsonNode body = ctx.json();
        if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
            return Reply.json(400, Json.object().put("message", "1 validation error detected: Value at 'messages' failed to satisfy constraint"))
                    .header("x-amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/");
        }
        Completion completion = ctx.completion(lastUserText(body));
        Reply reply = ctx.request().path().endsWith("/converse-stream") ? stream(ctx, completion) : whole(ctx, completion);
        return reply.header("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
    }

    private static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                for (JsonNode block : message.path("content")) {
                    if (block.has("text")) {
                        text = block.get("text").asText();
                    }
                }
            }
        }
        return text;
    }

    private static Reply whole(ReplyContext ctx, Completion completion) {
        ObjectNode reply = Json.object();
        ObjectNode message = reply.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (completion.hasText()) {
            content.addObject().put("text", completion.text());
        }
        for (ScriptedToolCall call : completion.toolCalls()) {
            ObjectNode use = content.addObject().putObject("toolUse");
            use.put("toolUseId", ctx.id("tooluse_"));
            use.put("name", call.name());
            use.set("input", Json.parseLenient(call.argumentsJson()));
        }
        reply.put("stopReason", completion.hasToolCalls() ? "tool_use" : "end_turn");
        reply.set("usage", usage(completion));
        reply.putObject("metrics").put("latencyMs", 12);
        return Reply.json(200, reply);
    }

    private static Reply stream(ReplyContext ctx, Completion completion) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        event(out, "messageStart", Json.object().put("role", "assistant"));
        int block = 0;
        if (completion.hasText()) {
            for (String piece : completion.textPieces()) {
                ObjectNode delta = Json.object().put("contentBlockIndex", block);
                delta.putObject("delta").put("text", piece);
                event(out, "contentBlockDelta", delta);
            }
            event(out, "contentBlockStop", Json.object().put("contentBlockIndex", block));
            block++;
        }
        for (ScriptedToolCall call : completion.toolCalls()) {
            ObjectNode start = Json.object().put("contentBlockIndex", block);
            start.putObject("start").putObject("toolUse").put("toolUseId", ctx.id("tooluse_")).put("name", call.name());
            event(out, "contentBlockStart", start);
            for (String piece : call.argumentPieces()) {
                ObjectNode delta = Json.object().put("contentBlockIndex", block);
                delta.putObject("delta").putObject("toolUse").put("input", piece);
                event(out, "contentBlockDelta", delta);
            }
            event(out, "contentBlockStop", Json.object().put("contentBlockIndex", block));
            block++;
        }
        event(out, "messageStop", Json.object().put("stopReason", completion.hasToolCalls() ? "tool_use" : "end_turn"));
        ObjectNode metadata = Json.object();
        metadata.set("usage", usage(completion));
        metadata.putObject("metrics").put("latencyMs", 12);
        event(out, "metadata", metadata);
        return Reply.bytes(200, EVENT_STREAM, out.toByteArray());
    }

    private static ObjectNode usage(Completion completion) {
        return Json.object().put("inputTokens", completion.promptTokens()).put("outputTokens", completion.completionTokens())
                .put("totalTokens", completion.promptTokens() + completion.completionTokens());
    }

    private static void event(ByteArrayOutputStream out, String type, ObjectNode payload) {
        payload.put("p", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ".substring(0, 1 + Math.abs(type.hashCode()) % 30));
        byte[] frame = frame(Map.of(":event-type", type, ":content-type", "application/json", ":message-type", "event"),
                Json.bytes(payload));
        out.write(frame, 0, frame.length);
    }

    /** One event-stream message: prelude, its CRC, string headers, payload, the message's CRC. */
    static byte[] frame(Map<String, String> headers, byte[] payload) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (Map.Entry<String, String> header : new java.util.TreeMap<>(headers).entrySet()) {
            byte[] name = header.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = header.getValue().getBytes(StandardCharsets.UTF_8);
            head.write(name.length);
            head.write(name, 0, name.length);
            head.write(7);
            head.write(value.length >> 8);
            head.write(value.length & 0xff);
            head.write(value, 0, value.length);
        }
        byte[] headerBytes = head.toByteArray();
        int total = 16 + headerBytes.length + payload.length;
        ByteBuffer frame = ByteBuffer.allocate(total);
        frame.putInt(total).putInt(headerBytes.length);
        frame.putInt(crc(frame.array(), 0, 8));
        frame.put(headerBytes).put(payload);
        frame.putInt(crc(frame.array(), 0, total - 4));
        return frame.array();
    }

    private static int crc(byte[] bytes, int from, int count) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, count);
        return (int) crc.getValue();
    }
}
