package org.cameltaas.connector.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

    @Test
    void everyTypeRoundTrips() {
        for (FrameType type : FrameType.values()) {
            byte[] payload = ("payload of " + type).getBytes();
            ByteBuf bytes = FrameCodec.encode(ByteBufAllocator.DEFAULT, new Frame(type, 7, payload));
            try {
                assertEquals(FrameCodec.HEADER + payload.length, bytes.readableBytes());
                Frame decoded = FrameCodec.decode(bytes);
                assertEquals(type, decoded.type());
                assertEquals(7, decoded.stream());
                assertArrayEquals(payload, decoded.payload());
            } finally {
                bytes.release();
            }
        }
    }

    @Test
    void theLargestPayloadPassesAndOneByteMoreDoesNot() {
        Frame largest = new Frame(FrameType.REPLY_BODY, Integer.MAX_VALUE, new byte[Tunnel.MAX_PAYLOAD]);
        ByteBuf bytes = FrameCodec.encode(ByteBufAllocator.DEFAULT, largest);
        assertEquals(Tunnel.MAX_PAYLOAD, FrameCodec.decode(bytes).payload().length);
        bytes.release();
        assertThrows(IllegalArgumentException.class, () -> new Frame(FrameType.REPLY_BODY, 1, new byte[Tunnel.MAX_PAYLOAD + 1]));
        ByteBuf tooLarge = Unpooled.buffer().writeByte(FrameType.REPLY_BODY.code()).writeInt(1)
                .writeBytes(new byte[Tunnel.MAX_PAYLOAD + 1]);
        assertThrows(TunnelProtocolException.class, () -> FrameCodec.decode(tooLarge));
    }

    @Test
    void brokenFramesAreRefused() {
        assertThrows(TunnelProtocolException.class, () -> FrameCodec.decode(Unpooled.wrappedBuffer(new byte[] {1, 0, 0})));
        assertThrows(TunnelProtocolException.class, () -> FrameCodec.decode(Unpooled.buffer().writeByte(99).writeInt(1)));
        assertThrows(TunnelProtocolException.class, () -> FrameCodec.decode(Unpooled.buffer().writeByte(3).writeInt(-5)));
        assertThrows(TunnelProtocolException.class, () -> new Frame(FrameType.WINDOW, 1, new byte[3]).increment());
        assertThrows(TunnelProtocolException.class, () -> Frame.window(1, 0).increment());
        assertThrows(TunnelProtocolException.class, () -> Tunnel.read(Frame.text(FrameType.HELLO, 0, "[1,2]")));
    }

    @Test
    void controlPayloads() {
        assertEquals(131072, Frame.window(3, 131072).increment());
        assertEquals(42L, Frame.ping(FrameType.PING, 42L).nanos());
        Map<String, List<String>> headers = Tunnel.headers(Tunnel.headers(Map.of("Content-Type", List.of("text/event-stream"),
                "x-a", List.of("1", "2"))));
        assertEquals(List.of("text/event-stream"), headers.get("content-type"));
        assertEquals(List.of("1", "2"), headers.get("x-a"));
        // a frame never prints its payload (a HELLO carries tokens)
        assertEquals("HELLO[stream 0, 11 bytes]", Frame.text(FrameType.HELLO, 0, "taas_secret").toString());
    }
}
