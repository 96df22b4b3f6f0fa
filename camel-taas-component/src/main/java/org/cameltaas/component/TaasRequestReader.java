package org.cameltaas.component;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.cameltaas.component.http.MultipartForm;
import org.cameltaas.component.support.Json;

/**
 * Turns whatever body a route holds (JSON text or bytes, a Jackson tree, a Map, a plain prompt, a list of texts,
 * a file or multipart form) into a {@link TaasRequest}, resolving the model and the stream flag. Fields it does not
 * know are left untouched.
 */
final class TaasRequestReader {

    private final TaasOperation operation;
    private final TaasConfiguration configuration;

    TaasRequestReader(TaasOperation operation, TaasConfiguration configuration) {
        this.operation = operation;
        this.configuration = configuration;
    }

    TaasRequest read(Exchange exchange) throws InvalidPayloadException, IOException {
        Message message = exchange.getMessage();
        String modelOverride = message.getHeader(TaasConstants.MODEL, configuration.getModel(), String.class);
        if (modelOverride != null && modelOverride.isBlank()) {
            modelOverride = null; // an empty option (e.g. from a route template's default) means "not set"
        }
        Map<String, String> headers = upstreamHeaders(message);
        TaasRequest request = switch (operation.payload()) {
            case NONE -> new TaasRequest(operation, modelOverride, false, null, null, null, false, headers);
            case JSON -> readJson(exchange, modelOverride, headers);
            case MULTIPART -> readMultipart(exchange, modelOverride, headers);
        };
        return request.clientHeaders(clientHeaders(message)).apiVersion(configuration.getApiVersion());
    }

    private TaasRequest readJson(Exchange exchange, String modelOverride, Map<String, String> headers)
            throws InvalidPayloadException, IOException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        byte[] original = null;
        ObjectNode json;
        boolean ownTree = true; // false when the tree belongs to the caller and must be copied before a change
        if (body instanceof ObjectNode node) {
            json = node;
            ownTree = false;
        } else if (body instanceof Map<?, ?> map) {
            json = Json.MAPPER.valueToTree(map);
        } else if (body instanceof List<?> list) {
            json = fromList(list);
        } else if (body instanceof String text && !looksLikeJson(text)) {
            json = fromPrompt(text);
        } else {
            byte[] bytes = body instanceof byte[] b ? b : message.getMandatoryBody(byte[].class);
            json = parseObject(bytes);
            original = bytes;
        }

        boolean changed = false;
        String model = modelOverride != null ? modelOverride : Json.textOf(json, "model");
        if (model != null && !model.equals(Json.textOf(json, "model"))) {
            json = ownTree ? json : json.deepCopy();
            ownTree = true;
            json.put("model", model);
            changed = true;
        }

        int limit = configuration.getMaxOutputTokens();
        if (limit > 0 && asksMoreThan(json, limit)) {
            json = ownTree ? json : json.deepCopy();
            ownTree = true;
            clamp(json, limit);
            changed = true;
        }

        boolean stream = resolveStream(message, json);
        boolean usageChunkAdded = false;
        if (!stream && json.path("stream").asBoolean(false)) {
            // the header or option said no stream: the body must not ask the upstream for one
            json = ownTree ? json : json.deepCopy();
            ownTree = true;
            json.put("stream", false);
            changed = true;
        }
        if (stream) {
            JsonNode current = json.get("stream");
            boolean needsStreamFlag = current == null || !current.asBoolean(false);
            boolean needsUsage = operation == TaasOperation.chatCompletions && configuration.isStreamUsage()
                    && !json.path("stream_options").path("include_usage").asBoolean(false);
            if (needsStreamFlag || needsUsage) {
                json = ownTree ? json : json.deepCopy();
                if (needsStreamFlag) {
                    json.put("stream", true);
                }
                if (needsUsage) {
                    JsonNode options = json.get("stream_options");
                    ObjectNode streamOptions = options instanceof ObjectNode o ? o : json.putObject("stream_options");
                    streamOptions.put("include_usage", true);
                    usageChunkAdded = true;
                }
                changed = true;
            }
        }
        return new TaasRequest(operation, model, stream, json, changed ? null : original, null, usageChunkAdded,
                headers).rerankApi(configuration.getRerankApi());
    }

    /** The output-limit fields of chat, Messages and Responses requests. */
    private static final String[] OUTPUT_LIMIT_FIELDS = {"max_tokens", "max_completion_tokens", "max_output_tokens"};

    private static boolean asksMoreThan(ObjectNode json, int limit) {
        for (String field : OUTPUT_LIMIT_FIELDS) {
            JsonNode value = json.get(field);
            if (value != null && value.isNumber() && value.asLong() > limit) {
                return true;
            }
        }
        return false;
    }

    /** Lowers every output-limit field above the model's limit to it (Claude Code asks 32,000 of any model). */
    private static void clamp(ObjectNode json, int limit) {
        for (String field : OUTPUT_LIMIT_FIELDS) {
            JsonNode value = json.get(field);
            if (value != null && value.isNumber() && value.asLong() > limit) {
                json.put(field, limit);
            }
        }
        // Anthropic wants max_tokens above the thinking budget (Claude Code asks 32,000 with a budget of 31,999)
        if (json.get("thinking") instanceof ObjectNode thinking && thinking.path("budget_tokens").asLong() >= limit) {
            thinking.put("budget_tokens", Math.max(1, limit - Math.max(1, limit / 4)));
        }
    }

    private boolean resolveStream(Message message, ObjectNode json) {
        if (!operation.streamable()) {
            return false;
        }
        Boolean header = message.getHeader(TaasConstants.STREAM, Boolean.class);
        if (header != null) {
            return header;
        }
        if (configuration.getStream() != null) {
            return configuration.getStream();
        }
        return json.path("stream").asBoolean(false);
    }

    private ObjectNode fromPrompt(String prompt) throws InvalidPayloadException {
        ObjectNode json = Json.object();
        switch (operation) {
            case chatCompletions -> userMessage(json, prompt);
            case messages -> {
                json.put("max_tokens", configuration.getMaxTokens());
                userMessage(json, prompt);
            }
            case responses, embeddings, audioSpeech -> json.put("input", prompt);
            case imagesGenerations -> json.put("prompt", prompt);
            default -> throw new IllegalArgumentException(
                    "taas:" + operation + " needs a JSON body; a plain text body is not enough");
        }
        return json;
    }

    private static void userMessage(ObjectNode json, String prompt) {
        ObjectNode message = json.putArray("messages").addObject();
        message.put("role", "user");
        message.put("content", prompt);
    }

    private ObjectNode fromList(List<?> list) {
        ObjectNode json = Json.object();
        ArrayNode items = Json.MAPPER.valueToTree(list);
        switch (operation) {
            case embeddings -> json.set("input", items);
            case chatCompletions, messages -> {
                if (operation == TaasOperation.messages) {
                    json.put("max_tokens", configuration.getMaxTokens());
                }
                json.set("messages", items);
            }
            case responses -> json.set("input", items);
            default -> throw new IllegalArgumentException(
                    "taas:" + operation + " cannot take a list body; send a JSON object");
        }
        return json;
    }

    private static ObjectNode parseObject(byte[] bytes) {
        JsonNode node;
        try {
            node = Json.parse(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        return object;
    }

    private static boolean looksLikeJson(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    private TaasRequest readMultipart(Exchange exchange, String modelOverride, Map<String, String> headers)
            throws InvalidPayloadException, IOException {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        String boundary = MultipartForm.boundaryOf(contentType);
        MultipartForm form;
        if (body instanceof MultipartForm f) {
            form = f;
        } else if (boundary != null) {
            byte[] raw = message.getMandatoryBody(byte[].class);
            form = MultipartForm.parse(raw, boundary);
            if (modelOverride == null || modelOverride.equals(form.value("model"))) {
                // nothing to change: the client's bytes travel as they are
                return new TaasRequest(operation, form.value("model"), false, null, null,
                        new MultipartForm.Encoded(contentType, raw), false, headers);
            }
        } else if (body instanceof Map<?, ?> map) {
            form = fromMap(map, message);
        } else {
            form = new MultipartForm();
            addFile(form, fileField(), body, message.getHeader(Exchange.FILE_NAME, String.class));
        }
        if (modelOverride != null) {
            form.field("model", modelOverride);
        }
        return new TaasRequest(operation, form.value("model"), false, null, null, form.encode(), false, headers);
    }

    private String fileField() {
        return operation == TaasOperation.imagesEdits || operation == TaasOperation.imagesVariations ? "image" : "file";
    }

    private MultipartForm fromMap(Map<?, ?> map, Message message) throws IOException {
        MultipartForm form = new MultipartForm();
        Object filename = map.get("filename");
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            Object value = e.getValue();
            if (name.equals("filename") || value == null) {
                continue;
            }
            if (value instanceof byte[] || value instanceof File || value instanceof Path || value instanceof InputStream) {
                String fn = filename != null ? filename.toString() : message.getHeader(Exchange.FILE_NAME, String.class);
                addFile(form, name, value, fn);
            } else {
                form.field(name, value instanceof JsonNode node && node.isTextual() ? node.asText() : String.valueOf(value));
            }
        }
        return form;
    }

    private static void addFile(MultipartForm form, String field, Object value, String filename) throws IOException {
        byte[] content;
        if (value instanceof byte[] b) {
            content = b;
        } else if (value instanceof File f) {
            content = Files.readAllBytes(f.toPath());
            filename = filename != null ? filename : f.getName();
        } else if (value instanceof Path p) {
            content = Files.readAllBytes(p);
            filename = filename != null ? filename : p.getFileName().toString();
        } else if (value instanceof InputStream in) {
            content = in.readAllBytes();
        } else if (value instanceof String s) {
            content = s.getBytes(StandardCharsets.UTF_8);
        } else {
            throw new IllegalArgumentException("cannot upload a " + (value == null ? "null" : value.getClass().getName())
                    + " body; send bytes, a File, a Path, a Map of form fields or a MultipartForm");
        }
        form.file(field, filename != null ? filename : "upload" + extensionOf(content), null, content);
    }

    /** Providers guess the format from the file name; give a nameless upload one that matches its bytes. */
    private static String extensionOf(byte[] content) {
        if (startsWith(content, "RIFF")) {
            return ".wav";
        }
        if (startsWith(content, "ID3") || content.length > 1 && (content[0] & 0xFF) == 0xFF && (content[1] & 0xE0) == 0xE0) {
            return ".mp3";
        }
        if (startsWith(content, "OggS")) {
            return ".ogg";
        }
        if (startsWith(content, "fLaC")) {
            return ".flac";
        }
        if (content.length > 3 && (content[0] & 0xFF) == 0x89 && content[1] == 'P' && content[2] == 'N') {
            return ".png";
        }
        return ".bin";
    }

    private static boolean startsWith(byte[] content, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (content.length < m.length) {
            return false;
        }
        for (int i = 0; i < m.length; i++) {
            if (content[i] != m[i]) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> clientHeaders(Message message) {
        Map<?, ?> offered = message.getHeader(TaasConstants.CLIENT_HEADERS, Map.class);
        if (offered == null || offered.isEmpty()) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        offered.forEach((k, v) -> {
            if (k != null && v != null) {
                headers.put(String.valueOf(k).toLowerCase(java.util.Locale.ROOT), String.valueOf(v));
            }
        });
        return headers;
    }

    private Map<String, String> upstreamHeaders(Message message) {
        Map<String, String> headers = new LinkedHashMap<>();
        configuration.getUpstreamHeaders().forEach((k, v) -> headers.put(k, String.valueOf(v)));
        Map<?, ?> extra = message.getHeader(TaasConstants.UPSTREAM_HEADERS, Map.class);
        if (extra != null) {
            extra.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
        }
        return headers;
    }
}
