package org.cameltaas.tenancy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves journaled usage events to the sink in batches, on a thread of its own: reads the journal's segments from
 * where it left off, delivers, then notes the position in {@code checkpoint}. A segment that is fully delivered and
 * no longer written is deleted. After a crash it starts from the checkpoint, so what was journaled but not
 * delivered is delivered now, and what was delivered after the last checkpoint note comes again: the ledger's
 * inserts ignore a request id they already have, so nothing counts twice.
 */
public final class LedgerShipper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerShipper.class);
    private static final int READ_BYTES = 1 << 20;
    private static final long IDLE_MILLIS = 50;
    /**
     * The pause after a batch that did not fill its read: events gather in the journal meanwhile, so the database
     * takes a few large transactions a second instead of one small one per request (each row costs six index
     * inserts; measured, per-request batches took a third of the gateway's CPU).
     */
    private static final long GATHER_MILLIS = Long.getLong("taas.ledger.gatherMillis", 200);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final UsageJournal journal;
    private final UsageSink sink;
    private final Path checkpoint;
    private final Thread thread;
    private volatile boolean running = true;
    private long segment;
    private long offset;
    private volatile long delivered;
    /** Whether the last batch filled its read: more is waiting, ship again at once. */
    private boolean readWasFull;

    public LedgerShipper(UsageJournal journal, UsageSink sink) throws IOException {
        this.journal = journal;
        this.sink = sink;
        this.checkpoint = journal.dir().resolve("checkpoint");
        resume();
        thread = new Thread(this::run, "TaasLedgerShipper");
        thread.setDaemon(true);
    }

    public LedgerShipper start() {
        thread.start();
        return this;
    }

    /** Events delivered since start. */
    public long delivered() {
        return delivered;
    }

    private void resume() throws IOException {
        List<Long> onDisk = UsageJournal.segments(journal.dir());
        segment = onDisk.isEmpty() ? journal.committed().segment() : onDisk.get(0);
        offset = 0;
        if (Files.exists(checkpoint)) {
            String[] noted = Files.readString(checkpoint, StandardCharsets.US_ASCII).trim().split(" ");
            long notedSegment = Long.parseLong(noted[0]);
            if (onDisk.contains(notedSegment)) {
                segment = notedSegment;
                offset = Long.parseLong(noted[1]);
            }
        }
        for (long old : onDisk) {
            if (old < segment) {
                Files.deleteIfExists(journal.segment(old));
            }
        }
    }

    private void run() {
        long backoff = 0;
        while (running) {
            try {
                if (!shipOnce()) {
                    sleep(IDLE_MILLIS);
                } else if (!readWasFull) {
                    sleep(GATHER_MILLIS); // caught up: let the next batch gather
                }
                backoff = 0;
            } catch (Exception e) {
                backoff = backoff == 0 ? 1000 : Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                LOG.warn("usage events not delivered yet (retrying in {} ms): {}", backoff, e.toString());
                sleep(backoff);
            }
        }
    }

    /** Delivers one batch if there is one; false when there was nothing to do. */
    boolean shipOnce() throws Exception {
        UsageJournal.Position end = journal.committed();
        if (segment > end.segment()) {
            return false;
        }
        boolean sealed = segment < end.segment();
        long limit = sealed ? Files.size(journal.segment(segment)) : end.offset();
        readWasFull = sealed;
        if (offset >= limit) {
            if (sealed) {
                nextSegment();
                return true;
            }
            return false;
        }
        readWasFull = limit - offset >= READ_BYTES;
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(READ_BYTES, limit - offset));
        try (FileChannel file = FileChannel.open(journal.segment(segment), StandardOpenOption.READ)) {
            while (chunk.hasRemaining() && file.read(chunk, offset + chunk.position()) > 0) {
                // reads until the chunk is full or the file ends
            }
        }
        byte[] bytes = chunk.array();
        int usable = chunk.position();
        int lastNewline = lastNewline(bytes, usable);
        if (lastNewline < 0) {
            if (sealed) {
                // a torn last line from a crash: its reply was never released, so it is not an event
                nextSegment();
                return true;
            }
            return false;
        }
        List<UsageEvent> batch = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= lastNewline; i++) {
            if (bytes[i] == '\n') {
                if (i > start) {
                    try {
                        batch.add(UsageJson.parseLine(bytes, start, i - start));
                    } catch (RuntimeException e) {
                        LOG.warn("skipping an unreadable journal line in segment {} at {}", segment, offset + start);
                    }
                }
                start = i + 1;
            }
        }
        if (!batch.isEmpty()) {
            sink.deliver(batch);
        }
        offset += lastNewline + 1;
        delivered += batch.size();
        note();
        return true;
    }

    private void nextSegment() throws IOException {
        Files.deleteIfExists(journal.segment(segment));
        List<Long> onDisk = UsageJournal.segments(journal.dir());
        long next = segment + 1;
        for (long number : onDisk) {
            if (number > segment) {
                next = number;
                break;
            }
        }
        segment = next;
        offset = 0;
        note();
    }

    private void note() throws IOException {
        Path temp = checkpoint.resolveSibling("checkpoint.tmp");
        Files.writeString(temp, segment + " " + offset + "\n", StandardCharsets.US_ASCII);
        Files.move(temp, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static int lastNewline(byte[] bytes, int length) {
        for (int i = length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private void sleep(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
        }
    }

    /** Delivers what the journal holds (bounded by a few seconds), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
            for (int i = 0; i < 100 && shipOnce(); i++) {
                // the last batches, if the thread's last round left some
            }
        } catch (Exception e) {
            LOG.warn("usage events left in the journal are delivered at the next start: {}", e.toString());
        }
    }
}
