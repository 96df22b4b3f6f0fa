package org.cameltaas.component;

import org.apache.camel.CamelContext;

/** {@link ChatCompletionsTest} again, with every endpoint on the JDK HttpClient ({@code upstreamClient=jdk}). */
class ChatCompletionsWithJdkClientTest extends ChatCompletionsTest {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return onJdkClient(super.createCamelContext());
    }
}
