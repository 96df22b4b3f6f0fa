package org.cameltaas.testkit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One fake upstream per test class (starting one costs an event loop), with an HTTP/1.1 client aimed at it; every
 * test starts from an empty script queue and request journal.
 */
abstract class FakeUpstreamTestSupport {

    static FakeUpstream upstream;
    static TestHttp http;

    @BeforeAll
    static void startUpstream() {
        upstream = FakeUpstream.start();
        http = new TestHttp(upstream);
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    @BeforeEach
    void resetUpstream() {
        upstream.reset();
    }
}
