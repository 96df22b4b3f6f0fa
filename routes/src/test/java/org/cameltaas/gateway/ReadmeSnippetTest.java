package org.cameltaas.gateway;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's JavaScript snippet, run by node with the official openai npm package against the gateway. The build
 * installs the package (src/test/js); without it the test fails, it never skips.
 */
class ReadmeSnippetTest extends GatewayTestSupport {

    @Test
    void javascriptSnippetWorksAsWritten() throws Exception {
        File dir = NodeClients.requirePackage("openai");
        ProcessBuilder node = new ProcessBuilder("node", "readme-snippet.mjs").directory(dir).redirectErrorStream(true);
        node.environment().put("TAAS_BASE_URL", base() + "/v1");
        node.environment().put("TAAS_KEY", MASTER_KEY);
        Process process = node.start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "node finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertEquals("Echo: Hello\nEcho: Count to five\n", output);
    }
}
