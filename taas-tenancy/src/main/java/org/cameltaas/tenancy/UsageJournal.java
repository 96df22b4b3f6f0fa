package org.cameltaas.tenancy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local, append-only journal of usage events: JSON lines in numbered segment files under
 * {@code <TAAS_DATA_DIR>/ledger/}. One thread of its own writes whatever has queued up in one write (group commit),
 * optionally forces it to the disk, and only then runs each event's {@code durable} callback: the gateway releases
 * a reply there, so an event is in the journal before its reply is complete.
 * <p>
 * What a write guarantees: once {@code write(2)} returned the bytes are in the kernel's page cache, which survives
 * a {@code kill -9} of this process; with {@code fsync} they are on the disk, which survives losing the machine.
 */
public final class UsageJournal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageJournal.class);
    private static final Pattern SEGMENT = Pattern.compile("usage-(\\d{12})\\.jsonl");
    static final long SEGMENT_BYTES = 8L << 20;
    private static final int MAX_BATCH = 4096;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** Where the journal has written up to: segment number and byte offset. */
    public record Position(long segment, long offset) {
    }

    private record Pending(byte[] line, Runnable durable) {
    }

    private final Path dir;
    private final boolean fsync;
    private final long segmentBytes;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final Thread writer;
    private volatile boolean closing;
    private volatile boolean parked;
    // written by the writer thread only; read under this
    private FileChannel active;
    private long activeSegment;
    private long activeSize;
    private Position committed;

    public UsageJournal(Path dir, boolean fsync) throws IOException {
        this(dir, fsync, SEGMENT_BYTES);
    }

    UsageJournal(Path dir, boolean fsync, long segmentBytes) throws IOException {
        this.dir = dir;
        this.fsync = fsync;
        this.segmentBytes = segmentBytes;
        Files.createDirectories(dir);
        List<Long> existing = segments(dir);
        openSegment(existing.isEmpty() ? 1 : existing.get(existing.size() - 1) + 1);
        writer = new Thread(this::write, "TaasUsageJournal");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues an event; {@code durable} runs on the journal's thread once the event is written (or, should the write
     * fail, once the failure is logged: a failing disk must not hold every reply).
     */
    public void append(UsageEvent event, Runnable durable) {
        byte[] line = UsageJson.line(event);
        if (closing) {
            LOG.error("usage event {} arrived after the journal closed; it is not recorded", event.requestId());
            if (durable != null) {
                durable.run();
            }
            return;
        }
        queue.add(new Pending(line, durable));
        if (parked) {
            LockSupport.unpark(writer);
        }
    }

    public Path dir() {
        return dir;
    }

    /** The end of what is written (every event before it is in the page cache, or on disk with fsync). */
    public synchronized Position committed() {
        return committed;
    }

    public Path segment(long number) {
        return dir.resolve(String.format("usage-%012d.jsonl", number));
    }

    /** Segment numbers on disk, in order. */
    static List<Long> segments(Path dir) throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> {
                Matcher m = SEGMENT.matcher(file.getFileName().toString());
                if (m.matches()) {
                    numbers.add(Long.parseLong(m.group(1)));
                }
            });
        }
        numbers.sort(null);
        return numbers;
    }

    private void openSegment(long number) throws IOException {
        FileChannel channel = FileChannel.open(segment(number), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        synchronized (this) {
            active = channel;
            activeSegment = number;
            activeSize = channel.size();
            committed = new Position(number, activeSize);
        }
    }

    private void write() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            Pending next = queue.poll();
            if (next == null) {
                if (closing && queue.isEmpty()) {
                    break;
                }
                parked = true;
                if (queue.isEmpty()) {
                    LockSupport.parkNanos(IDLE_NANOS);
                }
                parked = false;
                continue;
            }
            batch.clear();
            int bytes = 0;
            do {
                batch.add(next);
                bytes += next.line().length;
            } while (batch.size() < MAX_BATCH && (next = queue.poll()) != null);
            writeBatch(batch, bytes);
        }
        try {
            active.close();
        } catch (IOException e) {
            LOG.warn("closing the usage journal failed", e);
        }
    }

    private void writeBatch(List<Pending> batch, int bytes) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        for (Pending pending : batch) {
            buffer.put(pending.line());
        }
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                active.write(buffer);
            }
            if (fsync) {
                active.force(false);
            }
            synchronized (this) {
                activeSize += bytes;
                committed = new Position(activeSegment, activeSize);
            }
            if (activeSize >= segmentBytes) {
                active.close();
                openSegment(activeSegment + 1);
            }
        } catch (IOException e) {
            LOG.error("the usage journal cannot write {} event(s): they are not recorded", batch.size(), e);
        }
        for (Pending pending : batch) {
            if (pending.durable() != null) {
                try {
                    pending.durable().run();
                } catch (RuntimeException e) {
                    LOG.warn("a usage callback failed", e);
                }
            }
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(writer);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // an append that raced with closing: its reply must not hang
        for (Pending late; (late = queue.poll()) != null; ) {
            LOG.error("a usage event arrived while the journal closed; it is not recorded");
            if (late.durable() != null) {
                late.durable().run();
            }
        }
    }
}
