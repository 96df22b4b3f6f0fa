package org.cameltaas.tenancy;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenancy put together from its settings: the database (migrated), the stores, the token cache, the usage journal
 * and, once the gateway can take batches, the shipper that moves journaled events into its ledger route.
 */
public final class Tenancy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tenancy.class);

    private final TenancySettings settings;
    private final Database db;
    private final Teams teams;
    private final Projects projects;
    private final Tokens tokens;
    private final UsageLedger ledger;
    private final TokenCache tokenCache;
    private final UsageJournal journal;
    private final AdminApi admin;
    private final CreditStore credits;
    private final ProjectCache projectCache;
    private final DebugCapture debugCapture;
    private final JdbcDeployments deployments;
    private final ConnectorsAdmin connectorsAdmin;
    private final FileStore files;
    private LedgerShipper shipper;
    private final java.util.List<Runnable> beforeClose = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Tenancy(TenancySettings settings) throws IOException {
        this.settings = settings;
        this.db = Database.open(settings);
        try {
            this.teams = new JdbcTeams(db);
            this.projects = new JdbcProjects(db);
            this.tokens = new JdbcTokens(db);
            this.credits = new CreditStore(db, Ids.next("replica").substring(8));
            this.ledger = new JdbcUsageLedger(db, credits);
            this.tokenCache = new TokenCache(tokens, settings.tokenRefresh()).start();
            this.journal = new UsageJournal(settings.dataDir().resolve("ledger"), settings.journalFsync());
            this.projectCache = new ProjectCache(credits, tokens, settings.tokenRefresh()).start();
            this.debugCapture = new DebugCapture(db, settings.tokenRefresh()).start();
            this.admin = new AdminApi(teams, projects, tokens, tokenCache, ledger, settings.rotationGrace(),
                    new CreditsAdmin(credits, projectCache), new UsageSeries(db), debugCapture);
            this.deployments = new JdbcDeployments(db);
            this.connectorsAdmin = new ConnectorsAdmin(deployments, projects);
            this.admin.connectors(connectorsAdmin);
            this.files = new FileStore(db);
        } catch (RuntimeException | IOException e) {
            db.close();
            throw e;
        }
        LOG.info("tenancy: {} database, {} token(s) cached, usage journal in {}", settings.embedded() ? "embedded H2" : "external",
                tokenCache.size(), journal.dir());
    }

    public static Tenancy open(TenancySettings settings) {
        try {
            return new Tenancy(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the usage journal under " + settings.dataDir(), e);
        }
    }

    /** Starts delivering journaled events (those of earlier runs first) to the sink. */
    public synchronized void startShipping(UsageSink sink) {
        if (shipper != null) {
            return;
        }
        try {
            shipper = new LedgerShipper(journal, sink).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the usage journal's checkpoint", e);
        }
    }

    public TenancySettings settings() {
        return settings;
    }

    public Teams teams() {
        return teams;
    }

    public Projects projects() {
        return projects;
    }

    public Tokens tokens() {
        return tokens;
    }

    public UsageLedger ledger() {
        return ledger;
    }

    public TokenCache tokenCache() {
        return tokenCache;
    }

    public UsageJournal journal() {
        return journal;
    }

    Database database() {
        return db;
    }

    /** Balances, reservations and the credits ledger. */
    public CreditStore credits() {
        return credits;
    }

    /** Projects' default limits and metering, in memory. */
    public ProjectCache projectCache() {
        return projectCache;
    }

    /** The console's debug capture: which projects keep their requests' bodies now. */
    public DebugCapture debugCapture() {
        return debugCapture;
    }

    /** Registered deployments and their connector tokens. */
    public JdbcDeployments deployments() {
        return deployments;
    }

    /** The admin side of registered deployments, where the gateway plugs in its live connectors. */
    public ConnectorsAdmin connectorsAdmin() {
        return connectorsAdmin;
    }

    /** The Files API's metadata and storage quotas (docs/files.md). */
    public FileStore files() {
        return files;
    }

    public AdminApi admin() {
        return admin;
    }

    /** Work to finish while the database is still open (the credits' last settlements). */
    public void beforeClose(Runnable work) {
        beforeClose.add(work);
    }

    /** Stops the journal after it wrote what it has, delivers what it can, then closes the database. */
    @Override
    public synchronized void close() {
        beforeClose.forEach(Runnable::run);
        journal.close();
        if (shipper != null) {
            shipper.close();
        }
        tokenCache.close();
        projectCache.close();
        debugCapture.close();
        db.close();
    }
}
