package org.cameltaas.gateway.connector;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live tunnels of this gateway, per deployment: which connector a request goes to (the one with the fewest
 * streams in flight, round robin among equals), what {@code GET /admin/v1/deployments/{id}} shows, and the sweep
 * that drops the tunnels of revoked tokens (every second, so within the contract's 5 s on every replica).
 */
public final class ConnectorRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRegistry.class);
    /** Connectors that went offline, kept per deployment for the admin view. */
    private static final int OFFLINE_KEPT = 10;

    private final ConnectorAuthority authority;
    private final Map<String, List<TunnelSession>> online = new ConcurrentHashMap<>();
    private final Map<String, Deque<ObjectNode>> offline = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final ExecutorService blocking;
    private final ScheduledExecutorService sweeper;
    private final Set<String> metered = ConcurrentHashMap.newKeySet();
    private volatile io.micrometer.core.instrument.MeterRegistry meters;
    final java.util.concurrent.atomic.AtomicLong bytesIn = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong bytesOut = new java.util.concurrent.atomic.AtomicLong();

    public ConnectorRegistry(ConnectorAuthority authority) {
        this.authority = authority;
        this.blocking = Executors.newFixedThreadPool(2, daemon("TaasConnectorAuth"));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(daemon("TaasConnectorSweep"));
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Publishes the connectors' gauges ({@code taas_connectors_online}, ...) in these meters. */
    public void meters(io.micrometer.core.instrument.MeterRegistry registry) {
        this.meters = registry;
        io.micrometer.core.instrument.FunctionCounter.builder("taas_connector_bytes_total", bytesIn, java.util.concurrent.atomic.AtomicLong::get)
                .description("Bytes the gateway read from connectors' tunnels").tag("direction", "in").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("taas_connector_bytes_total", bytesOut, java.util.concurrent.atomic.AtomicLong::get)
                .description("Bytes the gateway wrote to connectors' tunnels").tag("direction", "out").register(registry);
    }

    private void meter(ConnectorAuthority.Deployment d) {
        io.micrometer.core.instrument.MeterRegistry registry = meters;
        if (registry == null || !metered.add(d.id())) {
            return;
        }
        String id = d.id();
        io.micrometer.core.instrument.Gauge.builder("taas_connectors_online", () -> online.getOrDefault(id, List.of()).size())
                .description("Connectors online for a registered deployment").tag("deployment", d.name()).register(registry);
        io.micrometer.core.instrument.Gauge.builder("taas_connector_streams", () -> online.getOrDefault(id, List.of()).stream()
                        .mapToInt(TunnelSession::streams).sum())
                .description("Streams in flight through a registered deployment's connectors").tag("deployment", d.name()).register(registry);
        io.micrometer.core.instrument.Gauge.builder("taas_connector_rtt_seconds", () -> online.getOrDefault(id, List.of()).stream()
                        .mapToLong(TunnelSession::rttNanos).max().orElse(-1) / 1e9)
                .description("The slowest heartbeat round trip among a deployment's connectors (-1: none online)")
                .tag("deployment", d.name()).register(registry);
    }

    ConnectorAuthority authority() {
        return authority;
    }

    /** Where blocking work (token checks) runs, and replies made here (connector offline) are delivered. */
    ExecutorService blocking() {
        return blocking;
    }

    void online(TunnelSession session) {
        for (ConnectorAuthority.Deployment d : session.grant().deployments()) {
            online.computeIfAbsent(d.id(), id -> new CopyOnWriteArrayList<>()).add(session);
            meter(d);
        }
        LOG.info("connector {} online from {} ({}) for {}", session.id(), session.remoteAddress(), session.version(),
                session.grant().deployments().stream().map(ConnectorAuthority.Deployment::name).toList());
    }

    void offline(TunnelSession session, String why) {
        if (session.grant() == null) {
            return;
        }
        for (ConnectorAuthority.Deployment d : session.grant().deployments()) {
            List<TunnelSession> sessions = online.get(d.id());
            if (sessions != null && sessions.remove(session)) {
                Deque<ObjectNode> gone = offline.computeIfAbsent(d.id(), id -> new ArrayDeque<>());
                synchronized (gone) {
                    gone.addFirst(session.describe(false));
                    while (gone.size() > OFFLINE_KEPT) {
                        gone.removeLast();
                    }
                }
            }
        }
        LOG.info("connector {} offline: {}", session.id(), why);
    }

    /** A connector for the deployment, not one of {@code tried}, with room for a stream; null when none. */
    TunnelSession pick(String deployment, Set<TunnelSession> tried) {
        List<TunnelSession> sessions = online.get(deployment);
        if (sessions == null || sessions.isEmpty()) {
            return null;
        }
        int start = Math.floorMod(next.getAndIncrement(), sessions.size());
        TunnelSession best = null;
        for (int i = 0; i < sessions.size(); i++) {
            TunnelSession candidate = sessions.get((start + i) % sessions.size());
            if (tried.contains(candidate) || !candidate.accepting()) {
                continue;
            }
            if (best == null || candidate.streams() < best.streams()) {
                best = candidate;
            }
        }
        return best;
    }

    public boolean isOnline(String deployment) {
        List<TunnelSession> sessions = online.get(deployment);
        return sessions != null && !sessions.isEmpty();
    }

    /** The deployment's connectors, online first, for the admin API. */
    public ArrayNode connectors(String deployment) {
        ArrayNode list = JsonNodeFactory.instance.arrayNode();
        List<TunnelSession> sessions = online.get(deployment);
        if (sessions != null) {
            sessions.forEach(s -> list.add(s.describe(true)));
        }
        Deque<ObjectNode> gone = offline.get(deployment);
        if (gone != null) {
            synchronized (gone) {
                gone.forEach(list::add);
            }
        }
        return list;
    }

    /** Every live connector, once each. */
    public Collection<TunnelSession> sessions() {
        Set<TunnelSession> all = new HashSet<>();
        online.values().forEach(all::addAll);
        return all;
    }

    /** Drops the tunnels whose tokens were revoked (on this replica or another). */
    void sweep() {
        try {
            Collection<TunnelSession> all = sessions();
            if (all.isEmpty()) {
                return;
            }
            Set<String> ids = new HashSet<>();
            all.forEach(s -> ids.addAll(s.grant().tokenIds()));
            Set<String> revoked = authority.revoked(ids);
            if (revoked.isEmpty()) {
                return;
            }
            for (TunnelSession session : all) {
                if (session.grant().tokenIds().stream().anyMatch(revoked::contains)) {
                    session.goAway("the connector token was revoked");
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot check connector tokens (the store may be down); tunnels stay up: {}", e.toString());
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        blocking.shutdownNow();
        new ArrayList<>(sessions()).forEach(s -> s.goAway("the gateway is stopping"));
    }
}
