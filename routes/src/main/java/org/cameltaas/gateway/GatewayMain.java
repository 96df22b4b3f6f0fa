package org.cameltaas.gateway;

/** {@code java -jar routes/target/camel-taas-gateway.jar}: the gateway on its embedded defaults. */
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        String host = System.getenv().getOrDefault("TAAS_HOST", "0.0.0.0");
        String port = System.getenv().getOrDefault("TAAS_PORT", "8080");
        // checked before Camel starts, so the operator reads one line instead of Camel's stack trace
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(host, Integer.parseInt(port.trim())));
        } catch (java.io.IOException e) {
            portInUse(port);
        }
        try {
            Gateway.create(System.getenv()).run(args);
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.net.BindException) {
                    portInUse(port); // taken between the check and the start
                }
            }
            throw e;
        }
    }

    private static void portInUse(String port) {
        System.err.println("camel-taas-gateway: port " + port + " is in use (or not allowed): stop what listens there,"
                + " or set TAAS_PORT (and TAAS_HOST) to another address");
        System.exit(2);
    }
}
