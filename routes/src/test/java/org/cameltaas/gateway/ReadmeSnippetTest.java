package org.cameltaas.gateway;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * README's JavaScript snippet, run by node with the official openai npm package against the gateway. .ci/run
 * installs the package; elsewhere the test is skipped when it is not installed (in CI it must run).
 */
class ReadmeSnippetTest extends GatewayTestSupport {

    @Test
    void javascriptSnippetWorksAsWritten() throws Exception {
        File dir = new File("src/test/js");
        boolean installed = new File(dir, "node_modules/openai").isDirectory();
        if (System.getenv("CI") != null) {
            assertTrue(installed, "CI must install routes/src/test/js (npm ci) before the tests");
        }
        assumeTrue(installed, "npm packages of src/test/js are not installed");
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
