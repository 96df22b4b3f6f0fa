package org.cameltaas.component.provider.anthropic;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * OpenAI message content (a string or an array of parts) as Anthropic content blocks. Parts with no Anthropic
 * counterpart are refused rather than dropped, so a caller never gets an answer to a question it did not ask.
 */
final class ContentBlocks {

    private ContentBlocks() {
    }

    /**
     * The blocks of one message's content. Empty text is left out: Anthropic rejects empty text blocks.
     *
     * @param where names the message in error messages, e.g. {@code messages[2]}
     */
    static List<ObjectNode> of(JsonNode content, String where) {
        List<ObjectNode> blocks = new ArrayList<>();
        if (content == null || content.isNull()) {
            return blocks;
        }
        if (content.isTextual()) {
            addText(blocks, content.asText(), null);
            return blocks;
        }
        if (!content.isArray()) {
            throw refuse("invalid_content", where + ".content must be a string or an array of content parts");
        }
        for (int i = 0; i < content.size(); i++) {
            JsonNode part = content.get(i);
            String partWhere = where + ".content[" + i + "]";
            String type = Json.textOf(part, "type");
            switch (type == null ? "" : type) {
                case "text" -> addText(blocks, Json.textOf(part, "text"), part.get("cache_control"));
                case "refusal" -> addText(blocks, Json.textOf(part, "refusal"), null); // an earlier answer's refusal
                case "image_url" -> blocks.add(withCacheControl(image(part.get("image_url"), partWhere), part));
                case "file" -> blocks.add(withCacheControl(document(part.path("file"), partWhere), part));
                case "input_audio" -> throw refuse("audio_not_supported_by_model", partWhere
                        + " is an input_audio part; Anthropic models take no audio input");
                default -> throw refuse("unsupported_content_part",
                        partWhere + " has content part type '" + type + "', which Anthropic has no counterpart for");
            }
        }
        return blocks;
    }

    /** Only text blocks: system prompts take nothing else. */
    static List<ObjectNode> textOnly(JsonNode content, String where) {
        List<ObjectNode> blocks = of(content, where);
        for (ObjectNode block : blocks) {
            if (!"text".equals(Json.textOf(block, "type"))) {
                throw refuse("unsupported_content_part", where + " may only hold text for Anthropic, which has no "
                        + Json.textOf(block, "type") + " blocks in its system prompt");
            }
        }
        return blocks;
    }

    static ObjectNode text(String text) {
        return Json.object().put("type", "text").put("text", text);
    }

    private static void addText(List<ObjectNode> blocks, String text, JsonNode cacheControl) {
        if (text == null || text.isEmpty()) {
            return;
        }
        ObjectNode block = text(text);
        if (cacheControl != null && !cacheControl.isNull()) {
            block.set("cache_control", cacheControl.deepCopy());
        }
        blocks.add(block);
    }

    /** {@code image_url} is an object with a {@code url} (OpenAI's shape) or, from lenient clients, the URL itself. */
    private static ObjectNode image(JsonNode imageUrl, String where) {
        String url = imageUrl != null && imageUrl.isTextual() ? imageUrl.asText() : Json.textOf(imageUrl, "url");
        if (url == null) {
            throw refuse("invalid_image_url", where + ".image_url.url is required");
        }
        ObjectNode block = Json.object().put("type", "image");
        block.set("source", source(url, where + ".image_url.url"));
        return block;
    }

    /** A file part with inline data becomes a document; an OpenAI file id means nothing to Anthropic. */
    private static ObjectNode document(JsonNode file, String where) {
        String data = Json.textOf(file, "file_data");
        if (data == null) {
            throw refuse("unsupported_file", where + " needs file.file_data (a data: URL); OpenAI file ids cannot be "
                    + "sent to Anthropic");
        }
        ObjectNode block = Json.object().put("type", "document");
        block.set("source", source(data, where + ".file.file_data"));
        String filename = Json.textOf(file, "filename");
        if (filename != null) {
            block.put("title", filename);
        }
        return block;
    }

    /** A base64 source for a {@code data:} URL, a url source for http(s). */
    private static ObjectNode source(String url, String where) {
        ObjectNode source = Json.object();
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String header = comma < 0 ? "" : url.substring("data:".length(), comma);
            if (!header.endsWith(";base64")) {
                throw refuse("invalid_data_url", where + " must be a base64 data: URL (data:<media type>;base64,...)");
            }
            int semicolon = header.indexOf(';');
            source.put("type", "base64");
            source.put("media_type", header.substring(0, semicolon));
            source.put("data", url.substring(comma + 1));
            return source;
        }
        String lower = url.toLowerCase();
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            source.put("type", "url");
            source.put("url", url);
            return source;
        }
        throw refuse("invalid_image_url", where + " must be an http(s) URL or a base64 data: URL");
    }

    private static ObjectNode withCacheControl(ObjectNode block, JsonNode part) {
        JsonNode cacheControl = part.get("cache_control");
        if (cacheControl != null && !cacheControl.isNull()) {
            block.set("cache_control", cacheControl.deepCopy());
        }
        return block;
    }
}
