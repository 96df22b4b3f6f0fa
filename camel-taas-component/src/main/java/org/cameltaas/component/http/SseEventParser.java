package org.cameltaas.component.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental parser of a {@code text/event-stream} body, fed with whatever byte buffers the network delivers.
 * Accepts LF, CRLF and CR line endings (Gemini uses CRLF); lines are decoded whole, so UTF-8 characters split
 * across buffers survive. Comments ({@code :} lines) and {@code retry:} are ignored.
 */
public final class SseEventParser implements StreamDecoder {

    private byte[] line = new byte[256];
    private int lineLength;
    private boolean lastWasCr;
    private String event;
    private String id;
    private StringBuilder data;

    /** Parses the bytes of one buffer, handing each complete event to the sink. */
    @Override
    public void feed(ByteBuffer buffer, Consumer<SseEvent> sink) {
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                if (lastWasCr) {
                    lastWasCr = false; // second half of CRLF
                    continue;
                }
                endOfLine(sink);
            } else if (b == '\r') {
                lastWasCr = true;
                endOfLine(sink);
            } else {
                lastWasCr = false;
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, line.length * 2);
                }
                line[lineLength++] = b;
            }
        }
    }

    /** At the end of the body: dispatches an event that was not followed by a blank line. */
    @Override
    public void finish(Consumer<SseEvent> sink) {
        if (lineLength > 0) {
            endOfLine(sink);
        }
        dispatch(sink);
    }

    private void endOfLine(Consumer<SseEvent> sink) {
        if (lineLength == 0) {
            dispatch(sink);
            return;
        }
        String text = new String(line, 0, lineLength, StandardCharsets.UTF_8);
        lineLength = 0;
        if (text.charAt(0) == ':') {
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            case "event" -> event = value;
            case "id" -> id = value;
            default -> {
                // retry and unknown fields carry nothing the component needs
            }
        }
    }

    private void dispatch(Consumer<SseEvent> sink) {
        if (data != null) {
            sink.accept(new SseEvent(event, data.toString(), id));
        }
        data = null;
        event = null;
        id = null;
    }
}
