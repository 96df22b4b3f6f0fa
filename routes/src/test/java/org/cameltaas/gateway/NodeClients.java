package org.cameltaas.gateway;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real npm clients in src/test/js, which the build installs (routes/pom.xml runs src/test/js/install.sh).
 * A missing client fails its test: a client test never skips.
 */
final class NodeClients {

    static final File DIR = new File("src/test/js");
    private static final String HOW = "; the build installs them (bash routes/src/test/js/install.sh does it by hand)";

    private NodeClients() {
    }

    /** An executable of node_modules/.bin, asserted present. */
    static File bin(String name) {
        File bin = new File(DIR, "node_modules/.bin/" + name);
        assertTrue(bin.canExecute(), "the npm client " + name + " is not installed in src/test/js" + HOW);
        return bin;
    }

    /** Asserts an npm package installed; returns the directory to run node scripts in. */
    static File requirePackage(String name) {
        assertTrue(new File(DIR, "node_modules/" + name + "/package.json").isFile(),
                "the npm package " + name + " is not installed in src/test/js" + HOW);
        return DIR;
    }

    record Run(boolean finished, int exitCode, String output) {
    }

    /** Runs a command in src/test/js (or {@code workDir}), no input, output and errors together, bounded in time. */
    static Run run(List<String> command, File workDir, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir != null ? workDir : DIR).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(env);
        Process process = pb.start();
        // read while it runs: a full pipe would stall the process
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                output.append("[output unreadable: ").append(e).append(']');
            }
        });
        reader.start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(10_000);
        return new Run(finished, finished ? process.exitValue() : -1, output.toString());
    }

    /** Runs a node script of src/test/js. */
    static Run node(String script, Map<String, String> env, long timeoutSeconds) throws Exception {
        return run(List.of("node", script), DIR, env, timeoutSeconds);
    }
}
