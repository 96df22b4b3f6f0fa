package org.cameltaas.gateway.tenancy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.error.GatewayException;
import org.cameltaas.tenancy.AdminApi;
import org.cameltaas.tenancy.AdminScope;
import org.cameltaas.tenancy.Token;
import org.cameltaas.tenancy.TokenCache;
import org.cameltaas.tenancy.TenancyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/v1/...} for the master key and admin-role tokens (403 for any other valid token). The call runs on
 * a small pool of its own, since it reads and writes the database: never on a Netty thread, never holding one of
 * the threads that serve model requests. Refusals become {@link GatewayException}s, so the http route's one error
 * handler answers them in the OpenAI envelope.
 */
public final class AdminEndpoint extends AsyncProcessorSupport implements AsyncProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoint.class);
    static final String PREFIX = "/admin/v1";

    private final AdminApi api;
    private final TokenCache tokens;
    private final ExecutorService pool;

    public AdminEndpoint(AdminApi api, TokenCache tokens, ExecutorService pool) {
        this.api = api;
        this.tokens = tokens;
        this.pool = pool;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        pool.execute(() -> {
            try {
                handle(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            callback.done(false);
        });
        return false;
    }

    private void handle(Exchange exchange) {
        Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
        if (principal == null || !principal.admin()) {
            throw new GatewayException(403, "permission_error", "insufficient_permissions", null,
                    "The admin API takes the master key or a token with the admin role.");
        }
        // an admin-role token from the database is scoped to its team; the master key and file admins see all
        AdminScope scope = tokens.byId(principal.tokenId()).filter(Token::admin).filter(t -> t.teamId().equals(principal.team()))
                .map(t -> new AdminScope(t.teamId())).orElse(AdminScope.GLOBAL);
        Message message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, String.class);
        String method = message.getHeader(Exchange.HTTP_METHOD, String.class);
        byte[] body = "GET".equals(method) ? new byte[0] : message.getBody(byte[].class);
        try {
            AdminApi.Reply reply = api.handle(method, path.substring(PREFIX.length()), query(message.getHeader(Exchange.HTTP_QUERY,
                    String.class)), body, scope);
            message.setBody(reply.body());
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, reply.status());
        } catch (TenancyException e) {
            throw new GatewayException(e.status(), e.type(), e.code(), e.param(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("admin call {} {} failed", method, path, e);
            throw new GatewayException(503, "service_unavailable", "tenancy_store_unavailable", null,
                    "The tenancy store did not answer; nothing was changed by a failed write. Try again.");
        }
    }

    /** The query string's parameters, decoded; a repeated name keeps its last value; an empty value is no filter. */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!value.isEmpty()) {
                params.put(name, value);
            }
        }
        return params;
    }
}
