package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A request as the fake upstream received it: recorded before any reply, so failed requests can be inspected too. */
public final class RecordedRequest {

    private final String method;
    private final String uri;
    private final String path;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final MultipartForm form;
    private final long receivedAtNanos;
    private final CompletableFuture<Long> connectionClosed;
    private volatile boolean completedNormally;

    private RecordedRequest(FullHttpRequest request, long receivedAtNanos, CompletableFuture<Long> connectionClosed) {
        this.method = request.method().name();
        this.uri = request.uri();
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        this.path = decoder.path();
        this.query = decoder.parameters();
        this.headers = lowerCasedHeaders(request);
        this.body = ByteBufUtil.getBytes(request.content());
        this.form = MultipartForm.parse(request);
        this.receivedAtNanos = receivedAtNanos;
        this.connectionClosed = connectionClosed;
    }

    /** @param connectionClosed completed with System.nanoTime() when the request's connection closes */
    static RecordedRequest of(FullHttpRequest request, CompletableFuture<Long> connectionClosed) {
        return new RecordedRequest(request, System.nanoTime(), connectionClosed);
    }

    private static Map<String, List<String>> lowerCasedHeaders(FullHttpRequest request) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            map.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(h.getValue());
        }
        map.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(map);
    }

    public String method() {
        return method;
    }

    /** The path without the query, e.g. "/v1/chat/completions". */
    public String path() {
        return path;
    }

    /** The path with the query, as sent. */
    public String uri() {
        return uri;
    }

    /** The first value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a header (name case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** All headers, names lower-cased, in arrival order. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The body parsed as JSON; a fresh tree on every call. */
    public JsonNode bodyJson() {
        JsonNode json = Json.parseOrNull(body);
        if (json == null) {
            throw new IllegalStateException("request body is not JSON: " + abbreviate(bodyText()));
        }
        return json;
    }

    /** System.nanoTime() when the full request had arrived. */
    public long receivedAtNanos() {
        return receivedAtNanos;
    }

    /** Completes with System.nanoTime() when this request's TCP connection closes. */
    public CompletableFuture<Long> connectionClosed() {
        // a copy, so a test cannot complete the server's own future
        return connectionClosed.copy();
    }

    /** True once the whole reply, stream terminator included, was written before the connection closed. */
    public boolean completedNormally() {
        return completedNormally;
    }

    /** Multipart form fields (not files); empty for other requests. */
    public Map<String, String> formFields() {
        return form.fields();
    }

    /** The bytes of a multipart file part, or null. */
    public byte[] formFile(String name) {
        return form.file(name);
    }

    /** The filename the client gave a multipart file part, or null. */
    public String formFileName(String name) {
        return form.fileName(name);
    }

    // --- for the server ---

    MultipartForm form() {
        return form;
    }

    /** The body parsed once more for reply building, or null when it is not JSON. */
    JsonNode bodyJsonOrNull() {
        return Json.parseOrNull(body);
    }

    void markCompletedNormally() {
        completedNormally = true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    @Override
    public String toString() {
        return method + " " + uri + " (" + body.length + " bytes)";
    }
}
