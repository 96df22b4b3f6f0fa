package org.cameltaas.gateway;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.cameltaas.testkit.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A taas call made while handling a camel-netty-http request runs on that request's event loop, and the route
 * resumes on the thread it ran on before the call: camel-netty's executor (where a step may block) by default, the
 * event loop itself with {@code usingExecutorService=false}. A call from another thread (a wireTap copy) leaves both
 * alone.
 */
class UpstreamThreadingTest {

    private FakeUpstream upstream;
    private CamelContext context;
    private final Map<String, String> threads = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        context = new DefaultCamelContext();
        int executorPort = freePort();
        int loopPort = freePort();
        String taas = "taas:chatCompletions?baseUrl=" + upstream.baseUrl() + "/v1&apiKey=RAW(sk-test)&model=fake-gpt";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("netty-http:http://127.0.0.1:" + executorPort + "/executor")
                        .process(e -> threads.put("executor-before", Thread.currentThread().getName()))
                        .setBody(constant("hello"))
                        .to(taas)
                        .process(e -> threads.put("executor-after", Thread.currentThread().getName()))
                        .setBody(constant("ok"));
                from("netty-http:http://127.0.0.1:" + loopPort + "/loop?usingExecutorService=false")
                        .process(e -> threads.put("loop-before", Thread.currentThread().getName()))
                        .setBody(constant("hello"))
                        .to(taas)
                        .process(e -> threads.put("loop-after", Thread.currentThread().getName()))
                        .wireTap("direct:tapped")
                        .setBody(constant("ok"));
                from("direct:tapped")
                        .process(e -> threads.put("tap-before", Thread.currentThread().getName()))
                        .setBody(constant("hello again"))
                        .to(taas)
                        .process(e -> threads.put("tap-after", Thread.currentThread().getName()));
            }
        });
        context.start();
        get("http://127.0.0.1:" + executorPort + "/executor");
        get("http://127.0.0.1:" + loopPort + "/loop");
        for (int i = 0; i < 100 && !threads.containsKey("tap-after"); i++) {
            Thread.sleep(50); // the wireTap copy finishes on its own
        }
    }

    @AfterEach
    void stop() {
        context.stop();
        upstream.close();
    }

    @Test
    void theRouteResumesOnTheThreadItRanOn() {
        assertTrue(threads.get("executor-before").contains("NettyConsumerExecutorGroup"), threads.toString());
        assertEquals(threads.get("executor-before"), threads.get("executor-after"), threads.toString());
        assertTrue(threads.get("loop-before").contains("NettyServerTCPWorker"), threads.toString());
        assertEquals(threads.get("loop-before"), threads.get("loop-after"), threads.toString());
    }

    @Test
    void aCopyOnAnotherThreadResumesOnTheWorkerPoolNotTheRequestsEventLoop() {
        String after = threads.get("tap-after");
        assertTrue(after != null && after.contains("TaasHttpClient"), threads.toString());
        assertEquals(3, upstream.requestCount(), "three calls: the two requests and the copy");
    }

    private static void get(String uri) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(uri)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("ok", response.body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
