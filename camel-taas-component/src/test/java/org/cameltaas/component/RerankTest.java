package org.cameltaas.component;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Rerank replies from Cohere-, Jina- and TEI-shaped upstreams all come back in one shape. */
class RerankTest extends TaasTestSupport {

    private static final String REQUEST = "{\"model\":\"rr\",\"query\":\"q\",\"documents\":[\"zero\",{\"text\":\"one\"},\"two\"],"
            + "\"top_n\":2,\"return_documents\":true}";

    @Test
    void teiRequestsAndBareArraysAreNormalised() {
        upstream.enqueue(Script.ok().body("[{\"index\":0,\"score\":0.1},{\"index\":2,\"score\":0.9},{\"index\":1,\"score\":0.5}]"));
        Exchange reply = call(uri("rerank", "rerankApi=tei"), REQUEST);
        assertNull(reply.getException());
        JsonNode sent = upstream.lastRequest().bodyJson();
        assertEquals("[\"zero\",\"one\",\"two\"]", sent.get("texts").toString(), "TEI takes texts");
        assertFalse(sent.has("documents"));
        JsonNode results = reply.getMessage().getBody(JsonNode.class).get("results");
        assertEquals(2, results.size(), "top_n applied");
        assertEquals(2, results.at("/0/index").asInt());
        assertEquals(0.9, results.at("/0/relevance_score").asDouble(), 1e-9);
        assertEquals("two", results.at("/0/document/text").asText());
        assertEquals("one", results.at("/1/document/text").asText());
    }

    @Test
    void cohereStyleRepliesAreSortedAndCut() {
        upstream.enqueue(Script.ok().body("{\"id\":\"r1\",\"results\":[{\"index\":1,\"relevance_score\":0.2},"
                + "{\"index\":0,\"relevance_score\":0.7},{\"index\":2,\"relevance_score\":0.4}],\"meta\":{\"billed_units\":{\"search_units\":1}}}"));
        JsonNode reply = call(uri("rerank", null), REQUEST).getMessage().getBody(JsonNode.class);
        assertEquals("[0, 2]", reply.get("results").findValues("index").toString());
        assertEquals("zero", reply.at("/results/0/document/text").asText());
        assertEquals(1, reply.at("/meta/billed_units/search_units").asInt(), "other fields are kept");
        assertEquals(REQUEST, upstream.lastRequest().bodyText(), "Cohere-style upstreams get the request as sent");
    }
}
