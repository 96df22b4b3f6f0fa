package org.cameltaas.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small OpenAI-compatible HTTP server for the local models ({@code /v1/embeddings}, {@code /v1/rerank},
 * {@code /v1/models}), bound to the loopback interface only. It exists so the taas component's {@code openai} provider
 * can call the local models like any upstream (time-outs, limits, metrics and errors included), with no change to the
 * producer, and so any other OpenAI client on the machine can use them too.
 * <p>
 * Requests run on the server's own small executor (two threads by default): ONNX Runtime already spreads one
 * inference over the cores, so more threads would only make requests compete. Requests beyond them wait in its queue;
 * the taas component's {@code maxConcurrentRequests} bounds how many a gateway sends.
 */
public final class LocalModelServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalModelServer.class);
    public static final int DEFAULT_THREADS = 2;
    /** Read by the JDK once, when the JVM's first {@link HttpServer} is created, and then used by all of them. */
    static final String NO_DELAY = "sun.net.httpserver.nodelay";

    private final LocalEmbeddings embeddings;
    private final int port;
    private final int threads;
    private HttpServer server;
    private ExecutorService executor;
    private String baseUrl;

    /** A server on a free loopback port with the default threads. */
    public LocalModelServer(LocalEmbeddings embeddings) {
        this(embeddings, 0, DEFAULT_THREADS);
    }

    /**
     * @param port    the loopback port, 0 for a free one
     * @param threads the threads that read requests and run the model
     */
    public LocalModelServer(LocalEmbeddings embeddings, int port, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        this.embeddings = embeddings;
        this.port = port;
        this.threads = threads;
    }

    /** Starts the server; returns its base URL with the API version, e.g. {@code http://127.0.0.1:41234/v1}. */
    public synchronized String start() throws IOException {
        if (server != null) {
            return baseUrl;
        }
        disableNagle();
        // 127.0.0.1 rather than getLoopbackAddress(), which is ::1 when the JVM prefers IPv6: one URL form everywhere
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        HttpServer created = HttpServer.create(new InetSocketAddress(loopback, port), 64);
        executor = Executors.newFixedThreadPool(threads, new WorkerThreads());
        created.setExecutor(executor);
        created.createContext("/", new LocalApi(embeddings));
        created.start();
        server = created;
        baseUrl = "http://" + loopback.getHostAddress() + ":" + created.getAddress().getPort() + "/v1";
        LOG.info("Local models served at {} ({} threads)", baseUrl, threads);
        return baseUrl;
    }

    /**
     * The JDK server writes a reply's headers and its body in two writes. With Nagle's algorithm on, the body then
     * waits for the client's delayed acknowledgement of the headers: about 40 ms on Linux, added to every request
     * (measured: 52 ms per request over loopback against 7 ms in process). An operator's own setting is kept.
     */
    private static void disableNagle() {
        String configured = System.getProperty(NO_DELAY);
        if (configured == null) {
            System.setProperty(NO_DELAY, "true");
        } else if (!Boolean.parseBoolean(configured)) {
            LOG.warn("{}={}: every local model request will wait about 40 ms for TCP acknowledgements", NO_DELAY,
                    configured);
        }
    }

    /** The base URL with the API version, or null before start. */
    public synchronized String baseUrl() {
        return baseUrl;
    }

    /** Stops at once: requests in progress are cut (JDK 17's server would otherwise wait out the whole delay). */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        server = null;
        executor = null;
        baseUrl = null;
    }

    /** Named daemon threads: they show up clearly in thread dumps and never keep the JVM alive. */
    private static final class WorkerThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "taas-local-models-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
