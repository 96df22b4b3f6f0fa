package org.cameltaas.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A JDK HttpClient pinned to HTTP/1.1, with every wait bounded. */
final class TestHttp {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Duration WAIT = Duration.ofSeconds(5);

    final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String baseUrl;

    TestHttp(FakeUpstream upstream) {
        this.baseUrl = upstream.baseUrl();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(WAIT);
    }

    HttpResponse<String> postJson(String path, String json) throws Exception {
        return send(request(path).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    HttpResponse<String> get(String path) throws Exception {
        return send(request(path).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    HttpResponse<byte[]> sendBytes(HttpRequest request) throws Exception {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static JsonNode json(HttpResponse<String> response) throws Exception {
        return MAPPER.readTree(response.body());
    }

    static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    /** Raw SSE event blocks (without the blank line that ends each). */
    static List<String> sseBlocks(String body, String lineEnd) {
        List<String> blocks = new ArrayList<>();
        String separator = lineEnd + lineEnd;
        int from = 0;
        int end;
        while ((end = body.indexOf(separator, from)) >= 0) {
            blocks.add(body.substring(from, end));
            from = end + separator.length();
        }
        if (from < body.length()) {
            blocks.add(body.substring(from)); // an unterminated tail, if any
        }
        return blocks;
    }

    /** The "data:" payload of each LF-separated event. */
    static List<String> sseData(String body) {
        List<String> data = new ArrayList<>();
        for (String block : sseBlocks(body, "\n")) {
            for (String line : block.split("\n")) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring("data: ".length()));
                }
            }
        }
        return data;
    }

    /** A multipart/form-data body; values that are byte[] become file parts. */
    static HttpRequest.BodyPublisher multipart(String boundary, Map<String, Object> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, Object> part : parts.entrySet()) {
            write(out, "--" + boundary + "\r\n");
            if (part.getValue() instanceof byte[]) {
                write(out, "Content-Disposition: form-data; name=\"" + part.getKey() + "\"; filename=\"audio.wav\"\r\n");
                write(out, "Content-Type: application/octet-stream\r\n\r\n");
                out.writeBytes((byte[]) part.getValue());
                write(out, "\r\n");
            } else {
                write(out, "Content-Disposition: form-data; name=\"" + part.getKey() + "\"\r\n\r\n");
                write(out, part.getValue() + "\r\n");
            }
        }
        write(out, "--" + boundary + "--\r\n");
        return HttpRequest.BodyPublishers.ofByteArray(out.toByteArray());
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
