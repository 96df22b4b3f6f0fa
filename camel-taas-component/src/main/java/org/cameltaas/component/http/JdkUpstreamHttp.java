package org.cameltaas.component.http;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.apache.camel.Exchange;
import org.cameltaas.component.provider.UpstreamRequest;

/**
 * The JDK {@link HttpClient}: HTTP/2 over TLS, replies delivered on the component's worker pool. One client per
 * connect time-out and TLS context (the JDK fixes both per client).
 */
public final class JdkUpstreamHttp implements UpstreamHttp {

    private final Executor executor;
    private final Map<Connecting, HttpClient> clients = new ConcurrentHashMap<>();

    public JdkUpstreamHttp(Executor executor) {
        this.executor = executor;
    }

    @Override
    public Call prepare(UpstreamRequest request, Exchange exchange, Connecting connecting) {
        HttpRequest httpRequest = httpRequest(request);
        HttpClient client = client(connecting);
        return new Call() {
            @Override
            public CompletableFuture<Void> send(HttpResponse.BodyHandler<Void> handler) {
                CompletableFuture<HttpResponse<Void>> sent = client.sendAsync(httpRequest, handler);
                CompletableFuture<Void> call = new CompletableFuture<>() {
                    @Override
                    public boolean cancel(boolean mayInterruptIfRunning) {
                        sent.cancel(true); // aborts the HTTP exchange and closes its connection
                        return super.cancel(mayInterruptIfRunning);
                    }
                };
                sent.whenComplete((response, error) -> {
                    if (error != null) {
                        call.completeExceptionally(error);
                    } else {
                        call.complete(null);
                    }
                });
                return call;
            }

            @Override
            public void resume(Runnable continuation) {
                continuation.run(); // the JDK delivers replies on the worker pool already
            }
        };
    }

    private HttpClient client(Connecting connecting) {
        return clients.computeIfAbsent(connecting, key -> {
            HttpClient.Builder builder = HttpClient.newBuilder()
                    .executor(executor)
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (key.timeoutMillis() > 0) {
                builder.connectTimeout(Duration.ofMillis(key.timeoutMillis()));
            }
            if (key.sslContext() != null) {
                builder.sslContext(key.sslContext());
            }
            return builder.build();
        });
    }

    private static HttpRequest httpRequest(UpstreamRequest upstream) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(upstream.uri())
                .method(upstream.method(), upstream.body() == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(upstream.body()));
        // cleartext HTTP/2 would cost an Upgrade round trip on every connection; TLS negotiates HTTP/2 itself
        builder.version("https".equalsIgnoreCase(upstream.uri().getScheme())
                ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1);
        upstream.headers().forEach((name, value) -> {
            if (!CLIENT_OWNED_HEADERS.contains(name.toLowerCase())) {
                builder.header(name, value);
            }
        });
        return builder.build();
    }
}
