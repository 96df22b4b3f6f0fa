package org.cameltaas.component.conformance;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.component.TaasStream;
import org.cameltaas.component.TaasUpstreamException;
import org.cameltaas.component.TaasUsage;
import org.cameltaas.component.http.SseEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The protocol conformance suite: runs every golden transcript under {@code src/test/resources/conformance/}
 * (one JSON file per case, see docs/conformance.md). For each case a loopback upstream is started that records
 * the request and answers with the case's upstream reply byte for byte; the case's request is sent through its
 * {@code taas:} endpoint, and the request the upstream received, the reply (or the events, in order), the usage
 * and any expected refusal are compared with the golden values. Adding a case is adding a file.
 */
class ConformanceTest {

    static final String API_KEY = "conformance-key-0123456789";
    private static final String ROOT = "conformance";
    private static final long WAIT_SECONDS = 15;

    private static CamelContext context;
    private static ProducerTemplate template;

    @BeforeAll
    static void startCamel() {
        context = new DefaultCamelContext();
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterAll
    static void stopCamel() {
        if (template != null) {
            template.stop();
        }
        if (context != null) {
            context.stop();
        }
    }

    static Stream<Arguments> cases() throws IOException, URISyntaxException {
        URL root = ConformanceTest.class.getClassLoader().getResource(ROOT);
        if (root == null) {
            throw new IllegalStateException("no " + ROOT + "/ folder on the test class path");
        }
        Path dir = Paths.get(root.toURI());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".json") && Files.isRegularFile(p)).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no conformance cases under " + dir);
        }
        return files.stream().map(p -> Arguments.of(dir.relativize(p).toString().replace('\\', '/'), p));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void conforms(String name, Path file) throws Exception {
        GoldenCase golden = GoldenCase.read(name, file);
        List<String> failures = run(golden);
        if (failures.isEmpty()) {
            if (golden.knownIssue != null) {
                fail(name + " is marked as a known issue but conforms now: remove \"knownIssue\" from the case file.\n"
                        + "Known issue was: " + golden.knownIssue);
            }
            return;
        }
        String report = name + " (" + golden.description + ") does not conform:\n- "
                + String.join("\n- ", failures);
        System.out.println(report);
        if (golden.knownIssue != null) {
            Assumptions.assumeTrue(false, "known issue: " + golden.knownIssue + "\n" + report);
        }
        fail(report);
    }

    /** Runs one case; the list of ways it does not conform, empty when it does. */
    private List<String> run(GoldenCase golden) throws Exception {
        List<String> failures = new ArrayList<>();
        try (LoopbackUpstream upstream = new LoopbackUpstream(golden.replyStatus, golden.replyHeaders, golden.replyBytes)) {
            String uri = "taas:" + golden.operation + "?baseUrl=" + upstream.baseUrl(golden.basePath) + "&apiKey=RAW("
                    + API_KEY + ")" + (golden.options.isEmpty() ? "" : "&" + golden.options)
                    + (golden.options.contains("firstTokenTimeout=") ? "" : "&firstTokenTimeout=10s")
                    + (golden.options.contains("totalTimeout=") ? "" : "&totalTimeout=20s");
            Exchange exchange = template.request(uri, e -> {
                e.getMessage().setBody(golden.requestBody);
                golden.exchangeHeaders.forEach(e.getMessage()::setHeader);
            });

            Throwable error = exchange.getException();
            JsonNode actualReply = null;
            TaasUsage usage = null;
            if (error == null) {
                Object body = exchange.getMessage().getBody();
                if (golden.streamExpected()) {
                    if (body instanceof TaasStream stream) {
                        Drained drained = drain(stream);
                        actualReply = drained.events;
                        if (golden.expectedStreamError != null) {
                            if (drained.error == null) {
                                failures.add("expected the stream to end with a "
                                        + golden.expectedStreamError.get("type").asText() + " but it completed");
                            } else {
                                checkError(golden.expectedStreamError, drained.error, failures);
                            }
                        } else if (drained.error != null) {
                            failures.add("the stream ended with " + describe(drained.error) + " after events:\n"
                                    + eventsText(drained.events));
                        }
                        usage = stream.completion().get(WAIT_SECONDS, TimeUnit.SECONDS).usage();
                    } else {
                        failures.add("expected a stream (TaasStream) but the body is " + typeOf(body) + ": " + body);
                    }
                } else if (golden.expectedReply != null) {
                    if (body instanceof JsonNode json) {
                        actualReply = json;
                    } else {
                        failures.add("expected a JSON body (JsonNode) but the body is " + typeOf(body) + ": " + body);
                    }
                    usage = exchange.getMessage().getHeader(TaasConstants.USAGE, TaasUsage.class);
                }
            }

            checkUpstreamRequest(golden, upstream.received(), failures);

            if (golden.expectedError != null) {
                checkError(golden.expectedError, error, failures);
                return failures;
            }
            if (error != null) {
                failures.add("the call failed with " + describe(error));
                return failures;
            }
            if (actualReply != null) {
                String difference = JsonMatcher.firstDifference(golden.expectedReply, actualReply,
                        golden.streamExpected() ? "events" : "reply");
                if (difference != null) {
                    failures.add(difference + "\n  actual " + (golden.streamExpected()
                            ? "events:\n" + eventsText(actualReply) : "reply:\n" + JsonMatcher.pretty(actualReply)));
                }
            }
            if (golden.expectedUsage != null) {
                checkUsage(golden.expectedUsage, usage, failures);
            }
            if (golden.expectedExchangeHeaders != null) {
                checkExchangeHeaders(golden.expectedExchangeHeaders, exchange, failures);
            }
        }
        return failures;
    }

    private static void checkUpstreamRequest(GoldenCase golden, List<LoopbackUpstream.Received> received,
                                             List<String> failures) {
        JsonNode expected = golden.expectedUpstreamRequest;
        if (expected == null) {
            if (!received.isEmpty()) {
                LoopbackUpstream.Received first = received.get(0);
                failures.add("expected nothing to be sent upstream, but the upstream received " + received.size()
                        + " request(s), the first: " + first.method() + " " + first.pathAndQuery() + " "
                        + new String(first.body(), StandardCharsets.UTF_8));
            }
            return;
        }
        if (received.size() != 1) {
            failures.add("expected exactly one upstream request but the upstream received " + received.size());
            if (received.isEmpty()) {
                return;
            }
        }
        LoopbackUpstream.Received request = received.get(0);
        String method = expected.get("method").asText();
        if (!method.equals(request.method())) {
            failures.add("upstream request method: expected " + method + " but was " + request.method());
        }
        String path = expected.get("path").asText();
        if (!path.equals(request.pathAndQuery())) {
            failures.add("upstream request path: expected " + path + " but was " + request.pathAndQuery());
        }
        JsonNode headers = expected.get("headers");
        if (headers != null && headers.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = headers.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> header = fields.next();
                String actual = request.headers().getFirst(header.getKey());
                JsonNode want = header.getValue();
                if (want.isNull()) {
                    if (actual != null) {
                        failures.add("upstream request header " + header.getKey() + ": expected none but was '" + actual
                                + "'");
                    }
                } else if (actual == null) {
                    failures.add("upstream request header " + header.getKey() + ": expected '" + want.asText()
                            + "' but it is absent");
                } else if (!JsonMatcher.ANY.equals(want.asText()) && !want.asText().equals(actual)) {
                    failures.add("upstream request header " + header.getKey() + ": expected '" + want.asText()
                            + "' but was '" + actual + "'");
                }
            }
        }
        String rawBody = new String(request.body(), StandardCharsets.UTF_8);
        JsonNode expectedRaw = expected.get("rawBody");
        if (expectedRaw != null && !expectedRaw.isNull()) {
            String want = GoldenCase.SAME_AS_REQUEST.equals(expectedRaw.asText())
                    ? new String(golden.requestBody instanceof byte[] b ? b
                    : String.valueOf(golden.requestBody).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                    : expectedRaw.asText();
            if (!want.equals(rawBody)) {
                failures.add("upstream request body is not byte-identical: " + firstTextDifference(want, rawBody)
                        + "\n  expected: " + want + "\n  actual:   " + rawBody);
            }
        }
        JsonNode expectedBody = expected.get("body");
        if (expectedBody != null) {
            JsonNode actualBody;
            try {
                actualBody = request.body().length == 0 ? null : JsonMatcher.MAPPER.readTree(request.body());
            } catch (IOException e) {
                failures.add("upstream request body is not JSON: " + rawBody);
                return;
            }
            String difference = JsonMatcher.firstDifference(expectedBody.isNull() ? null : expectedBody, actualBody,
                    "upstreamRequest.body");
            if (difference != null) {
                failures.add(difference + "\n  actual upstream request body:\n"
                        + (actualBody == null ? "(none)" : JsonMatcher.pretty(actualBody)));
            }
        }
    }

    private static void checkError(JsonNode expected, Throwable error, List<String> failures) {
        String type = expected.get("type").asText();
        if (error == null) {
            failures.add("expected the call to fail with " + type + " but it succeeded");
            return;
        }
        if (!type.equals(error.getClass().getSimpleName())) {
            failures.add("expected a " + type + " but the call failed with " + describe(error));
            return;
        }
        String message = String.valueOf(error.getMessage());
        JsonNode startsWith = expected.get("messageStartsWith");
        if (startsWith != null && !message.startsWith(startsWith.asText())) {
            failures.add("expected the error message to start with '" + startsWith.asText() + "' but it is '" + message
                    + "'");
        }
        JsonNode contains = expected.get("messageContains");
        if (contains != null && !message.contains(contains.asText())) {
            failures.add("expected the error message to contain '" + contains.asText() + "' but it is '" + message + "'");
        }
        if (error instanceof TaasUpstreamException upstream) {
            Map<String, String> actual = new java.util.HashMap<>();
            actual.put("failure", String.valueOf(upstream.getFailure()));
            actual.put("statusCode", String.valueOf(upstream.getStatusCode()));
            actual.put("gatewayStatus", String.valueOf(upstream.getGatewayStatus()));
            actual.put("errorType", String.valueOf(upstream.getErrorType()));
            actual.put("upstreamMessage", String.valueOf(upstream.getUpstreamMessage()));
            for (String field : actual.keySet()) {
                JsonNode want = expected.get(field);
                if (want != null && !want.asText().equals(actual.get(field))) {
                    failures.add("error " + field + ": expected " + want.asText() + " but was " + actual.get(field)
                            + " (" + message + ")");
                }
            }
        }
    }

    private static void checkUsage(JsonNode expected, TaasUsage usage, List<String> failures) {
        if (usage == null) {
            failures.add("expected usage " + expected + " but the call reported none");
            return;
        }
        Map<String, Integer> actual = Map.of("promptTokens", usage.promptTokens(),
                "completionTokens", usage.completionTokens(), "totalTokens", usage.totalTokens(),
                "cachedTokens", usage.cachedTokens(), "reasoningTokens", usage.reasoningTokens());
        for (Iterator<Map.Entry<String, JsonNode>> fields = expected.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            Integer value = actual.get(field.getKey());
            if (value == null) {
                failures.add("expectedUsage." + field.getKey() + " is not a usage field; use one of " + actual.keySet());
            } else if (value != field.getValue().asInt()) {
                failures.add("usage." + field.getKey() + ": expected " + field.getValue().asInt() + " but was " + value
                        + " (usage " + usage + ")");
            }
        }
    }

    private static void checkExchangeHeaders(JsonNode expected, Exchange exchange, List<String> failures) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = expected.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            Object actual = exchange.getMessage().getHeader(field.getKey());
            JsonNode want = field.getValue();
            if (want.isNull() ? actual != null : actual == null || !want.asText().equals(String.valueOf(actual))) {
                failures.add("exchange header " + field.getKey() + ": expected " + want + " but was " + actual);
            }
        }
    }

    /** The events of a stream as {@code [{"event": name or null, "data": JSON, or the text when not JSON}]}. */
    private record Drained(ArrayNode events, Throwable error) {
    }

    private static Drained drain(TaasStream stream) throws Exception {
        List<SseEvent> events = new ArrayList<>();
        CompletableFuture<Throwable> end = new CompletableFuture<>();
        stream.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(SseEvent event) {
                synchronized (events) {
                    events.add(event);
                }
            }

            @Override
            public void onError(Throwable throwable) {
                end.complete(throwable);
            }

            @Override
            public void onComplete() {
                end.complete(null);
            }
        });
        Throwable error;
        try {
            error = end.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            error = new TimeoutException("the stream did not end within " + WAIT_SECONDS + " s");
        }
        ArrayNode json = JsonMatcher.MAPPER.createArrayNode();
        synchronized (events) {
            for (SseEvent event : events) {
                ObjectNode item = json.addObject();
                item.put("event", event.event());
                JsonNode data;
                try {
                    data = event.isDone() ? null : JsonMatcher.MAPPER.readTree(event.data());
                } catch (IOException e) {
                    data = null;
                }
                if (data == null) {
                    item.put("data", event.data());
                } else {
                    item.set("data", data);
                }
            }
        }
        return new Drained(json, error);
    }

    private static String eventsText(JsonNode events) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            text.append("    [").append(i).append("] ")
                    .append(event.get("event").isNull() ? "(unnamed)" : event.get("event").asText()).append(' ')
                    .append(event.get("data").isTextual() ? event.get("data").asText() : event.get("data").toString())
                    .append('\n');
        }
        return text.toString();
    }

    private static String firstTextDifference(String expected, String actual) {
        int common = Math.min(expected.length(), actual.length());
        for (int i = 0; i < common; i++) {
            if (expected.charAt(i) != actual.charAt(i)) {
                return "first difference at character " + i + " (expected '" + expected.charAt(i) + "', was '"
                        + actual.charAt(i) + "')";
            }
        }
        return "one is a prefix of the other (expected " + expected.length() + " characters, was " + actual.length()
                + ")";
    }

    private static String describe(Throwable error) {
        String text = error.getClass().getName() + ": " + error.getMessage();
        Throwable cause = error.getCause();
        if (cause != null && cause != error) {
            text += " (caused by " + cause.getClass().getName() + ": " + cause.getMessage() + ")";
        }
        return text + Arrays.stream(error.getStackTrace()).limit(4).map(s -> "\n      at " + s)
                .collect(Collectors.joining());
    }

    private static String typeOf(Object body) {
        return body == null ? "null" : body.getClass().getName();
    }
}
