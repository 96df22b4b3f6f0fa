package org.cameltaas.local;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A rough speed note, not a gate: one warm-up, then bounded loops (a count and a time budget, whichever ends first).
 * Results go to target/surefire-reports/org.cameltaas.local.LocalModelsBenchmarkTest-output.txt.
 */
@Timeout(120)
class LocalModelsBenchmarkTest {

    private static final int MAX_ROUNDS = 200;
    private static final long BUDGET_NANOS = 5_000_000_000L;

    static LocalModels local;

    @BeforeAll
    static void start() throws Exception {
        local = LocalModels.start();
    }

    @AfterAll
    static void stop() {
        local.close();
    }

    @Test
    void millisecondsPerEmbedding() {
        LocalEmbeddings embeddings = local.embeddings();
        embeddings.embed("warm-up"); // LocalModels.start already ran one; this one is for the loop's own path

        Measured single = measure(i -> embeddings.embed("A sentence of about a dozen words, number " + i + ", to embed."), 1);

        List<String> batch = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            batch.add("A sentence of about a dozen words, number " + i + ", to embed.");
        }
        Measured batched = measure(i -> embeddings.embed(batch), batch.size());

        LocalHttp http = new LocalHttp(local.baseUrl());
        Measured overHttp = measure(i -> assertEquals(200,
                http.post("/embeddings", "{\"input\":\"A sentence of about a dozen words, number " + i + ", to embed.\"}")
                        .status()), 1);

        System.out.printf("all-MiniLM-L6-v2 (quantized), %d cores, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.printf("  in process, one text per call : %.2f ms per embedding (%d calls)%n", single.millisPerText(),
                single.rounds());
        System.out.printf("  in process, batches of 32     : %.2f ms per embedding (%d batches)%n", batched.millisPerText(),
                batched.rounds());
        System.out.printf("  over loopback HTTP, one text  : %.2f ms per request (%d requests)%n", overHttp.millisPerText(),
                overHttp.rounds());
    }

    private record Measured(int rounds, double millisPerText) {
    }

    private interface Round {
        void run(int i);
    }

    private static Measured measure(Round round, int textsPerRound) {
        long start = System.nanoTime();
        int rounds = 0;
        while (rounds < MAX_ROUNDS && System.nanoTime() - start < BUDGET_NANOS) {
            round.run(rounds++);
        }
        double millis = (System.nanoTime() - start) / 1e6;
        return new Measured(rounds, millis / rounds / textsPerRound);
    }
}
