package org.cameltaas.component;

import org.apache.camel.CamelContext;

/** {@link StreamingTest} again, with every endpoint on the JDK HttpClient ({@code upstreamClient=jdk}). */
class StreamingWithJdkClientTest extends StreamingTest {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return onJdkClient(super.createCamelContext());
    }
}
