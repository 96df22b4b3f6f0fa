package org.cameltaas.gateway.credits;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.AsyncProcessorSupport;
import org.cameltaas.gateway.GatewayHeaders;
import org.cameltaas.gateway.auth.Principal;
import org.cameltaas.gateway.error.GatewayException;
import org.cameltaas.gateway.limits.Decisions;
import org.cameltaas.gateway.limits.PromptTokens;
import org.cameltaas.gateway.metrics.GatewayMetrics;
import org.cameltaas.tenancy.CreditStore;
import org.cameltaas.tenancy.ProjectCache;
import org.cameltaas.tenancy.Tenancy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credits on the request path (docs/limits.md, "Credits"): after the rate limits admitted a request of a metered
 * project, its worst-case cost is held in this replica's {@link CreditSlice} of the project's balance, in memory;
 * the reply settles it to the actual cost, which the usage ledger charges to the balance when it stores the
 * request's event (exactly once, from the journal: {@code CreditStore#charge}). A project with no balance costs one
 * map lookup. The database is asked only when a slice must grow: grants are group-committed on threads of their own
 * ({@code TaasCreditsGrant}; {@link GroupCommit}), never on a Netty thread; the route resumes on its own thread.
 * An idle slice gives its unused credits back after {@link #IDLE}; a stopped replica's slices are given back at its
 * restart or, after {@link #SILENCE}, by another replica.
 */
public final class Credits implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Credits.class);
    static final long DEFAULT_OUTPUT_CAP = 4096;
    /** How long a replica may be silent before another one settles its reservations. */
    static final Duration SILENCE = Duration.ofSeconds(60);
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    /** How long a slice goes unused before it gives its unused credits back. */
    static final Duration IDLE = Duration.ofSeconds(2);

    private final CreditStore store;
    private final ProjectCache projects;
    private final PriceTable prices;
    private final GatewayMetrics metrics;
    private final long outputCap;
    private final Set<Integer> chargedStatuses;
    private final boolean embedded;
    private final GroupCommit<CreditStore.Grant, CreditStore.Granted> grants;
    private final Map<String, CreditSlice> slices = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final AtomicInteger open = new AtomicInteger();

    Credits(CreditStore store, ProjectCache projects, PriceTable prices, GatewayMetrics metrics, long outputCap,
            Set<Integer> chargedStatuses, boolean embedded, int threads) {
        this.store = store;
        this.projects = projects;
        this.prices = prices;
        this.metrics = metrics;
        this.outputCap = outputCap;
        this.chargedStatuses = chargedStatuses;
        this.embedded = embedded;
        this.grants = new GroupCommit<>("TaasCreditsGrant", threads, CreditStore.MAX_GROUP, store::grantAll);
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("TaasCreditsTimer"));
        store.onCharged(charged -> charged.forEach((sliceId, charge) -> {
            CreditSlice slice = slices.get(sliceId.substring(sliceId.lastIndexOf(':') + 1));
            if (slice != null && slice.id.equals(sliceId)) {
                slice.charged(charge);
            }
        }));
        metrics.creditReservations(open);
    }

    /**
     * From the environment: {@code TAAS_PRICES_FILE}, {@code TAAS_CREDITS_MAX_OUTPUT_TOKENS} (the output reserved
     * for a request that sets no maximum, default 4096), {@code TAAS_CREDITS_CHARGE_STATUSES} (upstream failure
     * statuses still charged for their prompt, default none), {@code TAAS_PRICES_RELOAD_MS} (how often the prices
     * file is checked for changes, default 2000).
     */
    public static Credits start(Map<String, String> env, Tenancy tenancy, GatewayMetrics metrics) {
        String file = env.get("TAAS_PRICES_FILE");
        PriceTable prices = PriceTable.load(file == null || file.isBlank() ? null : Path.of(file.trim()));
        long cap = Long.parseLong(env.getOrDefault("TAAS_CREDITS_MAX_OUTPUT_TOKENS", String.valueOf(DEFAULT_OUTPUT_CAP)).trim());
        Set<Integer> charged = new HashSet<>();
        for (String status : env.getOrDefault("TAAS_CREDITS_CHARGE_STATUSES", "").split(",")) {
            if (!status.isBlank()) {
                charged.add(Integer.parseInt(status.trim()));
            }
        }
        boolean embedded = tenancy.settings().embedded();
        Credits credits = new Credits(tenancy.credits(), tenancy.projectCache(), prices, metrics, cap, Set.copyOf(charged),
                embedded, embedded ? 1 : 2);
        credits.startTimers(Long.parseLong(env.getOrDefault("TAAS_PRICES_RELOAD_MS", "2000").trim()));
        tenancy.beforeClose(credits::close);
        return credits;
    }

    private void startTimers(long pricesReloadMillis) {
        try {
            store.heartbeat();
            int released = store.releaseOrphans(SILENCE, embedded);
            if (released > 0) {
                LOG.warn("Gave back {} credit slice(s) left by a stopped gateway (what it answered is charged from its journal)",
                        released);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot give back the credit slices of a stopped gateway yet: {}", e.toString());
        }
        timer.scheduleWithFixedDelay(this::giveBackIdle, IDLE.toMillis() / 2, IDLE.toMillis() / 2, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::housekeeping, HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
        if (pricesReloadMillis > 0) {
            timer.scheduleWithFixedDelay(prices::reloadIfChanged, pricesReloadMillis, pricesReloadMillis, TimeUnit.MILLISECONDS);
        }
        LOG.info("Credits: {} priced model(s); balances in the {} tenancy database", prices.size(),
                embedded ? "embedded" : "shared");
    }

    /** The rate limits, then the credits: the step the YAML calls {@code rateLimits}, first in route-by-model. */
    public Processor after(Processor rateLimits) {
        AsyncProcessor limits = AsyncProcessorConverterHelper.convert(rateLimits);
        return new AsyncProcessorSupport() {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                boolean[] sync = {true};
                boolean limitsSync = limits.process(exchange, doneSync -> {
                    if (exchange.getException() != null) {
                        callback.done(doneSync);
                        return;
                    }
                    boolean reserveSync = reserve(exchange, reserveDoneSync -> callback.done(doneSync && reserveDoneSync));
                    sync[0] = reserveSync;
                });
                return limitsSync && sync[0];
            }
        };
    }

    /** Reserves the request's worst case, when its project is metered; the route goes on once it holds. */
    boolean reserve(Exchange exchange, AsyncCallback callback) {
        Principal principal = exchange.getProperty(GatewayHeaders.PRINCIPAL, Principal.class);
        if (principal == null || principal.project() == null || !projects.metered(principal.project())) {
            callback.done(true);
            return true; // not metered: nothing else on the hot path
        }
        String operation = exchange.getProperty(GatewayHeaders.OPERATION, String.class);
        if ("messagesCountTokens".equals(operation)) {
            callback.done(true);
            return true; // counting tokens generates nothing
        }
        String model = exchange.getProperty(GatewayHeaders.MODEL, String.class);
        JsonNode request = exchange.getProperty(GatewayHeaders.REQUEST_JSON, JsonNode.class);
        ModelPrice price = prices.price(model);
        long prompt = price == null ? 0 : PromptTokens.of(exchange);
        BigDecimal worst = CreditCosts.worstCase(price, operation, request, prompt, outputCap);
        String requestId = exchange.getProperty(GatewayHeaders.REQUEST_ID, String.class);
        String project = principal.project();
        if (worst.signum() == 0) {
            callback.done(true);
            return true; // a free model: nothing to hold, nothing to charge
        }
        CreditSlice slice = slices.computeIfAbsent(project, id -> new CreditSlice(store.sliceId(id), id, grants::submit));
        CreditCharge charge = new CreditCharge(this, slice, requestId, project, model, operation, request, prompt, worst);
        return Decisions.await(exchange, slice.take(worst), callback, (admission, error) -> {
            if (error != null) {
                LOG.warn("Request {}: credits cannot be reserved: {}", requestId, error.toString());
                exchange.getMessage().setHeader("Retry-After", "1");
                throw new GatewayException(503, "service_unavailable", "credits_unavailable", null,
                        "The gateway cannot check the project's credits right now; retry in a moment.");
            }
            if (!admission.held()) {
                metrics.creditRefused(project);
                throw refusal(project, admission, worst);
            }
            open.incrementAndGet();
            CreditCharge.open(exchange, charge);
        });
    }

    private static GatewayException refusal(String project, CreditSlice.Admission seen, BigDecimal worst) {
        BigDecimal balance = seen.balance() == null ? BigDecimal.ZERO : seen.balance();
        BigDecimal reserved = seen.reserved() == null ? BigDecimal.ZERO : seen.reserved();
        return new GatewayException(403, "insufficient_credits", "insufficient_credits", null,
                "Insufficient credits for project " + project + ": balance " + plain(balance)
                        + (reserved.signum() > 0 ? " (" + plain(reserved) + " of it held for requests in flight)" : "")
                        + ", this request may cost up to " + plain(worst)
                        + " (lower max_tokens to need less). Top up with POST /admin/v1/projects/" + project
                        + "/credits {\"amount\": <credits>}, or ask your team's admin to.");
    }

    /** The request ended: it holds nothing now; its cost is charged when the ledger stores its event. */
    void settle(CreditCharge charge, BigDecimal cost) {
        if (cost.signum() > 0) {
            metrics.creditsCharged(charge.projectId, charge.model, cost);
        }
        charge.slice.settled(charge.reserved, cost);
        open.decrementAndGet();
    }

    /** Slices unused for {@link #IDLE} give back what no request holds (the rest comes back as the ledger charges). */
    private void giveBackIdle() {
        giveBack(false);
    }

    private void giveBack(boolean stopping) {
        for (CreditSlice slice : slices.values()) {
            BigDecimal unused = slice.takeUnused(IDLE.toNanos(), stopping);
            if (unused.signum() > 0) {
                try {
                    store.giveBack(slice.id, slice.projectId, unused);
                } catch (RuntimeException e) {
                    slice.notGivenBack(unused);
                    LOG.debug("credits not given back yet: {}", e.toString());
                }
            }
        }
    }

    private void housekeeping() {
        try {
            store.heartbeat();
            if (!embedded) {
                int released = store.releaseOrphans(SILENCE, false);
                if (released > 0) {
                    LOG.warn("Gave back {} credit slice(s) of a replica silent for {} s", released, SILENCE.toSeconds());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("credits housekeeping failed: {}", e.toString());
        }
    }

    ModelPrice price(String modelUsed, String modelRequested) {
        ModelPrice price = modelUsed != null && !modelUsed.equals(modelRequested) ? prices.price(modelUsed) : null;
        return price != null ? price : prices.price(modelRequested);
    }

    boolean chargesStatus(int status) {
        return chargedStatuses.contains(status);
    }

    public PriceTable prices() {
        return prices;
    }

    /** Requests of this replica holding credits now. */
    public int openReservations() {
        return open.get();
    }

    /** Nothing held by a request, nothing answered that the ledger has not charged yet. */
    public boolean quiet() {
        return open.get() == 0 && slices.values().stream().allMatch(CreditSlice::quiet);
    }

    /** Stops taking grants and gives back what no request holds; what the ledger charges later comes out of it. */
    @Override
    public void close() {
        timer.shutdownNow();
        grants.close(1000);
        giveBack(true);
    }

    static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
