package org.cameltaas.gateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.error.GatewayException;
import org.cameltaas.tenancy.FileStore;

/**
 * Replaces the caller's stored files named by id in a request's content parts with their content, inline, before the
 * upstream call (no provider knows the gateway's ids): Chat's {@code {"type":"file","file":{"file_id"}}} and
 * Responses' {@code {"type":"input_file","file_id"}} get {@code file_data} (a data: URL) and {@code filename};
 * Messages' {@code {"type":"document","source":{"type":"file","file_id"}}} gets a base64 source. The translators
 * then carry inline files to each provider in its own form. An unknown or another project's id is a 404 naming it.
 */
public final class FileReferences implements Processor {

    /** Most bytes one request may inline (base64 grows them by a third). */
    static final long MAX_INLINE_BYTES = 32L * 1024 * 1024;

    private final FileStore store;
    private final FileContentStore content;

    public FileReferences(FileStore store, FileContentStore content) {
        this.store = store;
        this.content = content;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        ObjectNode request = exchange.getProperty(GatewayHeaders.REQUEST_JSON, ObjectNode.class);
        if (request == null || !mentionsFileId(request)) {
            return;
        }
        String project = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class).project();
        ObjectNode resolved = request.deepCopy();
        long[] inlined = {0};
        for (JsonNode message : resolved.path("messages")) {
            for (JsonNode part : message.path("content")) {
                resolve(project, part, inlined);
            }
        }
        for (JsonNode item : resolved.path("input")) {
            for (JsonNode part : item.path("content")) {
                resolve(project, part, inlined);
            }
        }
        exchange.setProperty(GatewayHeaders.REQUEST_JSON, resolved);
        exchange.getMessage().setBody(Json.bytes(resolved));
    }

    /** Whether any content part names a file id: only the parts are looked at, not the whole request (every chat call passes here). */
    private static boolean mentionsFileId(JsonNode request) {
        for (String list : new String[] {"messages", "input"}) {
            for (JsonNode item : request.path(list)) {
                for (JsonNode part : item.path("content")) {
                    if (part.has("file_id") || part.path("file").has("file_id") || part.path("source").has("file_id")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private void resolve(String project, JsonNode part, long[] inlined) throws IOException {
        if (!(part instanceof ObjectNode object)) {
            return;
        }
        String type = Json.textOf(object, "type");
        if ("file".equals(type) && object.path("file") instanceof ObjectNode file && file.hasNonNull("file_id")) {
            FileStore.StoredFile stored = find(project, file.get("file_id").asText(), "file.file_id");
            file.remove("file_id");
            file.put("filename", stored.filename());
            file.put("file_data", "data:" + stored.contentType() + ";base64," + base64(stored, inlined));
        } else if ("input_file".equals(type) && object.hasNonNull("file_id")) {
            FileStore.StoredFile stored = find(project, object.get("file_id").asText(), "file_id");
            object.remove("file_id");
            object.put("filename", stored.filename());
            object.put("file_data", "data:" + stored.contentType() + ";base64," + base64(stored, inlined));
        } else if ("document".equals(type) && object.path("source") instanceof ObjectNode source
                && "file".equals(Json.textOf(source, "type")) && source.hasNonNull("file_id")) {
            FileStore.StoredFile stored = find(project, source.get("file_id").asText(), "source.file_id");
            source.removeAll();
            source.put("type", "base64");
            source.put("media_type", stored.contentType());
            source.put("data", base64(stored, inlined));
        }
    }

    private FileStore.StoredFile find(String project, String id, String param) {
        if (!FileIds.wellFormed(id)) {
            throw GatewayException.badRequest("invalid_file_id", param, "The file id " + (id.length() > 64 ? "given" : id)
                    + " is not a file id");
        }
        return store.get(project, id).orElseThrow(() -> new GatewayException(404, "invalid_request_error", "file_not_found",
                param, "No such File object: " + id));
    }

    private String base64(FileStore.StoredFile stored, long[] inlined) throws IOException {
        inlined[0] += stored.bytes();
        if (inlined[0] > MAX_INLINE_BYTES) {
            throw new GatewayException(413, "invalid_request_error", "files_too_large", "file_id",
                    "The files this request names add up to more than " + MAX_INLINE_BYTES / (1024 * 1024)
                    + " MB, the most the gateway sends inline");
        }
        try (InputStream in = content.open(stored.id())) {
            return Base64.getEncoder().encodeToString(in.readAllBytes());
        }
    }
}
