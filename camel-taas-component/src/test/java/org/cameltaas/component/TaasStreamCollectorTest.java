package org.cameltaas.component;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaasStreamCollectorTest extends TaasTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:chat").to(uri("chatCompletions", "model=fake-gpt&stream=true")).process(new TaasStreamCollector());
                from("direct:responses").to(uri("responses", "model=fake-gpt&stream=true")).process(new TaasStreamCollector());
                from("direct:messages").to(uri("messages", "model=fake-claude&stream=true")).process(new TaasStreamCollector());
            }
        };
    }

    @Test
    void collectsEachProtocolIntoText() {
        for (String route : new String[] {"direct:chat", "direct:responses", "direct:messages"}) {
            Exchange reply = template.request(route, e -> e.getMessage().setBody("gather these words"));
            assertNull(reply.getException(), route);
            assertEquals("Echo: gather these words", reply.getMessage().getBody(String.class), route);
            assertEquals(4, reply.getMessage().getHeader(TaasConstants.COMPLETION_TOKENS), route);
            assertTrue(reply.getMessage().getHeader(TaasConstants.PROMPT_TOKENS, Integer.class) > 0, route);
        }
    }

    @Test
    void aBrokenStreamFailsTheExchange() {
        upstream.enqueue(Script.ok().reply("one two three four").cutAfterEvents(3));
        Exchange reply = template.request("direct:chat", e -> e.getMessage().setBody("x"));
        assertEquals(TaasUpstreamException.Failure.STREAM_CUT,
                assertInstanceOf(TaasNonRetryableException.class, reply.getException()).getFailure());
    }
}
