package org.cameltaas.component.protocol.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

import static org.cameltaas.component.protocol.Refusals.INVALID_REQUEST;
import static org.cameltaas.component.protocol.Refusals.UNSUPPORTED_CONTENT_BLOCK;
import static org.cameltaas.component.protocol.Refusals.refuse;

/** An Anthropic {@code image} block as a chat {@code image_url} part: base64 data becomes a {@code data:} URL. */
final class ImageParts {

    private ImageParts() {
    }

    /** @param where names the block in refusals, e.g. {@code messages[2].content[0]} */
    static ObjectNode of(JsonNode image, String where) {
        JsonNode source = image.path("source");
        String sourceType = Json.textOf(source, "type");
        String url = switch (sourceType == null ? "" : sourceType) {
            case "base64" -> "data:" + required(source, "media_type", where) + ";base64,"
                    + required(source, "data", where);
            case "url" -> required(source, "url", where);
            // a file id names a file uploaded to Anthropic, which the chat upstream cannot fetch
            default -> throw refuse(UNSUPPORTED_CONTENT_BLOCK, where + " has an image source of type '" + sourceType
                    + "'; only base64 and url images can be sent over chat");
        };
        ObjectNode part = Json.object().put("type", "image_url");
        part.putObject("image_url").put("url", url);
        return part;
    }

    private static String required(JsonNode source, String field, String where) {
        String value = Json.textOf(source, field);
        if (value == null) {
            throw refuse(INVALID_REQUEST, where + ".source." + field + " is required");
        }
        return value;
    }
}
