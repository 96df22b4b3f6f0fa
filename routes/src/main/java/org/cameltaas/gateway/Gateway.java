package org.cameltaas.gateway;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Set;

import org.apache.camel.builder.NoErrorHandlerBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.Predicate;
import org.apache.camel.Processor;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.cameltaas.component.TaasOperation;
import org.cameltaas.local.LocalModels;
import org.cameltaas.gateway.auth.Authenticator;
import org.cameltaas.gateway.auth.FileTokenStore;
import org.cameltaas.gateway.auth.TokenStore;
import org.cameltaas.gateway.cache.EmbeddingsCache;
import org.cameltaas.gateway.catalog.BaseUrls;
import org.cameltaas.gateway.credits.Credits;
import org.cameltaas.gateway.catalog.ModelCatalog;
import org.cameltaas.gateway.catalog.ModelNames;
import org.cameltaas.gateway.error.ErrorResponder;
import org.cameltaas.gateway.http.CompactResponse;
import org.cameltaas.gateway.http.ResponseWriter;
import org.cameltaas.gateway.http.TaasHttpBinding;
import org.cameltaas.gateway.http.inbound.InboundLimits;
import org.cameltaas.gateway.connector.GatewayConnectors;
import org.cameltaas.gateway.http.inbound.TaasNettyHttpComponent;
import org.cameltaas.gateway.limits.RateLimits;
import org.cameltaas.gateway.metrics.GatewayMetrics;
import org.cameltaas.gateway.metrics.MetricsAccess;
import org.cameltaas.gateway.reload.RouteFileReload;
import org.cameltaas.gateway.responses.ResponsesMemory;
import org.cameltaas.gateway.resilience.DeploymentHealth;
import org.cameltaas.gateway.resilience.DeploymentRouter;
import org.cameltaas.gateway.resilience.DeploymentStats;
import org.cameltaas.gateway.resilience.SessionAffinity;
import org.cameltaas.gateway.tenancy.GatewayTenancy;
import org.cameltaas.gateway.request.HttpMethods;
import org.cameltaas.gateway.request.InboundRequest;
import org.cameltaas.gateway.request.RequestIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets up camel-main for the gateway from environment variables: the port, the routes (shipped in the jar, or an
 * operator's directory with live reload), the upstreams, the tokens, and the named beans the YAML routes use.
 */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** The upstreams configured by {@code <PREFIX>_API_KEY} / {@code <PREFIX>_BASE_URL}, with their public base URLs. */
    private static final Map<String, String> UPSTREAMS = Map.of(
            "openai", "https://api.openai.com/v1",
            "anthropic", "https://api.anthropic.com/v1",
            "gemini", "https://generativelanguage.googleapis.com/v1beta");

    private Gateway() {
    }

    /** A camel-main ready to run the gateway as the environment describes. */
    public static Main create(Map<String, String> env) throws IOException {
        Main main = new Main();
        main.configure().withName("camel-taas-gateway");
        main.addInitialProperty("taas.host", env.getOrDefault("TAAS_HOST", "0.0.0.0"));
        main.addInitialProperty("taas.port", env.getOrDefault("TAAS_PORT", "8080"));
        String routesDir = env.get("TAAS_ROUTES_DIR");
        boolean operatorRoutes = routesDir != null && !routesDir.isBlank();
        main.addInitialProperty("camel.main.routesIncludePattern",
                operatorRoutes ? "file:" + routesDir + "/*.camel.yaml" : "classpath:camel/*.camel.yaml");
        UPSTREAMS.forEach((name, publicUrl) -> upstream(main, env, name, publicUrl));
        azure(main, env);
        bedrock(main, env);
        localModels(main, env);
        optional(main, env, "TAAS_FIRST_TOKEN_TIMEOUT", "camel.component.taas.firstTokenTimeout");
        optional(main, env, "TAAS_IDLE_TIMEOUT", "camel.component.taas.idleTimeout");
        optional(main, env, "TAAS_TOTAL_TIMEOUT", "camel.component.taas.totalTimeout");
        optional(main, env, "TAAS_SESSION_FROM_USER", "taas.sessions.fromUser");

        String masterKey = masterKey(env);
        FileTokenStore tokens = new FileTokenStore(env.get("TAAS_TOKENS_FILE"), masterKey);
        LOG.info("{} API token(s) loaded", tokens.size());
        TokenStore tokenStore = GatewayTenancy.install(main, env, tokens);

        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                // failures travel up to the one doTry/doCatch of the http route (surface.camel.yaml), passing through
                // EIPs that act on them on the way (the failover load balancer); no route handles them earlier
                support.getCamelContext().getCamelContextExtension().setErrorHandlerFactory(new NoErrorHandlerBuilder());
                if (operatorRoutes) {
                    // changed route files are reloaded one by one while the gateway keeps serving
                    RouteWatcherReloadStrategy watcher = new RouteWatcherReloadStrategy(routesDir, false);
                    watcher.setPattern("*.camel.yaml");
                    watcher.setResourceReload(new RouteFileReload(support.getCamelContext()));
                    try {
                        support.getCamelContext().addService(watcher);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot watch " + routesDir, e);
                    }
                }
            }
        });
        // the HTTP server with the gateway's pipeline: bounded requests, time-outs, a per-address connection cap
        TaasNettyHttpComponent http = new TaasNettyHttpComponent(InboundLimits.fromEnv(env));
        http.setTls(org.cameltaas.gateway.http.inbound.GatewayTls.fromEnv(env));
        main.bind("netty-http", http);
        TaasHttpBinding binding = new TaasHttpBinding();
        main.bind("taasHttpBinding", binding);
        main.bind("requestIds", new RequestIds());
        main.bind("requirePost", HttpMethods.only("POST"));
        main.bind("requireGet", HttpMethods.only("GET"));
        GatewayMetrics metrics = new GatewayMetrics();
        // registered deployments served through connectors' tunnels (docs/connectors.md)
        GatewayConnectors.install(main, main.lookup("tenancy", org.cameltaas.tenancy.Tenancy.class), http, metrics);
        RateLimits rateLimits = RateLimits.fromEnv(env, metrics);
        main.bind("authenticate", rateLimits.beforeAuthentication(new Authenticator(tokenStore)));
        // the credits (docs/limits.md) follow the rate limits in the same step, so an operator's routes keep both
        Credits credits = Credits.start(env, main.lookup("tenancy", org.cameltaas.tenancy.Tenancy.class), metrics);
        main.bind("rateLimits", credits.after(rateLimits.tokenLimits()));
        main.bind("credits", credits);
        main.bind("metricsAccess", MetricsAccess.fromEnv(env, new Authenticator(tokenStore)));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStop(BaseMainSupport support) {
                rateLimits.close();
            }
        });
        main.bind("gatewayMetrics", metrics);
        EmbeddingsCache embeddingsCache = EmbeddingsCache.fromEnv(env);
        main.bind("embeddingsCache", embeddingsCache);
        main.bind("embeddingsLookup", (Processor) embeddingsCache::lookup);
        main.bind("embeddingsStore", (Processor) embeddingsCache::store);
        if (embeddingsCache.embeddingsStore() != null) {
            metrics.watchCache("embeddings", embeddingsCache.embeddingsStore());
        }
        main.bind("respond", new ResponseWriter(metrics));
        main.bind("errorResponder", new ErrorResponder(metrics));
        ModelCatalog catalog = new ModelCatalog();
        main.bind("modelCatalog", catalog);
        main.bind("declaredModel", (Predicate) catalog::has);
        DeploymentStats deploymentStats = new DeploymentStats();
        ScheduledExecutorService backoffTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "TaasFallbackBackoff");
            thread.setDaemon(true);
            return thread;
        });
        main.bind("deployments", new DeploymentRouter(deploymentStats,
                SessionAffinity.inProcess(100_000, Duration.ofHours(1)), backoffTimer));
        main.bind("deploymentHealth", new DeploymentHealth(deploymentStats));
        main.bind("modelNames", new ModelNames());
        for (TaasOperation operation : TaasOperation.values()) {
            String defaultModel = operation.payload() == TaasOperation.Payload.MULTIPART
                    && operation.name().startsWith("audio") ? "whisper-1"
                    : operation == TaasOperation.moderations ? "omni-moderation-latest" : null;
            main.bind(operation.name() + "Request", new InboundRequest(operation, defaultModel, false));
        }
        main.bind("codexRequest", new InboundRequest(TaasOperation.responses, null, true));
        main.bind("compactResponse", new CompactResponse());
        main.bind("responsesMemory", ResponsesMemory.fromEnv(env));
        main.bind("consoleFiles", new org.cameltaas.gateway.console.ConsoleFiles());
        org.cameltaas.gateway.files.GatewayFiles.install(main, env, main.lookup("tenancy", org.cameltaas.tenancy.Tenancy.class),
                http, binding).uploads().checkTokensWith(token -> tokenStore.authenticate(token).isPresent());
        return main;
    }

    /**
     * The in-process embeddings and rerank models (on by default, {@code TAAS_LOCAL_MODELS=false} turns them off),
     * served on a loopback port of their own and reached like any OpenAI-compatible upstream.
     */
    private static void localModels(Main main, Map<String, String> env) throws IOException {
        if ("false".equalsIgnoreCase(env.get("TAAS_LOCAL_MODELS"))) {
            main.addInitialProperty("taas.local.baseUrl", "http://127.0.0.1:1/v1");
            main.addInitialProperty("taas.local.configured", "false");
            return;
        }
        LocalModels local = LocalModels.start();
        main.addInitialProperty("taas.local.baseUrl", local.baseUrl());
        main.addInitialProperty("taas.local.configured", "true");
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStop(BaseMainSupport support) {
                local.close();
            }
        });
    }

    private static void optional(Main main, Map<String, String> env, String variable, String property) {
        String value = env.get(variable);
        if (value != null && !value.isBlank()) {
            main.addInitialProperty(property, value);
        }
    }

    private static void upstream(Main main, Map<String, String> env, String name, String publicUrl) {
        String prefix = name.toUpperCase();
        String key = env.getOrDefault(prefix + "_API_KEY", "");
        String baseUrl = env.getOrDefault(prefix + "_BASE_URL", "");
        main.addInitialProperty("taas." + name + ".apiKey", key);
        // the host root or the URL with its version path: both work (BaseUrls)
        main.addInitialProperty("taas." + name + ".baseUrl", baseUrl.isBlank() ? publicUrl
                : BaseUrls.normalise(baseUrl, URI.create(publicUrl).getPath()));
        // a compatible server on a base URL of its own may need no key; the public API always does
        main.addInitialProperty("taas." + name + ".configured", String.valueOf(!key.isBlank() || !baseUrl.isBlank()));
    }

    /**
     * Azure OpenAI ({@code azure/<deployment>}): {@code AZURE_OPENAI_BASE_URL} names the resource (its
     * {@code .../openai} URL with {@code AZURE_OPENAI_API_VERSION}, or its {@code .../openai/v1} URL),
     * {@code AZURE_OPENAI_API_KEY} the key. Azure has no public URL of its own: without a base URL it is not configured.
     */
    private static void azure(Main main, Map<String, String> env) {
        String baseUrl = env.getOrDefault("AZURE_OPENAI_BASE_URL", "").trim();
        main.addInitialProperty("taas.azure.apiKey", env.getOrDefault("AZURE_OPENAI_API_KEY", ""));
        main.addInitialProperty("taas.azure.baseUrl", baseUrl.isEmpty() ? "http://127.0.0.1:1/openai/v1" : baseUrl);
        main.addInitialProperty("taas.azure.apiVersion", env.getOrDefault("AZURE_OPENAI_API_VERSION", "").trim());
        main.addInitialProperty("taas.azure.configured", String.valueOf(!baseUrl.isEmpty()));
    }

    /**
     * Amazon Bedrock ({@code bedrock/<model id>}): a Bedrock API key in {@code AWS_BEARER_TOKEN_BEDROCK}, else the
     * access key pair ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}) that signs
     * each request; the endpoint from {@code BEDROCK_BASE_URL}, else {@code AWS_REGION}'s (us-east-1).
     */
    private static void bedrock(Main main, Map<String, String> env) {
        String bearer = env.getOrDefault("AWS_BEARER_TOKEN_BEDROCK", "").trim();
        String accessKey = env.getOrDefault("AWS_ACCESS_KEY_ID", "").trim();
        String secret = env.getOrDefault("AWS_SECRET_ACCESS_KEY", "").trim();
        String session = env.getOrDefault("AWS_SESSION_TOKEN", "").trim();
        String key = !bearer.isEmpty() ? bearer
                : !accessKey.isEmpty() && !secret.isEmpty() ? accessKey + ":" + secret + (session.isEmpty() ? "" : ":" + session) : "";
        String region = env.getOrDefault("AWS_REGION", env.getOrDefault("AWS_DEFAULT_REGION", "us-east-1")).trim();
        String baseUrl = env.getOrDefault("BEDROCK_BASE_URL", "").trim();
        main.addInitialProperty("taas.bedrock.apiKey", key);
        main.addInitialProperty("taas.bedrock.baseUrl", baseUrl.isEmpty() ? "https://bedrock-runtime." + region + ".amazonaws.com" : baseUrl);
        main.addInitialProperty("taas.bedrock.configured", String.valueOf(!key.isEmpty()));
    }

    /**
     * {@code TAAS_MASTER_KEY}, or one generated on first start and kept in {@code TAAS_DATA_DIR/master-key}
     * (readable by the owner only); the key itself is never logged.
     */
    static String masterKey(Map<String, String> env) throws IOException {
        String fromEnv = env.get("TAAS_MASTER_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            if (!fromEnv.startsWith("taas_")) {
                throw new IllegalArgumentException("TAAS_MASTER_KEY must start with taas_");
            }
            return fromEnv;
        }
        Path file = Path.of(env.getOrDefault("TAAS_DATA_DIR", "data"), "master-key");
        if (Files.exists(file)) {
            String key = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!key.startsWith("taas_") || key.length() < 16) {
                throw new IllegalStateException(file.toAbsolutePath() + " holds no usable admin token (it must start with"
                        + " taas_): fix or delete it, or set TAAS_MASTER_KEY");
            }
            return key;
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String key = "taas_" + HexFormat.of().formatHex(random);
        Files.createDirectories(file.getParent());
        try {
            // owner-only from the start: the key is never in a world-readable file, not even for a moment
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system: the directory's own permissions apply
        }
        Files.writeString(file, key + "\n", StandardCharsets.UTF_8);
        LOG.warn("TAAS_MASTER_KEY is not set: an admin token was generated and written to {} (owner-only)", file.toAbsolutePath());
        return key;
    }

    static Set<String> upstreamNames() {
        return UPSTREAMS.keySet();
    }
}
