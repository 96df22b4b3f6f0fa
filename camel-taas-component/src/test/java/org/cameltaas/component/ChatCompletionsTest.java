package org.cameltaas.component;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatCompletionsTest extends TaasTestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:ask")
                        .to(uri("chatCompletions", "model=fake-gpt"))
                        .setBody(simple("${body.at('/choices/0/message/content').asText()}"))
                        .to("mock:answer");
            }
        };
    }

    @Test
    void jsonBodyReachesTheUpstreamByteForByte() {
        String body = "{\"model\":\"fake-gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}],"
                      + "\"temperature\":0.70,\"x_vendor_field\":{\"keep\":[1,2.50]},\"metadata\":{\"session_id\":\"s-1\"}}";
        Exchange reply = call(uri("chatCompletions", null), body);

        assertNull(reply.getException());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("/v1/chat/completions", sent.path());
        assertEquals(body, sent.bodyText(), "an unchanged body is forwarded as the caller's own bytes");
        assertEquals("Bearer " + API_KEY, sent.header("authorization"));

        JsonNode json = reply.getMessage().getBody(JsonNode.class);
        assertEquals("Echo: hello there", json.at("/choices/0/message/content").asText());
        assertEquals(200, reply.getMessage().getHeader(TaasConstants.UPSTREAM_STATUS));
        assertEquals("fake-gpt", reply.getMessage().getHeader(TaasConstants.MODEL_USED));
        assertEquals(json.at("/usage/prompt_tokens").asInt(), reply.getMessage().getHeader(TaasConstants.PROMPT_TOKENS));
        assertEquals(json.at("/usage/completion_tokens").asInt(),
                reply.getMessage().getHeader(TaasConstants.COMPLETION_TOKENS));
        assertTrue(reply.getMessage().getHeader(TaasConstants.TOTAL_TOKENS, Integer.class) > 0);
        assertTrue(reply.getMessage().getHeader(TaasConstants.UPSTREAM_REQUEST_ID, String.class).startsWith("req_"));
    }

    @Test
    void endpointModelOverridesTheBodyAndKeepsEveryOtherField() throws Exception {
        String body = "{\"model\":\"alias\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.70,"
                      + "\"n\":2,\"unknown\":{\"deep\":[true,null]}}";
        Exchange reply = call(uri("chatCompletions", "model=real-model"), body);

        assertNull(reply.getException());
        JsonNode sent = upstream.lastRequest().bodyJson();
        assertEquals("real-model", sent.get("model").asText());
        assertTrue(upstream.lastRequest().bodyText().contains("\"temperature\":0.70"), "numbers keep their exact form");
        assertEquals("{\"deep\":[true,null]}", sent.get("unknown").toString());
        assertEquals(2, reply.getMessage().getBody(JsonNode.class).get("choices").size());
    }

    @Test
    void headerModelOverridesTheEndpointAndExtraHeadersAreSent() {
        Exchange reply = call(uri("chatCompletions", "model=endpoint-model&upstreamHeader.OpenAI-Organization=org-7"),
                "plain prompt", Map.of(TaasConstants.MODEL, "header-model",
                        TaasConstants.UPSTREAM_HEADERS, Map.of("X-Trace", "t-1")));

        assertNull(reply.getException());
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("header-model", sent.bodyJson().get("model").asText());
        assertEquals("plain prompt", sent.bodyJson().at("/messages/0/content").asText());
        assertEquals("user", sent.bodyJson().at("/messages/0/role").asText());
        assertEquals("org-7", sent.header("OpenAI-Organization"));
        assertEquals("t-1", sent.header("x-trace"));
    }

    @Test
    void mapAndTreeBodiesAreAccepted() {
        Map<String, Object> map = Map.of("model", "fake-gpt",
                "messages", List.of(Map.of("role", "user", "content", "from a map")));
        Exchange reply = call(uri("chatCompletions", null), map);
        assertEquals("Echo: from a map",
                reply.getMessage().getBody(JsonNode.class).at("/choices/0/message/content").asText());
    }

    @Test
    void worksInsideARoute() throws Exception {
        MockEndpoint answer = getMockEndpoint("mock:answer");
        answer.expectedBodiesReceived("Echo: what is camel?");
        template.sendBody("direct:ask", "what is camel?");
        answer.assertIsSatisfied();
    }

    @Test
    void toolCallsComeBackInTheOpenAiShape() {
        upstream.enqueue(Script.ok().toolCall("get_weather", "{\"city\":\"Paris\"}"));
        Exchange reply = call(uri("chatCompletions", "model=fake-gpt"),
                "{\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],\"tool_choice\":\"auto\"}");
        JsonNode message = reply.getMessage().getBody(JsonNode.class).at("/choices/0/message");
        assertEquals("get_weather", message.at("/tool_calls/0/function/name").asText());
        assertEquals("{\"city\":\"Paris\"}", message.at("/tool_calls/0/function/arguments").asText());
        assertEquals("tool_calls", reply.getMessage().getBody(JsonNode.class).at("/choices/0/finish_reason").asText());
        assertTrue(upstream.lastRequest().bodyJson().has("tools"));
    }

    @Test
    void invalidJsonIsRefusedBeforeAnythingIsSent() {
        Exchange reply = call(uri("chatCompletions", null), "{\"model\": oops");
        IllegalArgumentException error = assertInstanceOf(IllegalArgumentException.class, reply.getException());
        assertTrue(error.getMessage().contains("not valid JSON"), error.getMessage());
        assertEquals(0, upstream.requestCount());
        assertFalse(error.getMessage().contains(API_KEY));
    }
}
