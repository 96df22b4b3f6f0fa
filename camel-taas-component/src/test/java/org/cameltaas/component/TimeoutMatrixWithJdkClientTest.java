package org.cameltaas.component;

import org.apache.camel.CamelContext;

/** {@link TimeoutMatrixTest} again, with every endpoint on the JDK HttpClient ({@code upstreamClient=jdk}). */
class TimeoutMatrixWithJdkClientTest extends TimeoutMatrixTest {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return onJdkClient(super.createCamelContext());
    }
}
