package org.cameltaas.tenancy;

import java.util.List;

/** Where the shipper delivers journaled events: the gateway's {@code direct:usage-ledger} route. */
@FunctionalInterface
public interface UsageSink {

    /** Delivers a batch; throwing means "not delivered", and the same events come again. */
    void deliver(List<UsageEvent> batch) throws Exception;
}
