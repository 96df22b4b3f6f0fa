package org.cameltaas.gateway.connector;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.ExtendedStartupListener;
import org.cameltaas.gateway.http.inbound.TaasNettyHttpComponent;
import org.cameltaas.tenancy.Tenancy;

/**
 * Puts connectors into the gateway: the tunnel endpoint on the HTTP server, the registry of live tunnels, the
 * {@code connector://} upstream client the taas component picks for registered deployments, their model routes,
 * and the admin API's view of live connectors.
 */
public final class GatewayConnectors {

    public static final String REGISTERED = "registeredDeployments";

    private GatewayConnectors() {
    }

    public static void install(Main main, Tenancy tenancy, TaasNettyHttpComponent http,
                               org.cameltaas.gateway.metrics.GatewayMetrics metrics) {
        ConnectorRegistry registry = new ConnectorRegistry(new TenancyConnectorAuthority(tenancy.deployments()));
        registry.meters(metrics.registry());
        RegisteredDeployments deployments = new RegisteredDeployments(tenancy.deployments());
        http.setTunnel(() -> new TunnelEndpoint(registry));
        main.bind(ConnectorUpstreamHttp.BEAN, new ConnectorUpstreamHttp(registry));
        main.bind(REGISTERED, deployments);
        main.bind("connectorRegistry", registry);
        tenancy.connectorsAdmin().live(registry::connectors);
        tenancy.connectorsAdmin().onChange(deployments::sync);
        ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "TaasDeploymentsRefresh");
            thread.setDaemon(true);
            return thread;
        });
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                try {
                    support.getCamelContext().addStartupListener(new ExtendedStartupListener() {
                        @Override
                        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                        }

                        @Override
                        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                            deployments.started(context);
                            // deployments created through another replica
                            refresh.scheduleWithFixedDelay(deployments::sync, 2, 2, TimeUnit.SECONDS);
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start registered deployments", e);
                }
            }

            @Override
            public void beforeStop(BaseMainSupport support) {
                refresh.shutdownNow();
                registry.close();
            }
        });
    }
}
