package org.cameltaas.connector;

import java.util.concurrent.CountDownLatch;

/** {@code bin/connector --gateway <url> --token <token> --target <base URL>}: runs until stopped. */
public final class ConnectorMain {

    private ConnectorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ConnectorSettings settings;
        try {
            settings = ConnectorSettings.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Connector connector = new Connector(settings).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            connector.close();
            stopped.countDown();
        }, "TaasConnectorShutdown"));
        stopped.await();
    }
}
