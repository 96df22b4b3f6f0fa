package org.cameltaas.testkit;

import java.util.concurrent.atomic.AtomicLong;

/** Provider-looking ids ("chatcmpl-fake000001"); sequential so failures in tests are easy to read. */
final class Ids {

    private final AtomicLong counter = new AtomicLong();

    String next(String prefix) {
        return prefix + String.format("fake%06d", counter.incrementAndGet());
    }
}
