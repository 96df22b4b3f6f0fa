package org.cameltaas.gateway.request;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.cameltaas.component.support.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The documented precedence of session ids (docs/gateway.md, Sessions). */
class SessionsTest {

    private static String resolve(Message message, String body, boolean fromUser) throws Exception {
        JsonNode json = Json.parse(body);
        return Sessions.resolve(message, json, null, "m", fromUser);
    }

    @Test
    void precedence() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            String body = """
                    {"user":"alice","metadata":{"user_id":"user_x_account__session_abcdef12-3456"},
                     "messages":[{"role":"user","content":"hi"}]}""";
            Message message = new DefaultMessage(context);
            assertEquals("abcdef12-3456", resolve(message, body, true), "metadata.user_id's session before user");
            assertEquals("alice", resolve(message, "{\"user\":\"alice\",\"messages\":[]}", true));
            assertTrue(resolve(message, "{\"user\":\"alice\",\"messages\":[]}", false).startsWith("sess_"));
            message.setHeader("x-claude-code-session-id", "cc-1");
            assertEquals("cc-1", resolve(message, body, true));
            message.setHeader("X-Session-Id", "explicit");
            assertEquals("explicit", resolve(message, body, true));
        }
    }

    @Test
    void plainUserIdsAreNoSession() {
        assertNull(Sessions.sessionInUserId("user-42"));
        assertNull(Sessions.sessionInUserId("{\"device_id\":\"d\"}"));
        assertEquals("s-1-abcdefgh", Sessions.sessionInUserId("{\"session_id\":\"s-1-abcdefgh\"}"));
    }
}
