package org.cameltaas.gateway.connector;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.EventExecutor;
import org.apache.camel.Exchange;
import org.cameltaas.component.http.UpstreamHttp;
import org.cameltaas.component.provider.UpstreamRequest;

/**
 * The upstream client of registered deployments: base URLs {@code connector://<deployment id>} (the taas component
 * picks it by that scheme). The request goes over a live tunnel of the deployment; the path after the base URL
 * (e.g. {@code /chat/completions}) is appended to the connector's target there.
 */
public final class ConnectorUpstreamHttp implements UpstreamHttp {

    /** The scheme of registered deployments' base URLs, and the bean name the component looks up for it. */
    public static final String SCHEME = "connector";
    public static final String BEAN = "taasUpstreamHttp-" + SCHEME;
    public static final String OFFLINE_CODE = "connector_offline";
    private static final String CALLER_CONTEXT = "CamelNettyChannelHandlerContext";

    private final ConnectorRegistry registry;

    public ConnectorUpstreamHttp(ConnectorRegistry registry) {
        this.registry = registry;
    }

    public static String baseUrl(String deploymentId) {
        return SCHEME + "://" + deploymentId;
    }

    @Override
    public Call prepare(UpstreamRequest request, Exchange exchange, Connecting connecting) {
        URI uri = request.uri();
        String deployment = uri.getRawAuthority();
        if (deployment == null || deployment.isBlank()) {
            throw new IllegalArgumentException("The upstream URL " + uri + " names no deployment");
        }
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        Map<String, String> headers = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> {
            String lower = name.toLowerCase();
            // the deployment's own credentials (if any) are the connector's to add: none leave the gateway
            if (!CLIENT_OWNED_HEADERS.contains(lower) && !lower.equals("authorization") && !lower.equals("x-api-key")) {
                headers.put(name, value);
            }
        });
        EventExecutor callerThread = exchange != null
                && exchange.getMessage().getHeader(CALLER_CONTEXT) instanceof ChannelHandlerContext ctx
                && (ctx.executor().inEventLoop() || ctx.channel().eventLoop().inEventLoop()) ? ctx.executor() : null;
        Executor fallback = registry.blocking();
        return new Call() {
            @Override
            public CompletableFuture<Void> send(HttpResponse.BodyHandler<Void> handler) {
                return new ConnectorCall(registry, deployment, request.method(), path, headers, request.body()).send(handler);
            }

            @Override
            public void resume(Runnable continuation) {
                if (callerThread == null) {
                    fallback.execute(continuation);
                } else if (callerThread.inEventLoop()) {
                    continuation.run();
                } else {
                    callerThread.execute(continuation);
                }
            }
        };
    }
}
