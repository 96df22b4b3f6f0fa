package org.cameltaas.component.provider.gemini;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.cameltaas.component.support.Json;

/**
 * An OpenAI message's content (a string or an array of typed parts) as Gemini parts: text, inline data for
 * {@code data:} URLs and audio, file references for remote URLs.
 */
final class GeminiParts {

    /** Gemini needs a MIME type for a file reference; a URL's extension is the only hint there is. */
    private static final Map<String, String> MIME_BY_EXTENSION = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("heic", "image/heic"),
            Map.entry("heif", "image/heif"), Map.entry("pdf", "application/pdf"), Map.entry("wav", "audio/wav"),
            Map.entry("mp3", "audio/mp3"), Map.entry("flac", "audio/flac"), Map.entry("ogg", "audio/ogg"),
            Map.entry("aac", "audio/aac"), Map.entry("mp4", "video/mp4"), Map.entry("mov", "video/quicktime"),
            Map.entry("webm", "video/webm"), Map.entry("txt", "text/plain"));

    /** OpenAI's image_url parts are images; a URL that says nothing else is taken for the commonest kind. */
    private static final String DEFAULT_IMAGE_MIME = "image/jpeg";

    private GeminiParts() {
    }

    static ObjectNode text(String text) {
        return Json.object().put("text", text);
    }

    /** Every part of a user message's content; a part Gemini could not take fails rather than vanish. */
    static ArrayNode of(JsonNode content) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isTextual()) {
            parts.add(text(content.asText()));
            return parts;
        }
        if (!content.isArray()) {
            throw new IllegalArgumentException("message content must be a string or an array of parts");
        }
        for (JsonNode part : content) {
            parts.add(part(part));
        }
        return parts;
    }

    /** Only the text of a content, for system instructions and assistant turns. */
    static ArrayNode textsOf(JsonNode content, String role) {
        ArrayNode parts = Json.MAPPER.createArrayNode();
        if (content == null || content.isNull()) {
            return parts;
        }
        if (content.isTextual()) {
            if (!content.asText().isEmpty()) {
                parts.add(text(content.asText()));
            }
            return parts;
        }
        for (JsonNode part : content) {
            String type = Json.textOf(part, "type");
            String text = "refusal".equals(type) ? Json.textOf(part, "refusal") : Json.textOf(part, "text");
            if (text == null) {
                throw new IllegalArgumentException("a " + role + " message can only hold text parts, not " + type);
            }
            parts.add(text(text));
        }
        return parts;
    }

    /** The text of a content, parts joined; for tool results. */
    static String joinedText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String piece = Json.textOf(part, "text");
            if (piece != null) {
                text.append(piece);
            }
        }
        return text.toString();
    }

    private static ObjectNode part(JsonNode part) {
        String type = Json.textOf(part, "type");
        if (type == null) {
            throw new IllegalArgumentException("a content part has no type");
        }
        return switch (type) {
            case "text" -> text(part.path("text").asText());
            case "image_url" -> image(part.get("image_url"));
            case "input_audio" -> audio(part.path("input_audio"));
            case "file" -> file(part.path("file"));
            default -> throw new IllegalArgumentException("the gemini provider cannot send a '" + type + "' content part");
        };
    }

    private static ObjectNode image(JsonNode imageUrl) {
        // OpenAI accepts {"url": ...} and, from older clients, the URL string itself
        String url = imageUrl != null && imageUrl.isTextual() ? imageUrl.asText() : Json.textOf(imageUrl, "url");
        if (url == null) {
            throw new IllegalArgumentException("an image_url part has no url");
        }
        if (url.regionMatches(true, 0, "data:", 0, 5)) {
            return DataUrl.parse(url, DEFAULT_IMAGE_MIME).toInlineData();
        }
        ObjectNode fileData = Json.object();
        fileData.put("mimeType", mimeOf(url));
        fileData.put("fileUri", url);
        return (ObjectNode) Json.object().set("fileData", fileData);
    }

    private static ObjectNode audio(JsonNode inputAudio) {
        String data = Json.textOf(inputAudio, "data");
        String format = Json.textOf(inputAudio, "format");
        if (data == null || format == null) {
            throw new IllegalArgumentException("an input_audio part needs data and format");
        }
        return inlineData("audio/" + format.toLowerCase(Locale.ROOT), data);
    }

    /** OpenAI file parts (PDFs and the like) sent inline; Gemini cannot see OpenAI file ids. */
    private static ObjectNode file(JsonNode file) {
        String data = Json.textOf(file, "file_data");
        if (data == null) {
            throw new IllegalArgumentException("the gemini provider needs file parts with file_data, not file_id");
        }
        if (data.regionMatches(true, 0, "data:", 0, 5)) {
            return DataUrl.parse(data, "application/pdf").toInlineData();
        }
        String filename = Json.textOf(file, "filename");
        return inlineData(filename != null ? mimeOf(filename) : "application/pdf", data);
    }

    static ObjectNode inlineData(String mimeType, String base64) {
        ObjectNode inlineData = Json.object();
        inlineData.put("mimeType", mimeType);
        inlineData.put("data", base64);
        return (ObjectNode) Json.object().set("inlineData", inlineData);
    }

    /** The MIME type a URL's or file name's extension suggests, else image/jpeg. */
    static String mimeOf(String url) {
        String path = url;
        int cut = indexOfAny(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return DEFAULT_IMAGE_MIME;
        }
        return MIME_BY_EXTENSION.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT_IMAGE_MIME);
    }

    private static int indexOfAny(String text, char a, char b) {
        int ia = text.indexOf(a);
        int ib = text.indexOf(b);
        return ia < 0 ? ib : ib < 0 ? ia : Math.min(ia, ib);
    }

    /** A {@code data:[<mime>][;base64],<data>} URL. */
    private record DataUrl(String mimeType, String base64) {

        static DataUrl parse(String url, String defaultMime) {
            int comma = url.indexOf(',');
            if (comma < 0) {
                throw new IllegalArgumentException("a data: URL has no comma");
            }
            String meta = url.substring(5, comma);
            String payload = url.substring(comma + 1);
            boolean base64 = meta.toLowerCase(Locale.ROOT).endsWith(";base64");
            if (base64) {
                meta = meta.substring(0, meta.length() - 7);
            }
            int semicolon = meta.indexOf(';');
            String mime = (semicolon >= 0 ? meta.substring(0, semicolon) : meta).trim();
            // Gemini wants base64; a percent-encoded (textual) data URL is re-encoded. '+' is data here, not a space.
            String data = base64 ? payload : Base64.getEncoder().encodeToString(URLDecoder.decode(
                    payload.replace("+", "%2B"), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
            return new DataUrl(mime.isEmpty() ? defaultMime : mime, data);
        }

        ObjectNode toInlineData() {
            return inlineData(mimeType, base64);
        }
    }
}
