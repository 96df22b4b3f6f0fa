package org.cameltaas.gateway;

/** {@code java -jar routes/target/camel-taas-gateway.jar}: the gateway on its embedded defaults. */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        Gateway.create(System.getenv()).run(args);
    }
}
