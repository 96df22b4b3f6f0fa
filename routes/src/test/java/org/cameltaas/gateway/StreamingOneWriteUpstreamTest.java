package org.cameltaas.gateway;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.camel.main.Main;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Regression test for 643f4a4: an upstream that sends the whole SSE body in one socket write (nginx serving a canned
 * stream) made the relay lose an event or move it after {@code data: [DONE]} in most streams. FakeUpstream writes
 * events one by one, so only an upstream like the one here reaches that path: every event arrives in one read and the
 * publisher can deliver them synchronously from inside the relay's readChunk.
 */
class StreamingOneWriteUpstreamTest {

    /** The content deltas, in order; their concatenation is what every relayed stream must spell. */
    private static final List<String> DELTAS = List.of("Quantum", " entanglement", " links", " two", " particles",
            " so", " that", " measuring", " one", " instantly", " tells", " you", " about", " the", " other",
            ",", " however", " far", " apart", " they are.");
    private static final String SENTENCE = String.join("", DELTAS);
    /** The upstream's events: a role chunk, the deltas, a finish chunk, a usage chunk and [DONE]. */
    private static final List<String> EVENTS = cannedEvents();
    private static final byte[] SSE_BODY = sseBody(EVENTS);

    // include_usage: the caller asks for the usage chunk too, so every upstream event is relayed and can be counted
    private static final String STREAM = "{\"model\":\"gpt-4o\",\"stream\":true,"
            + "\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Explain quantum entanglement in one sentence.\"}]}";
    private static final int SEQUENTIAL = 200;
    private static final int CONCURRENT = 200;
    private static final int CONCURRENCY = 8;

    private static OneWriteUpstream upstream;
    private static Main gateway;
    private static int port;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        upstream = new OneWriteUpstream(SSE_BODY);
        port = GatewayTestSupport.freePort();
        Path dir = Files.createTempDirectory("taas-one-write-test");
        Path tokens = dir.resolve("tokens.json");
        Files.writeString(tokens, "{\"tokens\":[]}");
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_HOST", "127.0.0.1");
        env.put("TAAS_PORT", String.valueOf(port));
        env.put("TAAS_MASTER_KEY", GatewayTestSupport.MASTER_KEY);
        env.put("TAAS_TOKENS_FILE", tokens.toString());
        env.put("TAAS_DATA_DIR", dir.toString());
        env.put("TAAS_LOCAL_MODELS", "false"); // not needed here, and it saves start-up time
        env.put("OPENAI_BASE_URL", "http://127.0.0.1:" + upstream.port() + "/v1");
        env.put("OPENAI_API_KEY", GatewayTestSupport.UPSTREAM_KEY);
        gateway = Gateway.create(env);
        gateway.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void sequentialStreamsRelayEveryEventInOrder() throws Exception {
        int servedBefore = upstream.served();
        List<Broken> broken = new ArrayList<>();
        for (int i = 0; i < SEQUENTIAL; i++) {
            Broken problem = checkStream(i);
            if (problem != null) {
                broken.add(problem);
            }
        }
        assertAllIntact(broken, SEQUENTIAL);
        // every stream really came from the one-write upstream
        assertEquals(SEQUENTIAL, upstream.served() - servedBefore);
    }

    @Test
    void concurrentStreamsRelayEveryEventInOrder() throws Exception {
        int servedBefore = upstream.served();
        ExecutorService clients = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<Broken>> results = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                int n = i;
                results.add(clients.submit(() -> checkStream(n)));
            }
            List<Broken> broken = new ArrayList<>();
            for (Future<Broken> result : results) {
                Broken problem = result.get(60, TimeUnit.SECONDS);
                if (problem != null) {
                    broken.add(problem);
                }
            }
            assertAllIntact(broken, CONCURRENT);
            assertEquals(CONCURRENT, upstream.served() - servedBefore);
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void theCannedUpstreamAnswersWithTheWholeStream() throws Exception {
        // guards the premise: asked directly, the upstream answers the full stream with a fixed length
        HttpResponse<String> direct = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + upstream.port()
                        + "/v1/chat/completions")).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, direct.statusCode());
        assertEquals(String.valueOf(SSE_BODY.length), direct.headers().firstValue("content-length").orElse(""));
        assertEquals(new String(SSE_BODY, StandardCharsets.UTF_8), direct.body());
    }

    /** What was wrong with one relayed stream: a short kind (tallied in the failure message) and the details. */
    private record Broken(String kind, String detail) {
    }

    /** Fails with how many streams broke, in which ways, and the first few, so a failure says what the clients saw. */
    private static void assertAllIntact(List<Broken> broken, int total) {
        if (!broken.isEmpty()) {
            Map<String, Long> kinds = new TreeMap<>(
                    broken.stream().collect(Collectors.groupingBy(Broken::kind, Collectors.counting())));
            fail(broken.size() + " of " + total + " streams were not relayed intact " + kinds + "; the first:\n"
                    + broken.stream().limit(3).map(Broken::detail).collect(Collectors.joining("\n---\n")));
        }
    }

    /** One streamed request through the gateway; null when it arrived intact. */
    private static Broken checkStream(int n) throws Exception {
        HttpResponse<String> response;
        try {
            URI chat = URI.create("http://127.0.0.1:" + port + "/v1/chat/completions");
            response = http.send(HttpRequest.newBuilder(chat)
                    .header("Authorization", "Bearer " + GatewayTestSupport.MASTER_KEY)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(STREAM)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // a connection the gateway broke, or a stream that never ended, is a broken stream too: count it, go on
            return new Broken("transport error", "stream " + n + ": " + e);
        }
        String body = response.body();
        if (response.statusCode() != 200) {
            return new Broken("HTTP " + response.statusCode(),
                    "stream " + n + ": HTTP " + response.statusCode() + ": " + body);
        }
        if (!response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
            return new Broken("not SSE", "stream " + n + ": not an event stream: " + response.headers().map());
        }
        // the client keeps the body in arrival order, so an event after [DONE] in it arrived after [DONE]
        List<String> data = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            for (String line : event.split("\n")) {
                if (line.startsWith("data: ")) {
                    data.add(line.substring(6));
                }
            }
        }
        int done = data.indexOf("[DONE]");
        if (done < 0) {
            return new Broken("no [DONE]", "stream " + n + ": no data: [DONE]\n" + body);
        }
        if (done != data.size() - 1) {
            return new Broken("event after [DONE]", "stream " + n + ": " + (data.size() - 1 - done)
                    + " event(s) after data: [DONE]\n" + body);
        }
        StringBuilder text = new StringBuilder();
        for (String json : data.subList(0, done)) {
            text.append(Json.parse(json).at("/choices/0/delta/content").asText(""));
        }
        if (!SENTENCE.contentEquals(text)) {
            return new Broken("wrong text",
                    "stream " + n + ": the deltas spell \"" + text + "\" instead of \"" + SENTENCE + "\"\n" + body);
        }
        if (data.size() != EVENTS.size()) {
            return new Broken("wrong event count", "stream " + n + ": " + data.size() + " events instead of "
                    + EVENTS.size() + "\n" + body);
        }
        return null;
    }

    private static List<String> cannedEvents() {
        String head = "{\"id\":\"chatcmpl-onewrite1\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,"
                + "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_test\",\"choices\":[";
        List<String> events = new ArrayList<>();
        events.add(head + "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
                + "\"logprobs\":null,\"finish_reason\":null}]}");
        for (String delta : DELTAS) {
            String quoted = Json.text(Json.MAPPER.getNodeFactory().textNode(delta));
            events.add(head + "{\"index\":0,\"delta\":{\"content\":" + quoted
                    + "},\"logprobs\":null,\"finish_reason\":null}]}");
        }
        events.add(head + "{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}");
        events.add(head + "],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":" + DELTAS.size()
                + ",\"total_tokens\":" + (14 + DELTAS.size()) + "}}");
        events.add("[DONE]");
        return List.copyOf(events);
    }

    private static byte[] sseBody(List<String> events) {
        StringBuilder sse = new StringBuilder();
        for (String event : events) {
            sse.append("data: ").append(event).append("\n\n");
        }
        return sse.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A loopback HTTP/1.1 server that answers every POST /v1/chat/completions with the same SSE body, head and body
     * in a single write (keep-alive, Content-Length), as nginx does with a static file. A thread per connection is
     * enough for the few connections the gateway opens to it here.
     */
    static final class OneWriteUpstream implements AutoCloseable {

        private final ServerSocket server;
        private final byte[] reply;
        private final ExecutorService connections = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "one-write-upstream");
            thread.setDaemon(true);
            return thread;
        });
        private final AtomicInteger served = new AtomicInteger();

        OneWriteUpstream(byte[] sse) throws IOException {
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Content-Length: " + sse.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            reply = new byte[head.length + sse.length];
            System.arraycopy(head, 0, reply, 0, head.length);
            System.arraycopy(sse, 0, reply, head.length, sse.length);
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            connections.execute(this::acceptLoop);
        }

        int port() {
            return server.getLocalPort();
        }

        int served() {
            return served.get();
        }

        private void acceptLoop() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.execute(() -> serve(socket));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket) {
            try (socket) {
                socket.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                for (String head = readHead(in); head != null; head = readHead(in)) {
                    String requestLine = head.substring(0, head.indexOf("\r\n"));
                    in.readNBytes(contentLength(head)); // the request itself does not matter
                    if (requestLine.startsWith("POST /v1/chat/completions ")) {
                        out.write(reply); // the point of this server: head and every event in one write
                        served.incrementAndGet();
                    } else {
                        out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                }
            } catch (IOException e) {
                // the gateway closed a pooled connection
            }
        }

        /** The request head up to the blank line, or null at the end of the connection. */
        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        private static int contentLength(String head) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                    return Integer.parseInt(line.substring(colon + 1).trim());
                }
            }
            return 0;
        }

        @Override
        public void close() throws IOException {
            server.close();
            connections.shutdownNow();
        }
    }
}
