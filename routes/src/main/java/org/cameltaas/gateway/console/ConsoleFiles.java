package org.cameltaas.gateway.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.error.GatewayException;
import org.cameltaas.gateway.error.NotFoundException;
import org.cameltaas.gateway.http.TaasHttpBinding;

/**
 * The operator console's static files, {@code /console/...} from the jar's {@code console/} folder. The files hold
 * no data (every value comes from the admin API, with the token in the Authorization header), so they are served
 * without a token. Names are checked against a strict pattern before any lookup, on the raw and the decoded path:
 * no {@code ..}, no percent-encoding, no backslash, only the known file types; anything else is a 404 (or a 400 for
 * a name that tries to climb). Every reply carries the console's security headers.
 */
public final class ConsoleFiles implements Processor {

    public static final String PREFIX = "/console";

    /** Same-origin only, no inline code or styles, never framed. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "json", "application/json");

    /** Lower-case segments of letters, digits, '-', '_' and inner dots, ending in a known extension. */
    private static final Pattern NAME = Pattern.compile("([a-z0-9][a-z0-9_-]*/)*[a-z0-9][a-z0-9_-]*(\\.[a-z0-9_-]+)*\\.(html|js|css|svg|png|ico|json)");

    private final String root;
    /** The files found so far (a handful); names not found are not remembered, so no request can grow this. */
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public ConsoleFiles() {
        this("console/");
    }

    ConsoleFiles(String root) {
        this.root = root;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, String.class);
        if (path == null || !(path.equals(PREFIX) || path.startsWith(PREFIX + "/"))) {
            throw new NotFoundException("No such endpoint: " + message.getHeader(Exchange.HTTP_METHOD) + " " + path);
        }
        String method = message.getHeader(Exchange.HTTP_METHOD, String.class);
        if (!"GET".equals(method)) {
            message.setHeader("Allow", "GET");
            throw new GatewayException(405, "invalid_request_error", "method_not_allowed", null,
                    method + " is not allowed on " + path + ": use GET");
        }
        String name = path.equals(PREFIX) ? null : path.substring(PREFIX.length() + 1);
        // the path as the client sent it, before any decoding: %2e%2e and %5c are refused as such
        String raw = stripQuery(message.getHeader(Exchange.HTTP_URI, String.class));
        if (climbs(name) || raw != null && climbs(raw.replaceFirst("^[a-zA-Z]+://[^/]+", "").replaceFirst("^/+", ""))) {
            throw GatewayException.badRequest("invalid_path", null, "The console path may not contain '..', '\\' or encoded characters.");
        }
        // the request's headers go (Authorization among them), and the component's (the binding would wait on a future)
        message.getHeaders().keySet().removeIf(header -> !header.startsWith("Camel") || header.startsWith("CamelTaas"));
        if (name == null) {
            // /console: the page's relative links need the trailing slash
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 308);
            message.setHeader("Location", PREFIX + "/");
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setBody(("Moved to " + PREFIX + "/\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            securityHeaders(exchange, message, "text/plain");
            return;
        }
        if (name.isEmpty()) {
            name = "index.html";
        }
        byte[] content = NAME.matcher(name).matches() ? read(name) : null;
        if (content == null) {
            throw new NotFoundException("No such console file: " + path);
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, TYPES.get(extension));
        message.setBody(content);
        securityHeaders(exchange, message, extension);
    }

    /** A name that tries to leave the folder: '..' (plain or encoded), a backslash, any percent-encoding, a NUL. */
    static boolean climbs(String name) {
        if (name == null) {
            return false;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("..") || lower.contains("\\") || lower.contains("%") || lower.contains("\0")
                || lower.contains("//");
    }

    private static void securityHeaders(Exchange exchange, Message message, String extension) {
        message.setHeader("Content-Security-Policy", CSP);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("X-Frame-Options", "DENY");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        // the page is small and changes with the gateway: never a stale one; its scripts and styles may be revalidated
        exchange.setProperty(TaasHttpBinding.CACHE_CONTROL, "html".equals(extension) ? "no-store" : "no-cache");
        Object requestId = exchange.getProperty(GatewayHeaders.REQUEST_ID);
        if (requestId != null) {
            message.setHeader("x-request-id", requestId.toString());
        }
    }

    private byte[] read(String name) {
        byte[] cached = cache.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream(root + name)) {
            if (in == null) {
                return null;
            }
            byte[] content = in.readAllBytes();
            cache.put(name, content);
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String stripQuery(String uri) {
        if (uri == null) {
            return null;
        }
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }
}
