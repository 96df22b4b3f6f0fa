package org.cameltaas.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import org.cameltaas.testkit.RecordedRequest;

/**
 * The baseline: a plain JDK HttpClient (HTTP/1.1, sendAsync) sending exactly the request the component sent,
 * copied from the fake upstream's record of it, and taking the reply as bytes. Two ways:
 * <ul>
 * <li>naive: the client's default executor, the reply taken from the future sendAsync returns. The JDK completes
 * that future on CompletableFuture's default async pool, which on a machine whose common-pool parallelism is 1
 * (2 cores) starts a new thread for every request;</li>
 * <li>as taas does it: a fixed pool sized like the component's, the reply taken when its body subscriber
 * completes, on that pool. This is the baseline: it differs from the component only by what the component
 * does.</li>
 * </ul>
 */
final class DirectCaller implements ChatCaller {

    /** Headers the JDK client writes itself (user-agent: the same value as the component's). */
    private static final Set<String> SET_BY_CLIENT = Set.of("connection", "content-length", "expect", "host",
            "upgrade", "user-agent");

    private final HttpClient client;
    private final HttpRequest request;
    private final String name;
    private final boolean asTaasDoes;

    /** @param executor the client's executor, or null for the JDK default and the naive way of replying */
    DirectCaller(String upstreamBaseUrl, RecordedRequest sample, ExecutorService executor, String name) {
        HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (executor != null) {
            builder.executor(executor);
        }
        this.client = builder.build();
        this.request = copy(upstreamBaseUrl, sample);
        this.name = name;
        this.asTaasDoes = executor != null;
    }

    private static HttpRequest copy(String upstreamBaseUrl, RecordedRequest sample) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(upstreamBaseUrl + sample.uri()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(sample.body()));
        for (Map.Entry<String, List<String>> header : sample.headers().entrySet()) {
            if (!SET_BY_CLIENT.contains(header.getKey())) {
                header.getValue().forEach(value -> builder.header(header.getKey(), value));
            }
        }
        return builder.build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isBaseline() {
        return asTaasDoes;
    }

    @Override
    public CompletableFuture<Boolean> call() {
        if (!asTaasDoes) {
            return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                    .thenApply(reply -> reply.statusCode() == 200 && reply.body().length > 0);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        client.sendAsync(request, info -> {
            BodySubscriber<byte[]> body = BodySubscribers.ofByteArray();
            body.getBody().whenComplete((bytes, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(info.statusCode() == 200 && bytes.length > 0);
                }
            });
            return body;
        }).whenComplete((ignored, error) -> {
            if (error != null) {
                result.completeExceptionally(error); // failed before a reply: no body subscriber ran
            }
        });
        return result;
    }
}
