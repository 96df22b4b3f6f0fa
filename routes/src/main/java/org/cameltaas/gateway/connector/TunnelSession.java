package org.cameltaas.gateway.connector;

import java.net.SocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.cameltaas.connector.protocol.Frame;
import org.cameltaas.connector.protocol.FrameCodec;
import org.cameltaas.connector.protocol.FrameType;
import org.cameltaas.connector.protocol.Tunnel;
import org.cameltaas.connector.protocol.TunnelProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's end of one tunnel. Everything here runs on the tunnel's event loop (calls from elsewhere hop onto
 * it), so the streams need no locks: the HELLO (checked off the loop, the store may block), heartbeats (a PING when
 * idle for {@link Tunnel#HEARTBEAT_MILLIS}, offline after {@link Tunnel#OFFLINE_MILLIS} of silence), and the frames
 * of each stream to its {@link TunnelStream}.
 */
final class TunnelSession extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(TunnelSession.class);
    private static final AtomicLong IDS = new AtomicLong();

    private final ConnectorRegistry registry;
    private final String id = "conn_" + Long.toString(System.currentTimeMillis(), 36) + "_" + IDS.incrementAndGet();
    private final SocketAddress remote;
    private final Instant connected = Instant.now();
    private final Map<Integer, TunnelStream> streams = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile long rttNanos = -1;
    private volatile ConnectorAuthority.Grant grant;
    private volatile String version;
    private volatile Instant since;
    private volatile boolean open = true;
    private Channel channel;
    private int nextStream = 1;
    private boolean helloSeen;
    private ScheduledFuture<?> helloTimeout;

    TunnelSession(ConnectorRegistry registry, SocketAddress remote) {
        this.registry = registry;
        this.remote = remote;
    }

    String id() {
        return id;
    }

    ConnectorAuthority.Grant grant() {
        return grant;
    }

    String version() {
        return version;
    }

    String remoteAddress() {
        return remote instanceof java.net.InetSocketAddress inet ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                : String.valueOf(remote);
    }

    long rttNanos() {
        return rttNanos;
    }

    int streams() {
        return inFlight.get();
    }

    /** Online and below its stream limit. */
    boolean accepting() {
        return open && grant != null && inFlight.get() < Tunnel.MAX_STREAMS;
    }

    ObjectNode describe(boolean online) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.put("id", id);
        c.put("object", "connector");
        c.put("online", online);
        c.put("since", (online ? since != null ? since : connected : Instant.now()).getEpochSecond());
        c.put("version", version);
        c.put("remote_address", remoteAddress());
        c.put("streams", online ? inFlight.get() : 0);
        c.put("bytes_in", bytesIn.get());
        c.put("bytes_out", bytesOut.get());
        if (rttNanos >= 0) {
            c.put("rtt_ms", Math.round(rttNanos / 10_000.0) / 100.0);
        } else {
            c.putNull("rtt_ms");
        }
        return c;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        helloTimeout = ctx.executor().schedule(() -> goAway("no HELLO within " + Tunnel.OFFLINE_MILLIS + " ms"),
                Tunnel.OFFLINE_MILLIS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(ignored -> closed());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame message) {
        if (message instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            return;
        }
        if (message instanceof CloseWebSocketFrame || message instanceof PongWebSocketFrame) {
            if (message instanceof CloseWebSocketFrame) {
                ctx.close();
            }
            return;
        }
        if (!(message instanceof BinaryWebSocketFrame)) {
            throw new TunnelProtocolException("the tunnel carries binary frames only");
        }
        bytesIn.addAndGet(message.content().readableBytes());
        registry.bytesIn.addAndGet(message.content().readableBytes());
        Frame frame = FrameCodec.decode(message.content());
        if (!helloSeen) {
            if (frame.type() != FrameType.HELLO) {
                throw new TunnelProtocolException("the first frame is HELLO, not " + frame.type());
            }
            helloSeen = true;
            hello(frame);
            return;
        }
        switch (frame.type()) {
            case PING -> send(new Frame(FrameType.PONG, 0, frame.payload()));
            case PONG -> rttNanos = System.nanoTime() - frame.nanos();
            case REPLY_HEAD -> stream(frame).head(Tunnel.read(frame));
            case REPLY_BODY -> stream(frame).body(frame.payload());
            case REPLY_END -> stream(frame).end();
            case RESET -> stream(frame).reset(frame.text());
            case WINDOW -> frame.increment(); // request bodies go out whole (they are bounded): nothing waits for it
            default -> throw new TunnelProtocolException("a gateway does not take " + frame.type() + " after HELLO");
        }
    }

    private void hello(Frame frame) {
        ObjectNode hello = Tunnel.read(frame);
        List<String> tokens = new ArrayList<>();
        hello.path("tokens").forEach(t -> tokens.add(t.asText()));
        if (tokens.isEmpty() && hello.hasNonNull("token")) {
            tokens.add(hello.get("token").asText());
        }
        String claimedVersion = hello.path("version").asText("unknown");
        version = claimedVersion.length() > 100 ? claimedVersion.substring(0, 100) : claimedVersion;
        if (tokens.isEmpty() || tokens.size() > 32) {
            goAway("HELLO names 1 to 32 connector tokens");
            return;
        }
        List<String> claimed = new ArrayList<>();
        hello.path("deployments").forEach(d -> claimed.add(d.asText()));
        CompletableFuture.supplyAsync(() -> narrowed(registry.authority().authenticate(tokens), claimed), registry.blocking())
                .whenComplete((granted, error) -> channel.eventLoop().execute(() -> welcome(granted, error)));
    }

    /** A HELLO may name the deployments it means to serve (ids or names): each must be one its tokens name. */
    private static ConnectorAuthority.Grant narrowed(ConnectorAuthority.Grant grant, List<String> claimed) {
        if (claimed.isEmpty()) {
            return grant;
        }
        List<ConnectorAuthority.Deployment> kept = new ArrayList<>();
        for (String claim : claimed) {
            ConnectorAuthority.Deployment match = grant.deployments().stream()
                    .filter(d -> d.id().equals(claim) || d.name().equals(claim)).findFirst()
                    .orElseThrow(() -> new SecurityException("the connector tokens do not name the deployment " + claim));
            if (!kept.contains(match)) {
                kept.add(match);
            }
        }
        return new ConnectorAuthority.Grant(grant.tokenIds(), kept);
    }

    private void welcome(ConnectorAuthority.Grant granted, Throwable error) {
        if (!open) {
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            goAway(cause instanceof SecurityException ? cause.getMessage() : "the connector token cannot be checked now");
            if (!(cause instanceof SecurityException)) {
                LOG.warn("connector token check failed: {}", cause.toString());
            }
            return;
        }
        helloTimeout.cancel(false);
        grant = granted;
        since = Instant.now();
        ObjectNode welcome = Tunnel.object();
        welcome.put("connector_id", id);
        ArrayNode deployments = welcome.putArray("deployments");
        for (ConnectorAuthority.Deployment d : granted.deployments()) {
            ObjectNode node = deployments.addObject();
            node.put("id", d.id());
            node.put("name", d.name());
            ArrayNode models = node.putArray("models");
            d.models().forEach(models::add);
        }
        send(new Frame(FrameType.WELCOME, 0, Tunnel.bytes(welcome)));
        registry.online(this);
    }

    private TunnelStream stream(Frame frame) {
        TunnelStream stream = streams.get(frame.stream());
        return stream != null ? stream : TunnelStream.GONE; // given up here a moment ago: its late frames are dropped
    }

    /** Opens the stream on this tunnel (any thread); a tunnel that is gone hands it back as failed before its head. */
    void open(TunnelStream stream, String deployment, String method, String path, Map<String, String> headers, byte[] body) {
        channel.eventLoop().execute(() -> {
            if (!open || !channel.isActive()) {
                stream.tunnelGone("the connector went offline");
                return;
            }
            int streamId = nextStream;
            nextStream += 2;
            if (nextStream < 0) {
                nextStream = 1; // after 2^30 streams on one tunnel: ids of long-finished streams come round again
            }
            streams.put(streamId, stream);
            inFlight.incrementAndGet();
            stream.attached(this, streamId);
            if (stream.givenUp()) {
                stream.abandon("the gateway gave the stream up");
                return;
            }
            ObjectNode head = Tunnel.object();
            head.put("deployment", deployment);
            head.put("method", method);
            head.put("path", path);
            ObjectNode h = head.putObject("headers");
            headers.forEach((name, value) -> h.putArray(name.toLowerCase()).add(value));
            send(new Frame(FrameType.REQUEST_HEAD, streamId, Tunnel.bytes(head)));
            if (body != null) {
                for (int offset = 0; offset < body.length; offset += Tunnel.MAX_PAYLOAD) {
                    int length = Math.min(Tunnel.MAX_PAYLOAD, body.length - offset);
                    send(new Frame(FrameType.REQUEST_BODY, streamId, java.util.Arrays.copyOfRange(body, offset, offset + length)));
                }
            }
            send(Frame.of(FrameType.REQUEST_END, streamId));
        });
    }

    /** A stream finished or was given up: it takes no more frames (on the loop). */
    void finished(int streamId) {
        if (streams.remove(streamId) != null) {
            inFlight.decrementAndGet();
        }
    }

    void execute(Runnable task) {
        channel.eventLoop().execute(task);
    }

    void send(Frame frame) {
        if (channel.isActive()) {
            bytesOut.addAndGet(FrameCodec.HEADER + frame.payload().length);
            registry.bytesOut.addAndGet(FrameCodec.HEADER + frame.payload().length);
            channel.writeAndFlush(new BinaryWebSocketFrame(FrameCodec.encode(channel.alloc(), frame)));
        }
    }

    /** Tells the connector why, then closes the tunnel (any thread). */
    void goAway(String reason) {
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                return;
            }
            LOG.info("closing tunnel {}: {}", id, reason);
            bytesOut.addAndGet(FrameCodec.HEADER + reason.length());
            channel.write(new BinaryWebSocketFrame(FrameCodec.encode(channel.alloc(), Frame.text(FrameType.GOAWAY, 0, reason))));
            // and a WebSocket close (1008: policy) so any WebSocket client sees why, not just a dropped connection
            String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
            channel.writeAndFlush(new CloseWebSocketFrame(1008, shortReason)).addListener(ChannelFutureListener.CLOSE);
            channel.eventLoop().schedule(() -> {
                channel.close();
            }, 1, TimeUnit.SECONDS); // a connector that does not read is not waited for
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                LOG.warn("connector {} silent for {} ms: offline", id, Tunnel.OFFLINE_MILLIS);
                ctx.close();
            } else if (idle.state() == IdleState.WRITER_IDLE && grant != null) {
                send(Frame.ping(FrameType.PING, System.nanoTime()));
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    private void closed() {
        open = false;
        if (helloTimeout != null) {
            helloTimeout.cancel(false);
        }
        registry.offline(this, "tunnel closed");
        List<TunnelStream> gone = new ArrayList<>(streams.values());
        streams.clear();
        inFlight.set(0);
        gone.forEach(s -> s.tunnelGone("the connector went offline"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TunnelProtocolException) {
            goAway("protocol error: " + cause.getMessage());
        } else {
            LOG.debug("tunnel {} failed", id, cause);
            ctx.close();
        }
    }

}
