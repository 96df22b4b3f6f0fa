package org.cameltaas.component;

import org.apache.camel.CamelContext;

/** {@link FailureTest} again, with every endpoint on the JDK HttpClient ({@code upstreamClient=jdk}). */
class FailureWithJdkClientTest extends FailureTest {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return onJdkClient(super.createCamelContext());
    }
}
