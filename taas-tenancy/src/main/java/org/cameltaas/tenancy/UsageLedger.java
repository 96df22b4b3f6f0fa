package org.cameltaas.tenancy;

import java.util.List;
import java.util.Optional;

/** Where usage events end up. Recording is idempotent on the request id: a replayed event is not counted again. */
public interface UsageLedger {

    /** Records a batch in one transaction; returns how many were new. */
    int record(List<UsageEvent> events);

    Optional<UsageEvent> find(String requestId);

    /** Events oldest first (arrival time, then request id), after the event {@code after} (a request id). */
    Page<UsageEvent> list(UsageFilter filter, String after, int limit);

    UsageTotals totals(UsageFilter filter);
}
