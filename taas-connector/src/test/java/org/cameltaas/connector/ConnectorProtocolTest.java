package org.cameltaas.connector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.cameltaas.connector.protocol.Frame;
import org.cameltaas.connector.protocol.FrameCodec;
import org.cameltaas.connector.protocol.FrameType;
import org.cameltaas.connector.protocol.Tunnel;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The connector against a scripted gateway (a plain Netty WebSocket server speaking the tunnel protocol) and the
 * fake upstream as its target: HELLO, a stream forwarded and answered, the reply window honoured, and a gateway
 * that goes silent left and dialled again within the offline time.
 */
class ConnectorProtocolTest {

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Long> connections = new LinkedBlockingQueue<>();
    private volatile Channel tunnel;
    private FakeUpstream upstream;
    private Connector connector;
    private int port;

    @BeforeEach
    void start() throws Exception {
        upstream = FakeUpstream.start();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(Tunnel.PATH, Tunnel.SUBPROTOCOL, false, FrameCodec.HEADER + Tunnel.MAX_PAYLOAD),
                                new SimpleChannelInboundHandler<BinaryWebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                                            tunnel = ctx.channel();
                                            connections.add(System.nanoTime());
                                        }
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, BinaryWebSocketFrame msg) {
                                        received.add(FrameCodec.decode(msg.content()));
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        port = ((java.net.InetSocketAddress) server.localAddress()).getPort();
        connector = new Connector(ConnectorSettings.parse(new String[] {"--gateway", "http://127.0.0.1:" + port, "--token", "taasc_t1",
                "--target", upstream.baseUrl() + "/v1"}, Map.of())).start();
    }

    @AfterEach
    void stop() {
        connector.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        upstream.close();
    }

    private void send(Frame frame) {
        tunnel.writeAndFlush(new BinaryWebSocketFrame(FrameCodec.encode(tunnel.alloc(), frame)));
    }

    private Frame next(FrameType type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Frame frame = received.poll(100, TimeUnit.MILLISECONDS);
            if (frame != null && frame.type() == type) {
                return frame;
            }
        }
        throw new AssertionError("no " + type + " within 15 s");
    }

    private void welcome() throws InterruptedException {
        Frame hello = next(FrameType.HELLO);
        ObjectNode json = Tunnel.read(hello);
        assertEquals("taasc_t1", json.get("tokens").get(0).asText());
        assertTrue(json.get("version").asText().startsWith("camel-taas-connector/"));
        send(new Frame(FrameType.WELCOME, 0, ("{\"connector_id\":\"c1\",\"deployments\":[{\"id\":\"dep_1\",\"name\":\"d\",\"models\":[\"m\"]}]}")
                .getBytes(StandardCharsets.UTF_8)));
    }

    private void request(int stream, String body) {
        send(new Frame(FrameType.REQUEST_HEAD, stream, ("{\"deployment\":\"dep_1\",\"method\":\"POST\",\"path\":\"/chat/completions\","
                + "\"headers\":{\"content-type\":[\"application/json\"],\"authorization\":[\"Bearer gateway-secret\"]}}")
                .getBytes(StandardCharsets.UTF_8)));
        send(new Frame(FrameType.REQUEST_BODY, stream, body.getBytes(StandardCharsets.UTF_8)));
        send(Frame.of(FrameType.REQUEST_END, stream));
    }

    @Test
    void aStreamIsForwardedToTheTargetAndItsReplyHonoursTheWindow() throws Exception {
        welcome();
        connector.online().get(10, TimeUnit.SECONDS);
        request(1, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Frame head = next(FrameType.REPLY_HEAD);
        assertEquals(1, head.stream());
        assertEquals(200, Tunnel.read(head).get("status").asInt());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Frame frame;
        while ((frame = received.poll(10, TimeUnit.SECONDS)).type() == FrameType.REPLY_BODY) {
            body.writeBytes(frame.payload());
        }
        assertEquals(FrameType.REPLY_END, frame.type());
        assertTrue(body.toString(StandardCharsets.UTF_8).contains("Echo: hi"), body.toString(StandardCharsets.UTF_8));
        assertEquals("/v1/chat/completions", upstream.lastRequest().path());
        assertNull(upstream.lastRequest().header("authorization"), "the gateway's credentials stay in the tunnel");

        // a reply of ~400 KB with no WINDOW: the connector stops near its 128 KiB window
        upstream.enqueue(Script.ok().reply("w ".repeat(200_000).strip()));
        request(3, "{\"model\":\"m\",\"stream\":false,\"messages\":[{\"role\":\"user\",\"content\":\"big\"}]}");
        next(FrameType.REPLY_HEAD);
        long sent = 0;
        while ((frame = received.poll(1500, TimeUnit.MILLISECONDS)) != null) {
            assertEquals(FrameType.REPLY_BODY, frame.type());
            sent += frame.payload().length;
        }
        assertTrue(sent >= Tunnel.INITIAL_WINDOW / 2 && sent <= Tunnel.INITIAL_WINDOW + Tunnel.MAX_PAYLOAD,
                "sent without credit: " + sent);
        // credit it all as it comes: the rest arrives, then REPLY_END
        long total = sent;
        send(Frame.window(3, (int) sent));
        while (true) {
            frame = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(frame, "the reply went on after WINDOW");
            if (frame.type() == FrameType.REPLY_END) {
                break;
            }
            total += frame.payload().length;
            send(Frame.window(3, frame.payload().length));
        }
        assertTrue(total > 400_000, "the whole reply (200,000 two-byte words and its JSON): " + total);
    }

    @Test
    void aGatewayThatGoesSilentIsLeftAndDialledAgain() throws Exception {
        welcome(); // then nothing: no PONG, no PING
        connector.online().get(10, TimeUnit.SECONDS);
        long first = connections.poll(5, TimeUnit.SECONDS);
        Long second = connections.poll(16, TimeUnit.SECONDS);
        assertNotNull(second, "the connector dialled again");
        long after = TimeUnit.NANOSECONDS.toMillis(second - first);
        assertTrue(after >= Tunnel.OFFLINE_MILLIS - 500 && after <= Tunnel.OFFLINE_MILLIS + 3_000, "dialled again after " + after + " ms");
        assertEquals(FrameType.HELLO, next(FrameType.HELLO).type());
    }
}
