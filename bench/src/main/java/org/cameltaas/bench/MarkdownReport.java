package org.cameltaas.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's figures as markdown tables; "added" and ratios are against the baseline client. */
final class MarkdownReport {

    private final StringBuilder out = new StringBuilder();

    String render(List<ProducerOverheadBench.Phase> phases, StreamMemoryResult memory) {
        if (phases != null && phases.stream().anyMatch(p -> !p.closedLoop().isEmpty())) {
            line("### 1. Producer overhead, non-streamed chat, closed loop");
            line("");
            phases.stream().filter(p -> !p.closedLoop().isEmpty()).forEach(p -> closedLoop(p.name(), p.closedLoop()));
        }
        if (phases != null && phases.stream().anyMatch(p -> !p.openLoop().isEmpty())) {
            line("### 2. Added latency at a fixed rate, open loop (latency counted from each request's due time)");
            line("");
            phases.stream().filter(p -> !p.openLoop().isEmpty()).forEach(p -> openLoop(p.name(), p.openLoop()));
        }
        if (phases != null && !phases.isEmpty()) {
            aftermaths(phases);
        }
        if (memory != null) {
            memory(memory);
        }
        return out.toString();
    }

    private void closedLoop(String phase, List<LoadResult> results) {
        line("Phase %s", phase);
        line("");
        line("| Load | Client | req/s | p50 µs | p99 µs | p99.9 µs | errors | added p50 µs | added p99 µs "
                + "| throughput vs baseline |");
        line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (LoadResult r : results) {
            LoadResult base = baselineFor(results, r);
            line("| %s | %s | %.0f | %.0f | %.0f | %.0f | %d | %s | %s | %s |", r.load(), r.client(),
                    r.requestsPerSecond(), r.latency().p50(), r.latency().p99(), r.latency().p999(), r.errors(),
                    added(r, base, r.latency().p50() - base.latency().p50()),
                    added(r, base, r.latency().p99() - base.latency().p99()),
                    r == base ? "1.00" : format("%.2f", r.requestsPerSecond() / base.requestsPerSecond()));
        }
        line("");
    }

    private void openLoop(String phase, List<LoadResult> results) {
        line("Phase %s", phase);
        line("");
        line("| Rate | Client | completed | p50 µs | p99 µs | p99.9 µs | max µs | errors | added p50 µs "
                + "| added p99 µs |");
        line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (LoadResult r : results) {
            LoadResult base = baselineFor(results, r);
            line("| %s | %s | %d | %.0f | %.0f | %.0f | %.0f | %d | %s | %s |", r.load(), r.client(), r.completed(),
                    r.latency().p50(), r.latency().p99(), r.latency().p999(), r.latency().max(), r.errors(),
                    added(r, base, r.latency().p50() - base.latency().p50()),
                    added(r, base, r.latency().p99() - base.latency().p99()));
        }
        line("");
    }

    private void aftermaths(List<ProducerOverheadBench.Phase> phases) {
        line("### What each phase left behind (parts 1 and 2)");
        line("");
        line("| Phase | live heap before | live heap right after | Camel exchanges still inflight |");
        line("|---|---:|---:|---|");
        for (ProducerOverheadBench.Phase p : phases) {
            StringBuilder inflight = new StringBuilder();
            p.inflightExchanges().forEach((client, count) -> inflight.append(inflight.length() == 0 ? "" : "; ")
                    .append(client).append(": ").append(count));
            line("| %s | %s | %s | %s |", p.name(), mib(p.liveHeapBefore()), mib(p.liveHeapAfter()), inflight);
        }
        line("");
    }

    private void memory(StreamMemoryResult m) {
        line("### 3. Open streams through the component (upstream in a separate JVM)");
        line("");
        line("| Measure | Value |");
        line("|---|---:|");
        line("| Camel default thread-pool queue limit raised (maxQueueSize 1000 -> Integer.MAX_VALUE) | %s |",
                m.raisedQueueLimit() ? "yes" : "no");
        line("| streams requested / opened | %d / %d |", m.requested(), m.opened());
        line("| time to open them all (exchange done = first content) | %.2f s |", m.openSeconds());
        line("| heap used before / while open (smallest reading after %d full GCs) | %s / %s |", m.gcRounds(),
                mib(m.before().heapUsed()), mib(m.whileOpen().heapUsed()));
        line("| **heap per open stream** | **%s** |", kib(m.heapBytesPerStream()));
        line("| direct buffers before / while | %s / %s |", mib(m.before().directBytes()),
                mib(m.whileOpen().directBytes()));
        line("| **threads before / while open** | **%d / %d** |", m.before().threads(), m.whileOpen().threads());
        line("| upstream connections before / while open | %d / %d |", m.upstreamConnectionsBefore(),
                m.upstreamConnectionsWhileOpen());
        line("| events delivered to the slow subscribers before cancelling | %d |", m.eventsDelivered());
        line("| completion() reporting cancelled | %d / %d |", m.cancelledCompletions(), m.opened());
        line("| **cancel all -> upstream sees every connection closed** | **%s** |",
                m.closeMillis() < 0 ? "NOT within 15 s" : m.closeMillis() + " ms");
        line("| threads before | %s |", threads(m.before().threadNames()));
        line("| threads while open | %s |", threads(m.whileOpen().threadNames()));
        line("| threads completing the exchanges | %s |", threads(m.exchangeThreads()));
        line("| threads delivering events | %s |", threads(m.deliveryThreads()));
        line("");
        if (!m.failures().isEmpty()) {
            line("Failed opens:");
            line("");
            m.failures().forEach((failure, count) -> line("- %d x `%s`", count, failure));
            line("");
        }
    }

    private static LoadResult baselineFor(List<LoadResult> results, LoadResult r) {
        return results.stream().filter(x -> x.baseline() && x.load().equals(r.load())).findFirst().orElse(r);
    }

    private static String added(LoadResult r, LoadResult base, double micros) {
        return r == base ? "-" : format("%+.0f", micros);
    }

    private static String threads(Map<String, Long> byName) {
        StringBuilder text = new StringBuilder();
        byName.forEach((name, count) -> text.append(text.length() == 0 ? "" : "; ").append('`').append(name)
                .append("` ").append(count));
        return text.toString();
    }

    private static String mib(long bytes) {
        return format("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String kib(long bytes) {
        return format("%.1f KiB", bytes / 1024.0);
    }

    private void line(String template, Object... args) {
        out.append(args.length == 0 ? template : format(template, args)).append('\n');
    }

    private static String format(String template, Object... args) {
        return String.format(Locale.ROOT, template, args);
    }
}
