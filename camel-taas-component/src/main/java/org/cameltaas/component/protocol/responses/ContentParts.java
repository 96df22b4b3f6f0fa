package org.cameltaas.component.protocol.responses;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.FILE_NOT_SUPPORTED;
import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.ITEM_NOT_SUPPORTED;
import static org.cameltaas.component.protocol.Refusals.refuse;

/**
 * The content of a Responses message (a string or a list of parts) as chat message content. Text-only content
 * becomes one string, which every chat upstream accepts; only a user message with several parts or an image keeps
 * the list form ({@code text} and {@code image_url} parts).
 */
final class ContentParts {

    /** Parts are separate paragraphs to the client; run together they could merge words. */
    private static final String PARAGRAPH = "\n\n";

    private ContentParts() {
    }

    static JsonNode toChat(JsonNode content, String role, String where) {
        if (content == null || content.isNull()) {
            return TextNode.valueOf("");
        }
        if (content.isTextual()) {
            return content;
        }
        if (!content.isArray()) {
            throw refuse(INVALID_REQUEST, where + ".content must be a string or an array of content parts");
        }
        List<ObjectNode> parts = new ArrayList<>();
        boolean imageSeen = false;
        for (int i = 0; i < content.size(); i++) {
            ObjectNode part = part(content.get(i), role, where + ".content[" + i + "]");
            imageSeen |= "image_url".equals(Json.textOf(part, "type"));
            parts.add(part);
        }
        if (imageSeen || "user".equals(role) && parts.size() > 1) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            parts.forEach(array::add);
            return array;
        }
        return TextNode.valueOf(String.join(PARAGRAPH, parts.stream().map(p -> p.path("text").asText()).toList()));
    }

    private static ObjectNode part(JsonNode part, String role, String where) {
        String type = Json.textOf(part, "type");
        switch (type == null ? "" : type) {
            case "input_text", "output_text", "text" -> {
                return textPart(Json.textOf(part, "text"), where);
            }
            case "refusal" -> {
                return textPart(Json.textOf(part, "refusal"), where); // an earlier refusal, replayed as what was said
            }
            case "input_image" -> {
                return imagePart(part, role, where);
            }
            case "input_file" -> throw refuse(FILE_NOT_SUPPORTED,
                    where + " is an input_file; the chat upstream takes no files, send the text or images instead");
            default -> throw refuse(ITEM_NOT_SUPPORTED,
                    where + " is a content part of type '" + type + "', which chat has no counterpart for");
        }
    }

    private static ObjectNode textPart(String text, String where) {
        if (text == null) {
            throw refuse(INVALID_REQUEST, where + " has no text");
        }
        return Json.object().put("type", "text").put("text", text);
    }

    private static ObjectNode imagePart(JsonNode part, String role, String where) {
        if (!"user".equals(role)) {
            throw refuse(ITEM_NOT_SUPPORTED, where + " is an image in a " + role
                    + " message; chat takes images in user messages only");
        }
        String url = Json.textOf(part, "image_url");
        if (url == null) {
            if (Json.textOf(part, "file_id") != null) {
                throw refuse(FILE_NOT_SUPPORTED, where + " refers to an uploaded file ("
                        + Json.textOf(part, "file_id") + "); the gateway keeps no files, send the image_url instead");
            }
            throw refuse(INVALID_REQUEST, where + " is an input_image without image_url");
        }
        ObjectNode image = Json.object().put("url", url);
        String detail = Json.textOf(part, "detail");
        if (detail != null) {
            image.put("detail", detail);
        }
        ObjectNode out = Json.object().put("type", "image_url");
        out.set("image_url", image);
        return out;
    }
}
