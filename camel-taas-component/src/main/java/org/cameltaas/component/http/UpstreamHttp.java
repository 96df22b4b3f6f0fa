package org.cameltaas.component.http;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

import org.apache.camel.Exchange;
import org.cameltaas.component.provider.UpstreamRequest;

/**
 * The HTTP client under the producer: sends one request and feeds the reply to the subscriber the handler picks
 * once the status and headers are known (the JDK's {@link HttpResponse.BodyHandler} contract, whichever client).
 */
public interface UpstreamHttp {

    /**
     * Sends {@code request}. The returned future fails when the call fails (before the reply, or while its body is
     * read), completes when the body has been read, and cancelling it aborts the call and closes its connection.
     *
     * @param exchange the exchange on whose behalf the call is made (a client may run the call where the exchange
     *                 came from)
     */
    CompletableFuture<Void> send(UpstreamRequest request, HttpResponse.BodyHandler<Void> handler, Exchange exchange,
                                 long connectTimeoutMillis);

    /**
     * Whether the caller's route may continue on the thread that delivers this call's reply. When not, the producer
     * continues it on the component's worker pool, where a blocking step does no harm to other calls.
     */
    boolean continuesOnReplyThread(Exchange exchange);
}
