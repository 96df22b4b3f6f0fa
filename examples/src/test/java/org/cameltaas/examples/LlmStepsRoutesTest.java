package org.cameltaas.examples;

import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.cameltaas.component.TaasConstants;
import org.cameltaas.testkit.FakeUpstream;
import org.cameltaas.testkit.RecordedRequest;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The example YAML routes, run against the fake upstream. */
class LlmStepsRoutesTest extends CamelTestSupport {

    private static FakeUpstream upstream;

    @BeforeAll
    static void start() {
        upstream = FakeUpstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = new Properties();
        p.put("taas.baseUrl", upstream.baseUrl() + "/v1");
        p.put("taas.apiKey", "sk-example");
        p.put("taas.chatModel", "fake-gpt");
        p.put("taas.embeddingsModel", "fake-embed");
        p.put("taas.rerankModel", "fake-rerank");
        return p;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveMandatoryResource(context, "classpath:routes/llm-steps.camel.yaml"));
        return context;
    }

    @Test
    void summarizeTicketAsksTheModelAndReturnsItsText() {
        String summary = template.requestBody("direct:summarize-ticket", "printer on fire", String.class);
        assertEquals("Echo: Summarise this support ticket in one sentence: printer on fire", summary);
        RecordedRequest sent = upstream.lastRequest();
        assertEquals("fake-gpt", sent.bodyJson().get("model").asText());
        assertEquals("Bearer sk-example", sent.header("authorization"));
    }

    @Test
    void streamedAnswerIsCollectedIntoText() {
        upstream.enqueue(Script.ok().reply("streamed words arrive in order"));
        var reply = template.request("direct:stream-answer", e -> e.getMessage().setBody("go"));
        assertEquals("streamed words arrive in order", reply.getMessage().getBody(String.class));
        assertEquals(5, reply.getMessage().getHeader(TaasConstants.COMPLETION_TOKENS));
        assertTrue(upstream.lastRequest().bodyJson().get("stream").asBoolean());
    }

    @Test
    void triageRoutesOnTheModelsAnswer() {
        upstream.enqueue(Script.ok().reply("billing"));
        assertEquals("billing queue <- charged twice",
                template.requestBody("direct:triage-ticket", "charged twice", String.class));
        upstream.enqueue(Script.ok().reply("technical"));
        assertEquals("technical queue <- login broken",
                template.requestBody("direct:triage-ticket", "login broken", String.class));
    }

    @Test
    void embeddingsAndRerank() {
        JsonNode vectors = template.requestBody("direct:embed-documents",
                "{\"input\":[\"one\",\"two\",\"three\"]}", JsonNode.class);
        assertEquals(3, vectors.get("data").size());
        assertEquals("fake-embed", upstream.lastRequest().bodyJson().get("model").asText());

        JsonNode ranked = template.requestBody("direct:rerank-documents",
                "{\"query\":\"camel routes\",\"documents\":[\"sunny weather\",\"camel routes messages\"]}", JsonNode.class);
        assertEquals(1, ranked.at("/results/0/index").asInt());
    }
}
