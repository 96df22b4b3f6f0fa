package org.cameltaas.connector.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One tunnel frame: a type, a stream id (0 for the connection itself) and a payload of at most
 * {@link Tunnel#MAX_PAYLOAD} bytes. Payloads are plain arrays: a frame is small and crosses threads.
 */
public record Frame(FrameType type, int stream, byte[] payload) {

    private static final byte[] EMPTY = new byte[0];

    public Frame {
        if (payload == null) {
            payload = EMPTY;
        }
        if (payload.length > Tunnel.MAX_PAYLOAD) {
            throw new IllegalArgumentException("a frame payload is at most " + Tunnel.MAX_PAYLOAD + " bytes, not " + payload.length);
        }
        if (stream < 0) {
            throw new IllegalArgumentException("stream ids are not negative");
        }
    }

    public static Frame of(FrameType type, int stream) {
        return new Frame(type, stream, EMPTY);
    }

    public static Frame text(FrameType type, int stream, String text) {
        return new Frame(type, stream, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Frame window(int stream, int bytes) {
        return new Frame(FrameType.WINDOW, stream, ByteBuffer.allocate(4).putInt(bytes).array());
    }

    public static Frame ping(FrameType type, long nanos) {
        return new Frame(type, 0, ByteBuffer.allocate(8).putLong(nanos).array());
    }

    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** A WINDOW frame's increment. */
    public int increment() {
        if (payload.length != 4) {
            throw new TunnelProtocolException("a WINDOW frame carries 4 bytes, not " + payload.length);
        }
        int bytes = ByteBuffer.wrap(payload).getInt();
        if (bytes <= 0) {
            throw new TunnelProtocolException("a WINDOW increment must be positive, not " + bytes);
        }
        return bytes;
    }

    /** A PING or PONG frame's time. */
    public long nanos() {
        if (payload.length != 8) {
            throw new TunnelProtocolException("a " + type + " frame carries 8 bytes, not " + payload.length);
        }
        return ByteBuffer.wrap(payload).getLong();
    }

    @Override
    public String toString() {
        return type + "[stream " + stream + ", " + payload.length + " bytes]"; // never the payload: it may be a token
    }
}
