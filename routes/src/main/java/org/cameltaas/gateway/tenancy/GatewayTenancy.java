package org.cameltaas.gateway.tenancy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.cameltaas.gateway.auth.TokenStore;
import org.cameltaas.tenancy.Tenancy;
import org.cameltaas.tenancy.TenancySettings;
import org.cameltaas.tenancy.UsageEvent;
import org.cameltaas.tenancy.UsageJson;

/**
 * Puts tenancy into the gateway: opens it from the environment, binds the beans the admin and ledger routes use
 * ({@code adminApi}, {@code usageRecorder}, {@code usageStore}, {@code usageJsonLines}, {@code tenancy}), starts
 * the ledger shipper once the routes run and closes everything after the gateway stopped. The request path sees
 * only the token store this returns.
 */
public final class GatewayTenancy {

    private GatewayTenancy() {
    }

    /** @return the token store for the authenticator: {@code fileTokens} first, then the tokens tenancy issued */
    public static TokenStore install(Main main, Map<String, String> env, TokenStore fileTokens) {
        Tenancy tenancy = Tenancy.open(TenancySettings.fromEnv(env));
        ExecutorService adminPool = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "TaasAdmin");
            thread.setDaemon(true);
            return thread;
        });
        main.bind("tenancy", tenancy);
        main.bind("adminApi", new AdminEndpoint(tenancy.admin(), tenancy.tokenCache(), adminPool));
        main.bind("usageRecorder", new UsageRecorder(tenancy.journal(), tenancy.debugCapture()));
        main.bind("usageStore", (Processor) exchange -> tenancy.ledger().record(batch(exchange.getMessage().getBody())));
        main.bind("usageJsonLines", (Processor) exchange ->
                exchange.getMessage().setBody(UsageJson.lines(batch(exchange.getMessage().getBody()))));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                try {
                    support.getCamelContext().addStartupListener(shipper(tenancy));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the usage ledger's shipper", e);
                }
            }

            @Override
            public void afterStop(BaseMainSupport support) {
                adminPool.shutdown();
                tenancy.close();
            }
        });
        return new TenancyTokenStore(fileTokens, tenancy.tokenCache(), tenancy.projectCache());
    }

    /** Starts delivering journaled events once every route runs (direct:usage-ledger must be there). */
    private static ExtendedStartupListener shipper(Tenancy tenancy) {
        return new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                ProducerTemplate template = started.createProducerTemplate();
                tenancy.startShipping(events -> template.requestBody("direct:usage-ledger", events));
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static List<UsageEvent> batch(Object body) {
        return (List<UsageEvent>) body;
    }
}
