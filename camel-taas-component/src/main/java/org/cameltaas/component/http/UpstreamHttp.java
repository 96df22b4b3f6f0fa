package org.cameltaas.component.http;

import java.net.http.HttpResponse;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;

import org.apache.camel.Exchange;
import org.cameltaas.component.provider.UpstreamRequest;

/**
 * The HTTP client under the producer: sends one request and feeds the reply to the subscriber the handler picks
 * once the status and headers are known (the JDK's {@link HttpResponse.BodyHandler} contract, whichever client).
 */
public interface UpstreamHttp {

    /** Request headers the client sets itself from the request (lower case): a caller's are not sent. */
    Set<String> CLIENT_OWNED_HEADERS = Set.of("connection", "content-length", "expect", "host", "transfer-encoding", "upgrade");

    /**
     * Prepares a call on the caller's thread, which decides where the call runs and where the caller's route goes
     * on afterwards.
     *
     * @throws IllegalArgumentException for a request that cannot be sent (a URI without a host, an invalid header)
     */
    Call prepare(UpstreamRequest request, Exchange exchange, Connecting connecting);

    /**
     * How connections to the upstream are made: the connect time-out, and the TLS context (null: the JVM's default,
     * i.e. its trust store) for a private CA or a client certificate.
     */
    record Connecting(long timeoutMillis, SSLContext sslContext) {
    }

    /** One prepared call. */
    interface Call {

        /**
         * Sends the request. The returned future fails when the call fails (before the reply, or while its body is
         * read), completes when the body has been read, and cancelling it aborts the call and closes its connection.
         */
        CompletableFuture<Void> send(HttpResponse.BodyHandler<Void> handler);

        /** Runs the rest of the caller's route on the kind of thread it ran on before the call (never an I/O thread it did not run on). */
        void resume(Runnable continuation);
    }
}
