package org.cameltaas.gateway.metrics;

import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.cameltaas.gateway.GatewayHeaders;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayMetricsTest {

    @Test
    void clientChosenModelNamesCannotGrowTheRegistryWithoutBound() throws Exception {
        GatewayMetrics metrics = new GatewayMetrics();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            for (int i = 0; i < GatewayMetrics.MAX_MODEL_LABELS + 200; i++) {
                Exchange exchange = new DefaultExchange(context);
                exchange.setProperty(GatewayHeaders.OPERATION, "chatCompletions");
                exchange.setProperty(GatewayHeaders.MODEL, "made-up-model-" + i);
                metrics.recordReply(exchange, 200);
            }
        }
        Set<String> models = metrics.registry().find("taas_requests_total").counters().stream()
                .map(counter -> counter.getId().getTag("model")).collect(Collectors.toSet());
        assertEquals(GatewayMetrics.MAX_MODEL_LABELS + 1, models.size(), "the first names, then 'other'");
        assertTrue(models.contains("other"));
        assertEquals(200.0, metrics.registry().get("taas_requests_total").tag("model", "other").counter().count());
        assertTrue(models.contains("made-up-model-0"), "names seen first keep their own label");
    }
}
