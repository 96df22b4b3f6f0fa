package org.cameltaas.gateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.cameltaas.component.http.MultipartForm;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.error.GatewayException;
import org.cameltaas.tenancy.FileStore;
import org.cameltaas.tenancy.FileStore.StoredFile;

/**
 * OpenAI's Files API for the caller's project: upload, list, retrieve, delete and download, in OpenAI's shapes. The
 * metadata and each project's storage use are in the tenancy database ({@link FileStore}), the bytes in a
 * {@link FileContentStore}. Runs after {@code authenticate}; every reply carries the project's storage headers
 * ({@link FileQuota}). Another project's file is answered as if it did not exist (404), never 403.
 */
public final class FilesApi implements Processor {

    /** OpenAI's purposes. */
    static final Set<String> PURPOSES = Set.of("assistants", "batch", "fine-tune", "vision", "user_data", "evals");
    private static final int MAX_LIST = 10_000;
    private static final int MAX_FILENAME = 1000;

    private final FileStore store;
    private final FileContentStore content;
    private final long quotaBytes;

    private final SpooledUploads uploads;

    public FilesApi(FileStore store, FileContentStore content, long quotaBytes, SpooledUploads uploads) {
        this.store = store;
        this.content = content;
        this.quotaBytes = quotaBytes;
        this.uploads = uploads;
    }

    /** Where the HTTP server leaves spooled uploads for this API. */
    public SpooledUploads uploads() {
        return uploads;
    }

    public long quotaBytes() {
        return quotaBytes;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        String project = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class).project();
        exchange.setProperty(FileQuota.PROPERTY, new FileQuota(store.used(project), quotaBytes));
        String method = message.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = message.getHeader(Exchange.HTTP_PATH, String.class);
        String rest = path.length() > "/v1/files".length() ? path.substring("/v1/files/".length()) : "";
        if (rest.isEmpty()) {
            switch (method) {
                case "POST" -> create(exchange, project);
                case "GET", "HEAD" -> list(exchange, project);
                default -> notAllowed(message, method, path, "GET, POST");
            }
            return;
        }
        boolean wantsContent = rest.endsWith("/content");
        String id = wantsContent ? rest.substring(0, rest.length() - "/content".length()) : rest;
        if (!FileIds.wellFormed(id)) {
            throw GatewayException.badRequest("invalid_file_id", "file_id",
                    "The file id in the path is not a file id (letters, digits, - and _, at most 64)");
        }
        if (wantsContent) {
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                notAllowed(message, method, path, "GET");
            }
            download(exchange, project, id);
            return;
        }
        switch (method) {
            case "GET", "HEAD" -> message.setBody(json(found(project, id)));
            case "DELETE" -> delete(exchange, project, id);
            default -> notAllowed(message, method, path, "GET, DELETE");
        }
    }

    private void create(Exchange exchange, String project) throws IOException {
        Message message = exchange.getMessage();
        String key = message.getHeader(SpooledUploads.HEADER, String.class);
        if (key != null) {
            createSpooled(exchange, project, uploads == null ? null : uploads.take(key));
            return;
        }
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        String boundary = contentType == null ? null : MultipartForm.boundaryOf(contentType);
        if (boundary == null) {
            throw new GatewayException(415, "invalid_request_error", "unsupported_media_type", null,
                    "Upload a file as multipart/form-data with a file part and a purpose field");
        }
        MultipartForm form;
        try {
            form = MultipartForm.parse(message.getBody(byte[].class), boundary);
        } catch (IllegalArgumentException e) {
            throw GatewayException.badRequest("invalid_multipart", null, "The multipart body cannot be read: " + e.getMessage());
        }
        String purpose = purpose(form.value("purpose"));
        MultipartForm.Part file = form.parts().stream().filter(p -> "file".equals(p.name()) && p.filename() != null)
                .findFirst().orElseThrow(() -> GatewayException.badRequest("missing_file", "file",
                        "file is required: a part named file with a filename"));
        Path spooled = content.newSpoolFile();
        try {
            Files.write(spooled, file.content());
            message.setBody(json(keep(exchange, project, spooled, file.filename(), file.contentType(), purpose)));
        } finally {
            Files.deleteIfExists(spooled);
        }
    }

    /** An upload the HTTP layer spooled to disk: its file part is there already (never whole in memory). */
    private void createSpooled(Exchange exchange, String project, SpooledUploads.Upload upload) throws IOException {
        if (upload == null) {
            throw GatewayException.badRequest("invalid_multipart", null, "The upload was not received");
        }
        try {
            if (upload.problem() != null) {
                throw GatewayException.badRequest("invalid_multipart", null, "The multipart body cannot be read: " + upload.problem());
            }
            String purpose = purpose(upload.purpose());
            if (!upload.hasFile()) {
                throw GatewayException.badRequest("missing_file", "file", "file is required: a part named file with a filename");
            }
            exchange.getMessage().setBody(json(keep(exchange, project, upload.file(), upload.filename(), upload.contentType(), purpose)));
        } finally {
            if (upload.file() != null) {
                Files.deleteIfExists(upload.file());
            }
        }
    }

    /**
     * Stores an upload already spooled to disk: its metadata in the quota's transaction, then its bytes under the id.
     * The spool file is moved or left for the caller to delete.
     */
    StoredFile keep(Exchange exchange, String project, Path spooled, String filename, String partType, String purpose)
            throws IOException {
        long bytes = Files.size(spooled);
        if (bytes == 0) {
            throw GatewayException.badRequest("empty_file", "file", "The file is empty");
        }
        String name = filename.isBlank() ? "file" : filename;
        if (name.length() > MAX_FILENAME) {
            throw GatewayException.badRequest("invalid_filename", "file", "The filename is longer than " + MAX_FILENAME + " characters");
        }
        String type = partType == null || partType.isBlank() ? "application/octet-stream" : partType;
        StoredFile stored = new StoredFile(FileStore.newId(), project, name, purpose, bytes, type, FileStore.now());
        long used;
        try {
            used = store.insert(stored, quotaBytes);
        } catch (FileStore.QuotaExceededException e) {
            exchange.setProperty(FileQuota.PROPERTY, new FileQuota(e.used(), e.limit()));
            throw new GatewayException(413, "invalid_request_error", "storage_quota_exceeded", "file",
                    "The project's file storage quota is exceeded: " + e.used() + " of " + e.limit()
                    + " bytes are used and this file has " + e.requested() + "; delete files or ask for a larger quota");
        }
        try {
            content.keep(spooled, stored.id());
        } catch (IOException | RuntimeException e) {
            store.delete(project, stored.id()); // no metadata without its bytes
            throw e;
        }
        exchange.setProperty(FileQuota.PROPERTY, new FileQuota(used, quotaBytes));
        return stored;
    }

    static String purpose(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw GatewayException.badRequest("missing_purpose", "purpose",
                    "purpose is required: one of " + String.join(", ", List.copyOf(new java.util.TreeSet<>(PURPOSES))));
        }
        if (!PURPOSES.contains(purpose)) {
            throw GatewayException.badRequest("invalid_purpose", "purpose", "purpose must be one of "
                    + String.join(", ", List.copyOf(new java.util.TreeSet<>(PURPOSES))));
        }
        return purpose;
    }

    private void list(Exchange exchange, String project) {
        Message message = exchange.getMessage();
        int limit = MAX_LIST;
        String limitText = query(message, "limit");
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIST) {
                throw GatewayException.badRequest("invalid_limit", "limit", "limit must be a whole number from 1 to " + MAX_LIST);
            }
        }
        String order = query(message, "order");
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw GatewayException.badRequest("invalid_order", "order", "order must be asc or desc");
        }
        String purpose = query(message, "purpose");
        if (purpose != null) {
            purpose(purpose);
        }
        String after = query(message, "after");
        if (after != null && !FileIds.wellFormed(after)) {
            throw GatewayException.badRequest("invalid_file_id", "after", "after must be a file id");
        }
        List<StoredFile> page = store.list(project, purpose, after, limit + 1, "asc".equals(order));
        boolean more = page.size() > limit;
        if (more) {
            page = page.subList(0, limit);
        }
        ObjectNode list = Json.object();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        page.forEach(f -> data.add(json(f)));
        list.put("first_id", page.isEmpty() ? null : page.get(0).id());
        list.put("last_id", page.isEmpty() ? null : page.get(page.size() - 1).id());
        list.put("has_more", more);
        message.setBody(list);
    }

    private void delete(Exchange exchange, String project, String id) throws IOException {
        StoredFile deleted = store.delete(project, id).orElseThrow(() -> notFound(id));
        content.delete(deleted.id());
        exchange.setProperty(FileQuota.PROPERTY, new FileQuota(store.used(project), quotaBytes));
        ObjectNode reply = Json.object();
        reply.put("id", id);
        reply.put("object", "file");
        reply.put("deleted", true);
        exchange.getMessage().setBody(reply);
    }

    private void download(Exchange exchange, String project, String id) throws IOException {
        StoredFile file = found(project, id);
        InputStream stream = content.open(file.id());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, file.contentType());
        exchange.getMessage().setBody(new FileDownload(stream, file.bytes(), file.contentType(), file.filename()));
    }

    private StoredFile found(String project, String id) {
        return store.get(project, id).orElseThrow(() -> notFound(id));
    }

    private static GatewayException notFound(String id) {
        return new GatewayException(404, "invalid_request_error", "file_not_found", "file_id", "No such File object: " + id);
    }

    private static void notAllowed(Message message, String method, String path, String allowed) {
        message.setHeader("Allow", allowed);
        throw new GatewayException(405, "invalid_request_error", "method_not_allowed", null,
                method + " is not allowed on " + path + ": use " + allowed);
    }

    private static String query(Message message, String name) {
        String query = message.getHeader(Exchange.HTTP_QUERY, String.class);
        if (query == null || query.isEmpty()) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
            if (key.equals(name)) {
                String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    static ObjectNode json(StoredFile file) {
        ObjectNode node = Json.object();
        node.put("id", file.id());
        node.put("object", "file");
        node.put("bytes", file.bytes());
        node.put("created_at", file.createdAt().getEpochSecond());
        node.putNull("expires_at");
        node.put("filename", file.filename());
        node.put("purpose", file.purpose());
        node.put("status", "processed");
        node.putNull("status_details");
        return node;
    }
}
