package org.cameltaas.connector.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Frames to and from the bytes of a binary WebSocket message: 1-byte type, 4-byte stream id, payload. */
public final class FrameCodec {

    public static final int HEADER = 5;

    private FrameCodec() {
    }

    public static ByteBuf encode(ByteBufAllocator allocator, Frame frame) {
        ByteBuf out = allocator.buffer(HEADER + frame.payload().length);
        out.writeByte(frame.type().code());
        out.writeInt(frame.stream());
        out.writeBytes(frame.payload());
        return out;
    }

    /** Reads one frame from a whole message (the caller releases the buffer). */
    public static Frame decode(ByteBuf message) {
        int length = message.readableBytes();
        if (length < HEADER) {
            throw new TunnelProtocolException("a frame has at least " + HEADER + " bytes, not " + length);
        }
        if (length > HEADER + Tunnel.MAX_PAYLOAD) {
            throw new TunnelProtocolException("a frame payload is at most " + Tunnel.MAX_PAYLOAD + " bytes, not " + (length - HEADER));
        }
        int code = message.readUnsignedByte();
        FrameType type = FrameType.of(code);
        if (type == null) {
            throw new TunnelProtocolException("unknown frame type " + code);
        }
        int stream = message.readInt();
        if (stream < 0) {
            throw new TunnelProtocolException("negative stream id " + stream);
        }
        byte[] payload = new byte[message.readableBytes()];
        message.readBytes(payload);
        return new Frame(type, stream, payload);
    }
}
