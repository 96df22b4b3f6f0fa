package org.cameltaas.component;

import org.apache.camel.CamelContext;

/** {@link ChatCompletionsTest} again, with every endpoint on the JDK HttpClient ({@code upstreamClient=jdk}). */
class ChatCompletionsWithJdkClientTest extends ChatCompletionsTest {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getComponent("taas", TaasComponent.class).getConfiguration()
                .setUpstreamClient(TaasConfiguration.UpstreamClient.jdk);
        return context;
    }
}
