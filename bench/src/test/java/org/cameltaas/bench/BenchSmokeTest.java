package org.cameltaas.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Proves the harness works end to end at toy scale (a few hundred requests per client, 50 streams, seconds in
 * all). Asserts only on correctness, never on timing: CI machines are too noisy for that.
 */
class BenchSmokeTest {

    private final BenchOptions smoke = BenchOptions.smoke();

    @Test
    void everyClientCompletesItsRequestsWithoutErrors() throws Exception {
        List<ProducerOverheadBench.Phase> phases = ProducerOverheadBench.run(smoke, true, true);

        assertEquals(2, phases.size());
        for (ProducerOverheadBench.Phase phase : phases) {
            assertEquals(3, phase.closedLoop().size(), "3 clients x 1 concurrency in " + phase.name());
            assertEquals(3, phase.openLoop().size());
            for (LoadResult r : phase.closedLoop()) {
                assertTrue(r.completed() > 0, r.client() + " completed nothing");
                assertEquals(0, r.errors(), r.client() + " had errors");
            }
            for (LoadResult r : phase.openLoop()) {
                assertEquals(smoke.openLoopRate(), r.completed(), r.client() + " lost open-loop requests");
                assertEquals(0, r.errors(), r.client() + " had errors");
            }
            phase.inflightExchanges().forEach((client, count) ->
                    assertEquals(0, count, client + " left exchanges inflight"));
        }
        assertFalse(new MarkdownReport().render(phases, null).isBlank());
    }

    @Test
    void streamsOpenThroughTheComponentAndCancellingClosesTheirUpstreamConnections() throws Exception {
        StreamMemoryResult m = StreamMemoryBench.run(smoke);

        assertEquals(smoke.streams(), m.opened(), "failures: " + m.failures());
        assertEquals(smoke.streams(), m.upstreamConnectionsWhileOpen() - m.upstreamConnectionsBefore());
        assertTrue(m.eventsDelivered() >= smoke.streams(), "every stream delivered at least one event");
        assertEquals(smoke.streams(), m.cancelledCompletions());
        assertTrue(m.closeMillis() >= 0, "the upstream still had connections open after cancelling");
        assertFalse(new MarkdownReport().render(null, m).isBlank());
    }
}
