package org.cameltaas.component.provider.bedrock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.cameltaas.component.http.SseEvent;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AwsEventStreamDecoderTest {

    /** One message as AWS frames it, written here independently of the decoder. */
    static byte[] message(String messageType, String typeHeader, String type, String payload) {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        header(head, ":message-type", messageType);
        header(head, typeHeader, type);
        header(head, ":content-type", "application/json");
        byte[] headers = head.toByteArray();
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        int total = 16 + headers.length + body.length;
        ByteBuffer frame = ByteBuffer.allocate(total).putInt(total).putInt(headers.length);
        frame.putInt(AwsEventStreamDecoder.crc(frame.array(), 0, 8)).put(headers).put(body);
        frame.putInt(AwsEventStreamDecoder.crc(frame.array(), 0, total - 4));
        return frame.array();
    }

    private static void header(ByteArrayOutputStream out, String name, String value) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        out.write(n.length);
        out.write(n, 0, n.length);
        out.write(7);
        out.write(v.length >> 8);
        out.write(v.length & 0xff);
        out.write(v, 0, v.length);
    }

    @Test
    void messagesSplitAnywhereAcrossBuffersComeOutWhole() {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(message("event", ":event-type", "messageStart", "{\"role\":\"assistant\"}"));
        stream.writeBytes(message("event", ":event-type", "contentBlockDelta", "{\"delta\":{\"text\":\"h\u00e9llo\"}}"));
        stream.writeBytes(message("exception", ":exception-type", "throttlingException", "{\"message\":\"slow down\"}"));
        byte[] bytes = stream.toByteArray();
        for (int split = 1; split < bytes.length; split += 7) {
            AwsEventStreamDecoder decoder = new AwsEventStreamDecoder();
            List<SseEvent> events = new ArrayList<>();
            decoder.feed(ByteBuffer.wrap(bytes, 0, split), events::add);
            decoder.feed(ByteBuffer.wrap(bytes, split, bytes.length - split), events::add);
            decoder.finish(events::add);
            assertEquals(3, events.size(), "split at " + split);
            assertEquals("messageStart", events.get(0).event());
            assertEquals("{\"delta\":{\"text\":\"h\u00e9llo\"}}", events.get(1).data());
            assertEquals(AwsEventStreamDecoder.EXCEPTION, events.get(2).event());
            assertEquals("throttlingException", events.get(2).id());
        }
    }

    @Test
    void aCorruptMessageEndsTheStreamWithAnErrorAndACutOneToo() {
        byte[] good = message("event", ":event-type", "messageStart", "{}");
        byte[] bad = good.clone();
        bad[bad.length - 6] ^= 1; // a payload bit: the message CRC no longer matches
        List<SseEvent> events = new ArrayList<>();
        AwsEventStreamDecoder decoder = new AwsEventStreamDecoder();
        decoder.feed(ByteBuffer.wrap(bad), events::add);
        decoder.feed(ByteBuffer.wrap(good), events::add);
        assertEquals(1, events.size(), "nothing after a corrupt message is read");
        assertEquals("corruptFrame", events.get(0).id());

        List<SseEvent> cut = new ArrayList<>();
        AwsEventStreamDecoder second = new AwsEventStreamDecoder();
        second.feed(ByteBuffer.wrap(good, 0, good.length - 3), cut::add);
        second.finish(cut::add);
        assertEquals(List.of("corruptFrame"), cut.stream().map(SseEvent::id).toList());
    }
}
