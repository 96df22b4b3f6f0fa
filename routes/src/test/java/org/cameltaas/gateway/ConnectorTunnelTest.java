package org.cameltaas.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.cameltaas.component.support.Json;
import org.cameltaas.connector.Connector;
import org.cameltaas.connector.ConnectorSettings;
import org.cameltaas.connector.protocol.Frame;
import org.cameltaas.connector.protocol.FrameType;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Registered deployments end to end on loopback: the fake upstream behind a real connector (in process), the
 * connector dialling the real gateway, and the official openai-java SDK and raw HTTP in front.
 */
class ConnectorTunnelTest extends GatewayTestSupport {

    static String project;
    static String projectToken;
    static String otherToken;
    static String deployment;
    static String connectorToken;
    static String connectorTokenId;
    static final List<Connector> connectors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void registerDeployment() throws Exception {
        String team = json(post("/admin/v1/teams", "{\"name\":\"tunnels\"}")).get("id").asText();
        project = json(post("/admin/v1/projects", "{\"team_id\":\"" + team + "\",\"name\":\"laptop\"}")).get("id").asText();
        String other = json(post("/admin/v1/projects", "{\"team_id\":\"" + team + "\",\"name\":\"other\"}")).get("id").asText();
        projectToken = json(post("/admin/v1/tokens", "{\"project_id\":\"" + project + "\",\"name\":\"app\"}")).get("token").asText();
        otherToken = json(post("/admin/v1/tokens", "{\"project_id\":\"" + other + "\",\"name\":\"app\"}")).get("token").asText();
        HttpResponse<String> created = post("/admin/v1/deployments",
                "{\"name\":\"gemma-tunnel\",\"project_id\":\"" + project + "\",\"models\":[\"gemma-tunnel\"]}");
        assertEquals(201, created.statusCode(), created.body());
        JsonNode d = json(created);
        deployment = d.get("id").asText();
        assertEquals("gemma-tunnel", d.get("name").asText());
        assertEquals(project, d.get("project_id").asText());
        assertEquals("[\"gemma-tunnel\"]", d.get("models").toString());
        assertTrue(d.get("created_at").isIntegralNumber());
        HttpResponse<String> issued = post("/admin/v1/deployments/" + deployment + "/connector-tokens", "{\"name\":\"laptop\"}");
        assertEquals(201, issued.statusCode(), issued.body());
        connectorToken = json(issued).get("token").asText();
        connectorTokenId = json(issued).get("id").asText();
        assertTrue(connectorToken.startsWith("taasc_"));
    }

    @AfterEach
    void stopConnectors() {
        connectors.forEach(Connector::close);
        connectors.clear();
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.parse(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static Connector connector(String token) {
        Connector c = new Connector(ConnectorSettings.parse(new String[] {"--gateway", base(), "--token", token,
                "--target", upstream.baseUrl() + "/v1"}, Map.of())).start();
        connectors.add(c);
        return c;
    }

    static Connector online(String token) throws Exception {
        Connector c = connector(token);
        c.online().get(20, TimeUnit.SECONDS);
        return c;
    }

    static HttpResponse<String> get(String path, String key) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + key).GET());
    }

    static HttpResponse<String> chat(String key, String model, boolean stream) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions")).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hello tunnel\"}]}")));
    }

    static void waitFor(String what, long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + millis + " ms: " + what);
            }
            Thread.sleep(50);
        }
    }

    static boolean anyOnline() {
        try {
            for (JsonNode c : json(get("/admin/v1/deployments/" + deployment, MASTER_KEY)).get("connectors")) {
                if (c.get("online").asBoolean()) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theSdkStreamsAndNotThroughTheTunnelAndTheAdminApiShowsTheConnector() throws Exception {
        online(connectorToken);
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(base() + "/v1").apiKey(projectToken).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
        ChatCompletion reply = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gemma-tunnel").addUserMessage("through the tunnel").build());
        assertEquals("Echo: through the tunnel", reply.choices().get(0).message().content().orElse(""));
        RecordedRequest seen = upstream.lastRequest();
        assertEquals("/v1/chat/completions", seen.path());
        assertEquals("gemma-tunnel", seen.bodyJson().get("model").asText());
        assertNull(seen.header("authorization"), "no gateway credential reaches the private target");

        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gemma-tunnel").addUserMessage("stream it").build())) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
        }
        assertEquals("Echo: stream it", text.toString());

        upstream.enqueue(Script.ok().toolCall("get_weather", "{\"city\":\"Zurich\"}"));
        ChatCompletion tool = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gemma-tunnel").addUserMessage("weather?").build());
        assertEquals("get_weather", tool.choices().get(0).message().toolCalls().orElseThrow().get(0).asFunction().function().name());

        JsonNode view = json(get("/admin/v1/deployments/" + deployment, MASTER_KEY));
        assertTrue(view.get("online").asBoolean(), view.toString());
        JsonNode c = view.get("connectors").get(0);
        assertTrue(c.get("online").asBoolean());
        assertTrue(c.get("id").asText().startsWith("conn_"));
        assertTrue(c.get("version").asText().startsWith("camel-taas-connector/"));
        assertTrue(c.get("remote_address").asText().startsWith("127.0.0.1:"));
        assertEquals(0, c.get("streams").asInt());
        assertTrue(c.get("since").asLong() > 0);
        assertFalse(view.toString().contains(connectorToken), "the secret is shown once, at issue");
        JsonNode health = json(get("/v1/deployments", projectToken)).get("registered");
        assertEquals("gemma-tunnel", health.get(0).get("name").asText(), health.toString());
        assertTrue(health.get(0).get("online").asBoolean());
        assertTrue(health.get(0).at("/connectors/0/bytes_in").asLong() > 0, health.toString());
        assertEquals(0, json(get("/v1/deployments", otherToken)).get("registered").size(), "another project's deployment is not shown");
        String metrics = get("/metrics", MASTER_KEY).body();
        assertTrue(metrics.contains("taas_connectors_online{deployment=\"gemma-tunnel\"} 1.0"), metrics);
        assertTrue(metrics.contains("taas_connector_bytes_total{direction=\"in\"}"), metrics);
        assertEquals(404, get("/admin/v1/deployments/dep_nope", MASTER_KEY).statusCode());
        assertError(post("/admin/v1/deployments/dep_nope/connector-tokens", "{}"), 404, "deployment_not_found");
        assertError(post("/admin/v1/deployments", "{\"name\":\"x\",\"project_id\":\"proj_nope\"}"), 404, "project_not_found");
        assertError(post("/admin/v1/deployments", "{\"name\":\"bad name!\",\"project_id\":\"" + project + "\"}"), 422, "invalid_value");
        assertError(post("/admin/v1/deployments", "{\"name\":\"y\",\"project_id\":\"" + project + "\",\"extra\":1}"), 400, null);
        assertError(get("/admin/v1/deployments?limit=5", MASTER_KEY), 400, "unknown_parameter");
        assertError(post("/admin/v1/connector-tokens/" + connectorTokenId + "/revoke", "{\"now\":true}"), 400, "unknown_parameter");
        assertError(post("/admin/v1/deployments", "{\"name\":\"gemma-tunnel\",\"project_id\":\"" + project + "\",\"models\":[\"zz\"]}"),
                409, "duplicate_name");
        assertError(post("/admin/v1/deployments", "{\"name\":\"dup-model\",\"project_id\":\"" + project + "\",\"models\":[\"gemma-tunnel\"]}"),
                409, "duplicate_model");
        assertEquals(401, send(HttpRequest.newBuilder(URI.create(base() + "/admin/v1/deployments")).GET()).statusCode());
        assertError(get("/admin/v1/deployments/" + deployment, projectToken), 403, null);
        // a team admin of another team sees nothing of it
        String otherTeam = json(post("/admin/v1/teams", "{\"name\":\"elsewhere-" + System.nanoTime() + "\"}")).get("id").asText();
        String otherProject = json(post("/admin/v1/projects", "{\"team_id\":\"" + otherTeam + "\",\"name\":\"p\"}")).get("id").asText();
        String teamAdmin = json(post("/admin/v1/tokens", "{\"project_id\":\"" + otherProject + "\",\"name\":\"adm\",\"role\":\"admin\"}"))
                .get("token").asText();
        assertError(get("/admin/v1/deployments/" + deployment, teamAdmin), 404, "deployment_not_found");
        assertFalse(get("/admin/v1/deployments", teamAdmin).body().contains(deployment));
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/admin/v1/connector-tokens/" + connectorTokenId + "/revoke"))
                .header("Authorization", "Bearer " + teamAdmin).POST(HttpRequest.BodyPublishers.noBody())), 404, "connector_token_not_found");
        JsonNode listed = json(get("/admin/v1/deployments", MASTER_KEY));
        assertTrue(listed.get("data").toString().contains(deployment), listed.toString());
    }

    @Test
    void messagesAreTranslatedToThePrivateChatModel() throws Exception {
        online(connectorToken);
        HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create(base() + "/v1/messages"))
                .header("Authorization", "Bearer " + projectToken).header("Content-Type", "application/json")
                .header("anthropic-version", "2023-06-01").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gemma-tunnel\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"via messages\"}]}")));
        assertEquals(200, reply.statusCode(), reply.body());
        JsonNode message = json(reply);
        assertEquals("message", message.get("type").asText());
        assertEquals("Echo: via messages", message.at("/content/0/text").asText());
        assertEquals("/v1/chat/completions", upstream.lastRequest().path(), "the private model is asked in chat");
        // the official Anthropic SDK, streaming, against the private chat model
        com.anthropic.client.AnthropicClient anthropic = com.anthropic.client.okhttp.AnthropicOkHttpClient.builder().baseUrl(base())
                .apiKey(projectToken).maxRetries(0).build();
        StringBuilder streamed = new StringBuilder();
        try (com.anthropic.core.http.StreamResponse<com.anthropic.models.messages.RawMessageStreamEvent> stream = anthropic.messages()
                .createStreaming(com.anthropic.models.messages.MessageCreateParams.builder().model("gemma-tunnel").maxTokens(64)
                        .addUserMessage("anthropic streams").build())) {
            stream.stream().forEach(event -> event.contentBlockDelta()
                    .flatMap(delta -> delta.delta().text()).ifPresent(text -> streamed.append(text.text())));
        }
        assertEquals("Echo: anthropic streams", streamed.toString());
        assertEquals("/v1/chat/completions", upstream.lastRequest().path());
        assertTrue(upstream.lastRequest().bodyJson().get("stream").asBoolean());
        HttpResponse<String> embeddings = send(HttpRequest.newBuilder(URI.create(base() + "/v1/embeddings"))
                .header("Authorization", "Bearer " + projectToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gemma-tunnel\",\"input\":[\"a\",\"b\"]}")));
        assertEquals(200, embeddings.statusCode(), embeddings.body());
        assertEquals(2, json(embeddings).get("data").size());
        assertEquals("/v1/embeddings", upstream.lastRequest().path(), "embeddings pass through as they are");
    }

    @Test
    void onlyTheOwningProjectAndTheMasterKeyMayUseIt() throws Exception {
        online(connectorToken);
        String listed = get("/v1/models", projectToken).body();
        assertTrue(listed.contains("\"gemma-tunnel\""), listed);
        assertTrue(get("/v1/models", MASTER_KEY).body().contains("\"gemma-tunnel\""));
        assertFalse(get("/v1/models", otherToken).body().contains("gemma-tunnel"));
        assertEquals(200, chat(MASTER_KEY, "gemma-tunnel", false).statusCode());
        assertError(chat(otherToken, "gemma-tunnel", false), 403, "model_not_allowed");
    }

    @Test
    void offlineIs503WithWhatToStartAndTrafficResumesWhenTheConnectorIsBack() throws Exception {
        JsonNode error = assertError(chat(projectToken, "gemma-tunnel", false), 503, "connector_offline");
        assertTrue(error.get("message").asText().startsWith("Connector offline — the tunnel is not active"), error.toString());
        assertTrue(error.get("message").asText().contains("bin/connector"));
        assertError(chat(projectToken, "gemma-tunnel", true), 503, "connector_offline");
        online(connectorToken);
        assertEquals(200, chat(projectToken, "gemma-tunnel", false).statusCode());
    }

    @Test
    void aConnectorKilledMidStreamEndsTheStreamWithAnErrorThenRequestsAre503UntilItIsBack() throws Exception {
        Connector first = online(connectorToken);
        upstream.enqueue(Script.ok().reply("one two three four five six seven eight nine ten eleven twelve")
                .chunkDelay(Duration.ofMillis(300)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + projectToken).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gemma-tunnel\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"long\"}]}")).build();
        HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        List<String> lines = new ArrayList<>();
        CompletableFuture<Void> read = CompletableFuture.runAsync(() -> response.body().forEach(line -> {
            lines.add(line);
            if (line.contains("\"content\":\"one\"")) {
                first.close(); // the connector dies with the stream half done
            }
        }));
        read.get(30, TimeUnit.SECONDS); // the stream ends: no hang
        String all = String.join("\n", lines);
        assertTrue(all.contains("\"error\""), "the stream ends with an error event: " + all);
        assertFalse(all.contains("twelve"), all);
        waitFor("connector offline", 5_000, () -> !anyOnline());
        assertError(chat(projectToken, "gemma-tunnel", true), 503, "connector_offline");
        online(connectorToken);
        assertEquals(200, chat(projectToken, "gemma-tunnel", false).statusCode(), "traffic resumes, no gateway restart");
    }

    @Test
    void withTwoConnectorsOneKilledNoRequestIsLostThatHadNotStartedItsReply() throws Exception {
        Connector a = online(connectorToken);
        online(connectorToken);
        upstream.setDefault(Script.ok().headerDelay(Duration.ofMillis(1500)));
        try {
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                replies.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                        .header("Authorization", "Bearer " + projectToken).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"gemma-tunnel\",\"messages\":[{\"role\":\"user\",\"content\":\"n" + i + "\"}]}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            waitFor("requests waiting at the upstream", 10_000, () -> upstream.requestCount() >= 8);
            a.close();
            for (int i = 0; i < replies.size(); i++) {
                HttpResponse<String> reply = replies.get(i).get(30, TimeUnit.SECONDS);
                assertEquals(200, reply.statusCode(), reply.body());
                assertEquals("Echo: n" + i, json(reply).at("/choices/0/message/content").asText());
            }
        } finally {
            upstream.setDefault(Script.ok());
        }
    }

    @Test
    void aRevokedTokenDropsItsConnectorsWithinFiveSecondsAndCannotReconnect() throws Exception {
        HttpResponse<String> issued = post("/admin/v1/deployments/" + deployment + "/connector-tokens", "{}");
        String token = json(issued).get("token").asText();
        String id = json(issued).get("id").asText();
        Connector c = online(token);
        HttpResponse<String> revoked = post("/admin/v1/connector-tokens/" + id + "/revoke", "");
        assertEquals(200, revoked.statusCode(), revoked.body());
        assertTrue(json(revoked).get("revoked_at").isIntegralNumber());
        waitFor("the revoked connector dropped", 5_000, () -> !anyOnline());
        Thread.sleep(1500); // it tries again, and is refused
        assertFalse(c.isOnline());
        assertFalse(anyOnline());
        assertError(post("/admin/v1/connector-tokens/ctok_nope/revoke", ""), 404, "connector_token_not_found");
    }

    @Test
    void aBadTokenIsRefusedAndASilentConnectorIsOfflineWithinTenSeconds() throws Exception {
        List<Frame> frames = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                partial.writeBytes(bytes);
                if (last) {
                    frames.add(org.cameltaas.connector.protocol.FrameCodec.decode(io.netty.buffer.Unpooled.wrappedBuffer(partial.toByteArray())));
                    partial.reset();
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(null);
            }
        };
        URI tunnel = URI.create("ws://127.0.0.1:" + port + "/connect/v1");
        WebSocket bad = http.newWebSocketBuilder().subprotocols("taas-tunnel.v1").buildAsync(tunnel, listener).get(10, TimeUnit.SECONDS);
        bad.sendBinary(ByteBuffer.wrap(hello("taasc_not_a_real_token")), true).get(5, TimeUnit.SECONDS);
        closed.get(10, TimeUnit.SECONDS);
        assertEquals(FrameType.GOAWAY, frames.get(frames.size() - 1).type());
        assertTrue(frames.get(frames.size() - 1).text().contains("invalid or revoked connector token"));

        // a valid token, but a HELLO that claims a deployment the token does not name
        frames.clear();
        CompletableFuture<Void> claimClosed = new CompletableFuture<>();
        WebSocket claiming = http.newWebSocketBuilder().subprotocols("taas-tunnel.v1").buildAsync(tunnel, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                frames.add(org.cameltaas.connector.protocol.FrameCodec.decode(io.netty.buffer.Unpooled.wrappedBuffer(bytes)));
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                claimClosed.complete(null);
                return null;
            }
        }).get(10, TimeUnit.SECONDS);
        byte[] claim = ("{\"tokens\":[\"" + connectorToken + "\"],\"version\":\"test/1\",\"deployments\":[\"someone-elses\"]}").getBytes();
        claiming.sendBinary(ByteBuffer.wrap(ByteBuffer.allocate(5 + claim.length).put((byte) FrameType.HELLO.code()).putInt(0)
                .put(claim).array()), true).get(5, TimeUnit.SECONDS);
        claimClosed.get(10, TimeUnit.SECONDS);
        assertTrue(frames.get(frames.size() - 1).text().contains("do not name the deployment someone-elses"), frames.toString());
        assertFalse(anyOnline());

        frames.clear();
        CompletableFuture<Void> silentClosed = new CompletableFuture<>();
        WebSocket silent = http.newWebSocketBuilder().subprotocols("taas-tunnel.v1").buildAsync(tunnel, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                ws.request(1); // reads the gateway's PINGs but never answers them
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                silentClosed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                silentClosed.complete(null);
            }
        }).get(10, TimeUnit.SECONDS);
        silent.sendBinary(ByteBuffer.wrap(hello(connectorToken)), true).get(5, TimeUnit.SECONDS);
        waitFor("the silent connector online", 5_000, ConnectorTunnelTest::anyOnline);
        long since = System.nanoTime();
        waitFor("the silent connector offline", 13_000, () -> !anyOnline());
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
        assertTrue(took >= 8_000 && took <= 12_000, "offline after " + took + " ms of silence");
        assertError(chat(projectToken, "gemma-tunnel", false), 503, "connector_offline");
        silentClosed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void theOpenAiNpmClientThroughTheTunnelAndAnOfflineDeployment() throws Exception {
        online(connectorToken);
        String offline = "offline-" + System.nanoTime();
        assertEquals(201, post("/admin/v1/deployments", "{\"name\":\"" + offline + "\",\"project_id\":\"" + project + "\"}").statusCode());
        NodeClients.requirePackage("openai");
        NodeClients.Run run = NodeClients.node("connector-tunnel.mjs", Map.of("TAAS_BASE_URL", base() + "/v1", "TAAS_KEY", projectToken,
                "TAAS_MODEL", "gemma-tunnel", "TAAS_OFFLINE_MODEL", offline), 90);
        assertTrue(run.finished(), run.output());
        assertEquals(0, run.exitCode(), run.output());
        assertTrue(run.output().contains("{\"check\":\"chat\",\"content\":\"Echo: node through the tunnel\"}"), run.output());
        assertTrue(run.output().contains("{\"check\":\"stream\",\"content\":\"Echo: node streams\"}"), run.output());
        assertTrue(run.output().contains("{\"check\":\"offline\",\"status\":503,\"code\":\"connector_offline\"}"), run.output());
    }

    @Test
    void theConnectorProgramInItsOwnProcessKilledWithSigkillMidStream() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.cameltaas.connector.ConnectorMain", "--gateway", base(), "--target", upstream.baseUrl() + "/v1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TAAS_CONNECTOR_TOKEN", connectorToken); // the token from the environment, not the command line
        Process process = pb.start();
        try {
            waitFor("the connector process online", 30_000, ConnectorTunnelTest::anyOnline);
            assertEquals(200, chat(projectToken, "gemma-tunnel", false).statusCode());
            upstream.enqueue(Script.ok().reply("alpha beta gamma delta epsilon zeta eta theta iota kappa")
                    .chunkDelay(Duration.ofMillis(300)));
            HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer " + projectToken).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gemma-tunnel\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"k\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            List<String> lines = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> read = CompletableFuture.runAsync(() -> response.body().forEach(line -> {
                lines.add(line);
                if (line.contains("\"content\":\"alpha\"")) {
                    process.destroyForcibly(); // SIGKILL: no goodbye from the connector
                }
            }));
            read.get(30, TimeUnit.SECONDS);
            String all = String.join("\n", lines);
            assertTrue(all.contains("\"error\""), all);
            assertFalse(all.contains("kappa"), all);
            waitFor("offline", 12_000, () -> !anyOnline());
            assertError(chat(projectToken, "gemma-tunnel", false), 503, "connector_offline");
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientThatDoesNotReadHoldsBackOnlyItsOwnStream() throws Exception {
        online(connectorToken);
        int words = 100_000; // an SSE reply of ~20 MB: far more than every buffer on the way together
        upstream.enqueue(Script.ok().reply("w ".repeat(words).strip()));
        try (java.net.Socket stalled = new java.net.Socket("127.0.0.1", port)) {
            String body = "{\"model\":\"gemma-tunnel\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"big\"}]}";
            stalled.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + projectToken
                    + "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            stalled.getOutputStream().flush();
            waitFor("the big reply under way", 10_000, () -> tunnelBytesIn() > 1_000_000);
            // another stream through the same tunnel is not held back by the one that is
            long started = System.nanoTime();
            HttpResponse<String> other = chat(projectToken, "gemma-tunnel", true);
            assertEquals(200, other.statusCode());
            assertTrue(other.body().contains("[DONE]"), other.body());
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 5_000, "the other stream was not held back");
            // the socket buffers on the client's side fill, then the stream stops at its window
            long first = tunnelBytesIn();
            long second = first;
            for (int i = 0; i < 15; i++) {
                Thread.sleep(1000);
                second = tunnelBytesIn();
                if (second - first < 256 * 1024) {
                    break;
                }
                first = second;
            }
            System.out.println("a stalled stream's reply stopped after " + second + " bytes through the tunnel");
            assertTrue(second - first < 256 * 1024, "the stalled stream stopped: " + first + " then " + second);
            assertTrue(second < 12_000_000, "bytes through the tunnel while the client did not read: " + second);
            // the client reads now: the whole reply arrives, nothing lost
            stalled.setSoTimeout(30_000);
            byte[] all = stalled.getInputStream().readNBytes(40_000_000);
            String text = new String(all, java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(text.contains("data: [DONE]"), text.substring(Math.max(0, text.length() - 300)));
            int count = 0;
            for (int i = text.indexOf("\"content\":\""); i >= 0; i = text.indexOf("\"content\":\"", i + 1)) {
                count++;
            }
            assertTrue(count >= words, "content events: " + count);
        }
    }

    private static long tunnelBytesIn() {
        try {
            long sum = 0;
            for (JsonNode c : json(get("/admin/v1/deployments/" + deployment, MASTER_KEY)).get("connectors")) {
                if (c.get("online").asBoolean()) {
                    sum += c.get("bytes_in").asLong();
                }
            }
            return sum;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDeploymentsRouteFallsBackFromThePrivateDeploymentToAPublicOne() throws Exception {
        // what an operator's YAML templatedRoute of the "deployments" template makes
        if (gateway.getCamelContext().getRoute("model-private-first") == null) {
            gateway.getCamelContext().addRouteFromTemplate("model-private-first", "deployments",
                    Map.of("name", "private-first", "deployments", "gemma-tunnel,gpt-4o", "sticky", "false"));
        }
        HttpResponse<String> offline = chat(MASTER_KEY, "private-first", false);
        assertEquals(200, offline.statusCode(), offline.body());
        assertEquals("gpt-4o", upstream.lastRequest().bodyJson().get("model").asText(), "no connector: the public deployment");
        online(connectorToken);
        HttpResponse<String> privately = chat(MASTER_KEY, "private-first", false);
        assertEquals(200, privately.statusCode(), privately.body());
        assertEquals("gemma-tunnel", upstream.lastRequest().bodyJson().get("model").asText(), "connector online: the private one");
        assertNull(upstream.lastRequest().header("authorization"));
    }

    private static byte[] hello(String token) {
        byte[] payload = ("{\"tokens\":[\"" + token + "\"],\"version\":\"test/1\"}").getBytes();
        return ByteBuffer.allocate(5 + payload.length).put((byte) FrameType.HELLO.code()).putInt(0).put(payload).array();
    }

    @Test
    void theTunnelPathIsNoHttpEndpoint() throws Exception {
        HttpResponse<String> plain = get("/connect/v1", MASTER_KEY);
        assertError426(plain);
        assertEquals(426, post("/connect/v1", "{}").statusCode());
        // an upgrade without its key: 400 in the envelope, and the gateway goes on serving
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /connect/v1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 400") && answer.contains("Sec-WebSocket-Key"), answer);
        }
        assertEquals(200, get("/v1/models", MASTER_KEY).statusCode());
    }

    private static void assertError426(HttpResponse<String> response) {
        assertEquals(426, response.statusCode(), response.body());
        assertTrue(response.body().contains("upgrade_required"));
    }
}
