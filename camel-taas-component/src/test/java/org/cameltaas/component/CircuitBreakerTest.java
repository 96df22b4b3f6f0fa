package org.cameltaas.component;

import org.apache.camel.Exchange;
import org.cameltaas.component.TaasUpstreamException.Failure;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class CircuitBreakerTest extends TaasTestSupport {

    private static final String CHAT = "{\"model\":\"fake-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @Test
    void opensOnFailuresSkipsTheUpstreamAndClosesAfterProbes() throws Exception {
        String uri = uri("chatCompletions",
                "model=breaker-model&circuitBreaker=true&circuitBreakerMinimumCalls=4&circuitBreakerOpenDuration=300");
        upstream.setDefault(Script.status(503).message("down"));
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(TaasRetryableException.class, call(uri, CHAT).getException());
        }
        assertEquals(4, upstream.requestCount());

        TaasRetryableException open = assertInstanceOf(TaasRetryableException.class, call(uri, CHAT).getException());
        assertEquals(Failure.CIRCUIT_OPEN, open.getFailure());
        assertEquals(503, open.getGatewayStatus());
        assertEquals(4, upstream.requestCount(), "an open breaker does not call the upstream");
        TaasComponent component = context.getComponent("taas", TaasComponent.class);
        assertEquals("OPEN", component.circuitBreakerStates().values().iterator().next());

        Thread.sleep(400); // past the open duration: the next calls are probes
        upstream.setDefault(Script.ok());
        for (int i = 0; i < 3; i++) {
            Exchange reply = call(uri, CHAT);
            assertNull(reply.getException(), "probe " + i);
        }
        assertEquals("CLOSED", component.circuitBreakerStates().values().iterator().next());
    }

    @Test
    void clientErrorsDoNotOpenTheCircuit() {
        String uri = uri("chatCompletions", "model=client-errors&circuitBreaker=true&circuitBreakerMinimumCalls=3");
        upstream.setDefault(Script.status(400).message("bad"));
        for (int i = 0; i < 6; i++) {
            assertInstanceOf(TaasNonRetryableException.class, call(uri, CHAT).getException());
        }
        assertEquals(6, upstream.requestCount());
    }
}
