package org.cameltaas.connector;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
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

/** The connector's end of one tunnel: says HELLO, answers heartbeats and hands each stream to a {@link TargetStream}. */
final class TunnelClientHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger LOG = LoggerFactory.getLogger(TunnelClientHandler.class);

    private final Connector connector;
    private final Connector.Link link;
    private final Map<Integer, TargetStream> streams = new ConcurrentHashMap<>();
    private Channel channel;

    TunnelClientHandler(Connector connector, Connector.Link link) {
        this.connector = connector;
        this.link = link;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        channel = ctx.channel();
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            ObjectNode hello = Tunnel.object();
            ArrayNode tokens = hello.putArray("tokens");
            connector.settings().tokens().forEach(tokens::add);
            hello.put("version", Connector.VERSION);
            hello.put("protocol", Tunnel.VERSION);
            send(new Frame(FrameType.HELLO, 0, Tunnel.bytes(hello)));
        } else if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                LOG.warn("the gateway has not answered for {} ms: reconnecting", Tunnel.OFFLINE_MILLIS);
                ctx.close();
            } else if (idle.state() == IdleState.WRITER_IDLE) {
                send(Frame.ping(FrameType.PING, System.nanoTime()));
            }
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame message) {
        if (!(message instanceof BinaryWebSocketFrame)) {
            return; // control frames are the protocol handler's; text frames are not ours
        }
        Frame frame = FrameCodec.decode(message.content());
        switch (frame.type()) {
            case WELCOME -> welcome(frame);
            case PING -> send(new Frame(FrameType.PONG, 0, frame.payload()));
            case PONG -> { }
            case GOAWAY -> {
                LOG.error("the gateway closed the tunnel: {}", frame.text());
                ctx.close();
            }
            case REQUEST_HEAD -> open(frame);
            case REQUEST_BODY -> stream(frame).body(frame.payload());
            case REQUEST_END -> stream(frame).end();
            case WINDOW -> {
                TargetStream stream = streams.get(frame.stream());
                if (stream != null) {
                    stream.window(frame.increment());
                }
            }
            case RESET -> {
                TargetStream stream = streams.remove(frame.stream());
                if (stream != null) {
                    stream.cancel();
                }
            }
            default -> throw new TunnelProtocolException("a connector does not take " + frame.type());
        }
    }

    private void welcome(Frame frame) {
        ObjectNode welcome = Tunnel.read(frame);
        StringBuilder served = new StringBuilder();
        welcome.path("deployments").forEach(d -> served.append(served.length() > 0 ? ", " : "")
                .append(d.path("name").asText()).append(" ").append(d.path("models")));
        LOG.info("tunnel to {} up as {}: serving {} from {}", link.uri(), welcome.path("connector_id").asText(), served,
                connector.settings().target());
        link.welcomed();
    }

    private void open(Frame frame) {
        if (streams.size() >= Tunnel.MAX_STREAMS) {
            send(Frame.text(FrameType.RESET, frame.stream(), "too many streams on this connector"));
            return;
        }
        TargetStream stream = new TargetStream(frame.stream(), Tunnel.read(frame), this, connector);
        if (streams.putIfAbsent(frame.stream(), stream) != null) {
            throw new TunnelProtocolException("stream " + frame.stream() + " is already open");
        }
    }

    private TargetStream stream(Frame frame) {
        TargetStream stream = streams.get(frame.stream());
        if (stream == null) {
            // reset by the gateway a moment ago, or never opened: nothing to deliver to
            return TargetStream.GONE;
        }
        return stream;
    }

    void finished(int id) {
        streams.remove(id);
    }

    /**
     * Sends from any thread, always through the loop's task queue: a write made on the loop itself would otherwise
     * overtake writes other threads queued a moment before (the JDK client may deliver a stream's next body part on
     * the loop, when a WINDOW frame asks for it), and a stream's frames must keep their order.
     */
    void send(Frame frame) {
        Channel ch = channel;
        if (ch != null && ch.isActive()) {
            ch.eventLoop().execute(() -> ch.writeAndFlush(new BinaryWebSocketFrame(FrameCodec.encode(ch.alloc(), frame))));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        streams.values().forEach(TargetStream::cancel);
        streams.clear();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.warn("tunnel failed: {}", cause.toString());
        ctx.close();
    }
}
