package org.cameltaas.bench;

import java.util.Map;

/**
 * What holding many streams open cost, and whether cancelling them closed their upstream connections.
 *
 * @param requested            streams asked for
 * @param opened               exchanges that completed with a TaasStream body
 * @param failures             failed exchanges, by exception class and message
 * @param openSeconds          from the first send to the last exchange completing
 * @param before               this JVM before opening, after a warm-up
 * @param whileOpen            this JVM while all the streams were open and being read
 * @param upstreamConnectionsBefore connections the upstream process had open before (idle warm-up ones)
 * @param upstreamConnectionsWhileOpen connections the upstream process had open while the streams were read
 * @param eventsDelivered      events the subscribers had received when the streams were cancelled
 * @param closeMillis          from cancelling every stream to the upstream seeing its connections back to
 *                             {@code upstreamConnectionsBefore}; -1 if that did not happen within the limit
 * @param cancelledCompletions streams whose completion() reported the cancellation
 * @param deliveryThreads      threads that delivered events to the subscribers
 * @param exchangeThreads      threads that completed the exchanges (the stream's first content)
 * @param raisedQueueLimit     whether Camel's default thread-pool queue limit was raised
 * @param gcRounds             full collections per heap reading
 */
record StreamMemoryResult(int requested, int opened, Map<String, Long> failures, double openSeconds,
                          HeapProbe.Snapshot before, HeapProbe.Snapshot whileOpen,
                          int upstreamConnectionsBefore, int upstreamConnectionsWhileOpen, long eventsDelivered,
                          long closeMillis, int cancelledCompletions, Map<String, Long> deliveryThreads,
                          Map<String, Long> exchangeThreads, boolean raisedQueueLimit, int gcRounds) {

    long heapBytesPerStream() {
        return opened == 0 ? 0 : (whileOpen.heapUsed() - before.heapUsed()) / opened;
    }

    long directBytesPerStream() {
        return opened == 0 ? 0 : (whileOpen.directBytes() - before.directBytes()) / opened;
    }
}
