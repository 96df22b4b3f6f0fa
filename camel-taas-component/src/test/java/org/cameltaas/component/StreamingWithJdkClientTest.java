package org.cameltaas.component;

import org.apache.camel.CamelContext;

/** {@link StreamingTest} again, with every endpoint on the JDK HttpClient ({@code upstreamClient=jdk}). */
class StreamingWithJdkClientTest extends StreamingTest {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("taas", TaasComponent.class).getConfiguration()
                .setUpstreamClient(TaasConfiguration.UpstreamClient.jdk);
        return context;
    }
}
