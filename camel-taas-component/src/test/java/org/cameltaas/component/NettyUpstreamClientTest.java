package org.cameltaas.component;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;


import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.component.http.JdkUpstreamHttp;
import org.cameltaas.component.http.NettyUpstreamHttp;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the Netty client (the default) owes its callers beyond what every test of the component checks. */
class NettyUpstreamClientTest extends TaasTestSupport {

    private static final String CHAT = "{\"model\":\"fake-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String REPLY = "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";

    @Test
    void theClientIsChosenByTheUpstreamClientOption() {
        assertInstanceOf(NettyUpstreamHttp.class, ((TaasEndpoint) context.getEndpoint(uri("chatCompletions", null))).upstreamHttp());
        assertInstanceOf(JdkUpstreamHttp.class,
                ((TaasEndpoint) context.getEndpoint(uri("chatCompletions", "upstreamClient=jdk"))).upstreamHttp());
    }

    @Test
    void sequentialCallsReuseKeptAliveConnections() {
        for (int i = 0; i < 20; i++) {
            assertNull(call(uri("chatCompletions", null), CHAT).getException());
        }
        assertEquals(20, upstream.requestCount());
        // calls from outside a Netty request take turns on the client's event loops, each with its own connections
        int loops = Runtime.getRuntime().availableProcessors();
        assertTrue(upstream.openConnections() <= loops, upstream.openConnections() + " connections for 20 sequential calls");
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsNotReused() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch firstClosed = new CountDownLatch(1);
            Thread serving = new Thread(() -> {
                // each connection gets one keep-alive reply, then the server closes it (as servers do after their idle
                // time-out); at most three connections, so the thread ends by itself
                for (int i = 0; i < 3; i++) {
                    try (Socket socket = server.accept()) {
                        connections.incrementAndGet();
                        readRequest(socket.getInputStream());
                        byte[] body = REPLY.getBytes(StandardCharsets.UTF_8);
                        OutputStream out = socket.getOutputStream();
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                                   + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body);
                        out.flush();
                    } catch (Exception e) {
                        return;
                    } finally {
                        firstClosed.countDown();
                    }
                }
            }, "idle-closing-upstream");
            serving.setDaemon(true);
            serving.start();
            String uri = "taas:chatCompletions?baseUrl=http://127.0.0.1:" + server.getLocalPort() + "/v1&apiKey=RAW(" + API_KEY + ")";

            assertNull(call(uri, CHAT).getException());
            assertTrue(firstClosed.await(5, TimeUnit.SECONDS));
            Thread.sleep(200); // the close reaches the client's idle connection (well under a millisecond on loopback)
            Exchange second = call(uri, CHAT);
            assertNull(second.getException(), () -> "the second call failed: " + second.getException());
            assertEquals("ok", second.getMessage().getBody(JsonNode.class).at("/choices/0/message/content").asText());
            assertEquals(2, connections.get(), "the closed connection was replaced, not reused");
        }
    }

    @Test
    void aMalformedReplyFailsTheCallAndItsConnectionIsNotReused() throws Exception {
        try (RawUpstream server = new RawUpstream(first -> first
                ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"ok\"\r\nZZ\r\n"
                : ok())) {
            Exchange bad = call(server.uri(), CHAT);
            TaasRetryableException error = assertInstanceOf(TaasRetryableException.class, bad.getException());
            assertTrue(error.getMessage().contains("malformed"), error.getMessage());
            Exchange next = call(server.uri(), CHAT);
            assertNull(next.getException(), () -> "the next call failed: " + next.getException());
            assertEquals(2, server.connections.get(), "the broken connection was closed, not reused");
        }
    }

    @Test
    void interimRepliesAreSkipped() throws Exception {
        try (RawUpstream server = new RawUpstream(first -> "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n" + ok())) {
            Exchange reply = call(server.uri(), CHAT);
            assertNull(reply.getException(), () -> "failed: " + reply.getException());
            assertEquals("ok", reply.getMessage().getBody(JsonNode.class).at("/choices/0/message/content").asText());
        }
    }

    private static String ok() {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
               + REPLY.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + REPLY;
    }

    /** A loopback server that answers requests with a canned reply (the very first request: its own). */
    private static final class RawUpstream implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();

        RawUpstream(java.util.function.Function<Boolean, String> replyToFirst) throws java.io.IOException {
            Thread serving = new Thread(() -> {
                for (int i = 0; i < 4; i++) { // a few connections at most: the thread ends by itself
                    try {
                        Socket socket = server.accept();
                        connections.incrementAndGet();
                        Thread connection = new Thread(() -> {
                            try (socket) {
                                for (int request = 0; request < 8; request++) { // bounded: the thread ends by itself
                                    readRequest(socket.getInputStream());
                                    socket.getOutputStream().write(replyToFirst.apply(requests.getAndIncrement() == 0).getBytes(StandardCharsets.UTF_8));
                                    socket.getOutputStream().flush();
                                }
                            } catch (Exception e) {
                                // the client closed the connection
                            }
                        });
                        connection.setDaemon(true);
                        connection.start();
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "raw-upstream");
            serving.setDaemon(true);
            serving.start();
        }

        String uri() {
            return "taas:chatCompletions?baseUrl=http://127.0.0.1:" + server.getLocalPort() + "/v1&apiKey=RAW(" + API_KEY + ")";
        }

        @Override
        public void close() throws java.io.IOException {
            server.close();
        }
    }

    private static void readRequest(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException();
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase();
        int at = lower.indexOf("content-length:");
        int length = at < 0 ? 0 : Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        in.readNBytes(length);
    }

}
