package org.cameltaas.component.provider.bedrock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.CRC32;

import org.cameltaas.component.http.SseEvent;
import org.cameltaas.component.http.StreamDecoder;

/**
 * AWS's binary event-stream framing ({@code application/vnd.amazon.eventstream}), as Bedrock's ConverseStream
 * sends it: each message is a prelude (total length, headers length, CRC32 of the two), headers, a JSON payload
 * and a CRC32 of the whole. Each message becomes one event named by its {@code :event-type} header with the
 * payload as its data; an {@code exception} message becomes an event named {@value #EXCEPTION} whose id is the
 * {@code :exception-type}. A message whose checksums do not match is reported the same way, as
 * {@code corruptFrame}, and nothing after it is read.
 */
final class AwsEventStreamDecoder implements StreamDecoder {

    static final String EXCEPTION = "exception";
    /** No Bedrock event comes near this; a larger prelude is a broken stream, not a reason to buffer. */
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private byte[] buffer = new byte[8192];
    private int length;
    private boolean broken;

    @Override
    public void feed(ByteBuffer bytes, Consumer<SseEvent> sink) {
        if (broken) {
            bytes.position(bytes.limit());
            return;
        }
        int incoming = bytes.remaining();
        if (length + incoming > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + incoming));
        }
        bytes.get(buffer, length, incoming);
        length += incoming;
        int start = 0;
        while (!broken && length - start >= 12) {
            ByteBuffer view = ByteBuffer.wrap(buffer, start, length - start);
            int total = view.getInt(start);
            int headersLength = view.getInt(start + 4);
            if (total < 16 || total > MAX_MESSAGE || headersLength < 0 || headersLength > total - 16
                    || crc(buffer, start, 8) != view.getInt(start + 8)) {
                corrupt(sink, "the prelude of an event-stream message is corrupt");
                break;
            }
            if (length - start < total) {
                break; // the rest of this message is still on its way
            }
            if (crc(buffer, start, total - 4) != view.getInt(start + total - 4)) {
                corrupt(sink, "an event-stream message failed its checksum");
                break;
            }
            Map<String, String> headers = headers(buffer, start + 12, headersLength);
            String payload = new String(buffer, start + 12 + headersLength, total - 16 - headersLength, StandardCharsets.UTF_8);
            start += total;
            if (EXCEPTION.equals(headers.get(":message-type")) || "error".equals(headers.get(":message-type"))) {
                String type = headers.getOrDefault(":exception-type", headers.getOrDefault(":error-code", "exception"));
                sink.accept(new SseEvent(EXCEPTION, payload.isEmpty() ? "{\"message\":\"" + type + "\"}" : payload, type));
            } else {
                sink.accept(new SseEvent(headers.get(":event-type"), payload, null));
            }
        }
        System.arraycopy(buffer, start, buffer, 0, length - start);
        length -= start;
    }

    @Override
    public void finish(Consumer<SseEvent> sink) {
        if (!broken && length > 0) {
            corrupt(sink, "the stream ended inside an event-stream message");
        }
    }

    private void corrupt(Consumer<SseEvent> sink, String message) {
        broken = true;
        length = 0;
        sink.accept(new SseEvent(EXCEPTION, "{\"message\":\"" + message + "\"}", "corruptFrame"));
    }

    /** The string headers (the only kind Bedrock sends); other types are skipped by their size. */
    private static Map<String, String> headers(byte[] bytes, int from, int headersLength) {
        Map<String, String> headers = new HashMap<>();
        ByteBuffer in = ByteBuffer.wrap(bytes, from, headersLength);
        while (in.hasRemaining()) {
            int nameLength = in.get() & 0xff;
            String name = new String(bytes, in.position(), nameLength, StandardCharsets.UTF_8);
            in.position(in.position() + nameLength);
            int type = in.get();
            switch (type) {
                case 0, 1 -> { } // true, false: no value
                case 2 -> in.position(in.position() + 1);
                case 3 -> in.position(in.position() + 2);
                case 4 -> in.position(in.position() + 4);
                case 5, 8 -> in.position(in.position() + 8);
                case 9 -> in.position(in.position() + 16);
                case 6, 7 -> {
                    int valueLength = in.getShort() & 0xffff;
                    if (type == 7) {
                        headers.put(name, new String(bytes, in.position(), valueLength, StandardCharsets.UTF_8));
                    }
                    in.position(in.position() + valueLength);
                }
                default -> {
                    return headers; // an unknown header type: its size is unknown, the rest cannot be read
                }
            }
        }
        return headers;
    }

    static int crc(byte[] bytes, int from, int count) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, count);
        return (int) crc.getValue();
    }
}
