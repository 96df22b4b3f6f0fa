package org.cameltaas.gateway.http;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.camel.Exchange;
import org.cameltaas.component.support.Json;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the {@code taas.access} logger: method and path (no query), ids (the token's id, never
 * the token), models, status, the error code of a failure and time to the reply's first byte. Streams end later; their totals belong to the metrics.
 * <p>
 * Lines are written by one thread of their own: a logger writes under a lock and blocks on its output, which
 * must not happen on the threads that serve requests. Should that thread fall a whole queue behind, further lines
 * are counted ({@link #dropped()}, the {@code taas_access_log_dropped_total} metric) instead of stalling requests.
 */
public final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("taas.access");
    private static final int QUEUE_LINES = 65_536;
    /** How long the writer sleeps when there is nothing to write: lines reach the log at most this late. */
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    // lock-free on the request side: a lock shared with the writer stalled request threads for milliseconds
    // whenever the writer was descheduled holding it (measured: p99 from 4 to 26 ms at 8,000 requests/s)
    private static final Queue<String> LINES = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger QUEUED = new AtomicInteger();
    private static final AtomicLong DROPPED = new AtomicLong();

    static {
        Thread writer = new Thread(AccessLog::write, "TaasAccessLog");
        writer.setDaemon(true);
        writer.start();
    }

    private AccessLog() {
    }

    public static void record(Exchange exchange, int status) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        if (QUEUED.incrementAndGet() > QUEUE_LINES) {
            QUEUED.decrementAndGet();
            DROPPED.incrementAndGet();
            return;
        }
        LINES.add(line(exchange, status));
    }

    /** Lines that could not be queued because the writer was a whole queue behind. */
    public static long dropped() {
        return DROPPED.get();
    }

    static String line(Exchange exchange, int status) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator line = Json.MAPPER.getFactory().createGenerator(text)) {
            line.writeStartObject();
            line.writeStringField("request_id", exchange.getProperty(GatewayHeaders.REQUEST_ID, String.class));
            // the path without its query (a client may put a key there), never a body
            writeIfPresent(line, "method", exchange.getMessage().getHeader(Exchange.HTTP_METHOD, String.class));
            writeIfPresent(line, "path", exchange.getMessage().getHeader(Exchange.HTTP_PATH, String.class));
            writeIfPresent(line, "client_request_id", exchange.getProperty(GatewayHeaders.CLIENT_REQUEST_ID, String.class));
            writeIfPresent(line, "session_id", exchange.getProperty(GatewayHeaders.SESSION_ID, String.class));
            Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
            if (principal != null) {
                line.writeStringField("token_id", principal.tokenId());
                line.writeStringField("team", principal.team());
                line.writeStringField("project", principal.project());
            }
            writeIfPresent(line, "operation", exchange.getProperty(GatewayHeaders.OPERATION, String.class));
            writeIfPresent(line, "model", exchange.getProperty(GatewayHeaders.MODEL, String.class));
            writeIfPresent(line, "model_used", exchange.getProperty(GatewayHeaders.MODEL_USED, String.class));
            Integer depth = exchange.getProperty(GatewayHeaders.FALLBACK_DEPTH, Integer.class);
            if (depth != null) {
                line.writeStringField("fallback_from", exchange.getProperty(GatewayHeaders.FALLBACK_FROM, String.class));
                line.writeNumberField("fallback_depth", depth);
            }
            line.writeNumberField("status", status);
            writeIfPresent(line, "error_code", exchange.getProperty(GatewayHeaders.ERROR_CODE, String.class));
            Long started = exchange.getProperty(GatewayHeaders.STARTED_NANOS, Long.class);
            if (started != null) {
                line.writeNumberField("ms", TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started) / 1000.0);
            }
            line.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an access log line", e); // a StringWriter does not fail
        }
        return text.toString();
    }

    private static void writeIfPresent(JsonGenerator line, String field, String value) throws IOException {
        if (value != null) {
            line.writeStringField(field, value);
        }
    }

    private static void write() {
        while (!Thread.currentThread().isInterrupted()) {
            String line = LINES.poll();
            if (line == null) {
                LockSupport.parkNanos(IDLE_NANOS); // no wake-up call from request threads: they never wait on the writer
                continue;
            }
            QUEUED.decrementAndGet();
            try {
                LOG.info(line);
            } catch (RuntimeException e) {
                // a failing log backend must not end the writer; this line is lost, the next ones are tried
            }
        }
    }
}
