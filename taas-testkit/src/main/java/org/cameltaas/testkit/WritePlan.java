package org.cameltaas.testkit;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A reply with the script's faults applied: the response head, then byte pieces each preceded by a delay,
 * then either a clean end or a cut connection. Pure data, so the writer only has to follow it.
 */
final class WritePlan {

    /** Bytes to write after waiting {@code delayNanos}. */
    record Piece(long delayNanos, byte[] bytes) {
    }

    private final HttpResponse head;
    private final long headerDelayNanos;
    private final List<Piece> pieces;
    private final boolean cut;

    private WritePlan(HttpResponse head, long headerDelayNanos, List<Piece> pieces, boolean cut) {
        this.head = head;
        this.headerDelayNanos = headerDelayNanos;
        this.pieces = pieces;
        this.cut = cut;
    }

    static WritePlan of(Reply reply, Script script, boolean keepAlive) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status(reply.status()));
        head.headers().set(reply.headers());
        List<Piece> pieces = new ArrayList<>();
        boolean cut = false;
        if (reply.isStream()) {
            HttpUtil.setTransferEncodingChunked(head, true);
            List<SseEvent> events = faultyEvents(reply, script);
            cut = script.cutAfterEventsValue() >= 0;
            long chunkDelay = script.chunkDelayValue().toNanos();
            for (SseEvent event : events) {
                addPieces(pieces, event.bytes(), script, chunkDelay);
            }
        } else {
            HttpUtil.setContentLength(head, reply.body().length);
            addPieces(pieces, reply.body(), script, 0);
        }
        HttpUtil.setKeepAlive(head, keepAlive);
        return new WritePlan(head, script.headerDelayValue().toNanos(), List.copyOf(pieces), cut);
    }

    /** The stream's events after malformedEventAt, midStreamError and cutAfterEvents, in that order. */
    private static List<SseEvent> faultyEvents(Reply reply, Script script) {
        List<SseEvent> events = new ArrayList<>(reply.events());
        int malformed = script.malformedEventIndex();
        if (malformed >= 0 && malformed < events.size()) {
            events.set(malformed, events.get(malformed).broken());
        }
        int errorAfter = script.midStreamErrorAfter();
        if (errorAfter >= 0) {
            int keep = Math.min(errorAfter, events.size());
            events = new ArrayList<>(events.subList(0, keep));
            events.add(reply.streamErrorAt(keep));
        }
        int cutAfter = script.cutAfterEventsValue();
        if (cutAfter >= 0 && cutAfter < events.size()) {
            events = new ArrayList<>(events.subList(0, cutAfter));
        }
        return events;
    }

    /** One piece, or with trickle many small ones; {@code extraFirstDelay} goes before the first. */
    private static void addPieces(List<Piece> pieces, byte[] bytes, Script script, long extraFirstDelay) {
        if (!script.trickles()) {
            pieces.add(new Piece(extraFirstDelay, bytes));
            return;
        }
        long perChunk = script.trickleDelay().toNanos();
        int size = script.trickleBytes();
        for (int from = 0; from < bytes.length; from += size) {
            long delay = from == 0 ? extraFirstDelay + perChunk : perChunk;
            pieces.add(new Piece(delay, Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + size))));
        }
    }

    private static HttpResponseStatus status(int code) {
        // Netty has no reason phrase for Anthropic's 529
        return code == 529 ? new HttpResponseStatus(529, "Overloaded") : HttpResponseStatus.valueOf(code);
    }

    HttpResponse head() {
        return head;
    }

    long headerDelayNanos() {
        return headerDelayNanos;
    }

    List<Piece> pieces() {
        return pieces;
    }

    /** True when the connection must be closed after the pieces instead of ending the response. */
    boolean cut() {
        return cut;
    }
}
