package org.cameltaas.tenancy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The journal: an event is written before its callback runs; the shipper delivers, resumes and skips torn lines. */
class UsageJournalTest {

    @Test
    void everyEventIsWrittenBeforeItsCallbackAndDeliveredOnce() throws Exception {
        Path dir = Files.createTempDirectory("taas-journal");
        List<UsageEvent> delivered = Collections.synchronizedList(new ArrayList<>());
        int events = 2000;
        CountDownLatch durable = new CountDownLatch(events);
        Set<String> notYetInFile = ConcurrentHashMap.newKeySet();
        try (UsageJournal journal = new UsageJournal(dir, false, 64 * 1024)) {
            for (int i = 0; i < events; i++) {
                UsageEvent event = StoreContract.event("r" + i, i, "tok", "team", "s", 200, i, 1);
                journal.append(event, () -> {
                    UsageJournal.Position at = journal.committed();
                    if (at.offset() == 0 && at.segment() == 1) {
                        notYetInFile.add(event.requestId());
                    }
                    durable.countDown();
                });
            }
            assertTrue(durable.await(20, TimeUnit.SECONDS));
            assertTrue(notYetInFile.isEmpty());
            assertTrue(UsageJournal.segments(dir).size() > 1, "small segments roll");
            LedgerShipper shipper = new LedgerShipper(journal, delivered::addAll);
            for (int i = 0; i < 1000 && shipper.shipOnce(); i++) {
                // drain
            }
            shipper.close();
        }
        assertEquals(events, delivered.size());
        assertEquals(events, delivered.stream().map(UsageEvent::requestId).distinct().count());
        assertEquals(1, UsageJournal.segments(dir).size(), "delivered, sealed segments are deleted");
    }

    @Test
    void aRestartDeliversWhatWasNotDeliveredAndSkipsATornLine() throws Exception {
        Path dir = Files.createTempDirectory("taas-journal-restart");
        List<UsageEvent> first = new ArrayList<>();
        try (UsageJournal journal = new UsageJournal(dir, true)) {
            CountDownLatch written = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                journal.append(StoreContract.event("a" + i, i, "tok", "team", "s", 200, 1, 1), written::countDown);
            }
            assertTrue(written.await(10, TimeUnit.SECONDS));
            LedgerShipper shipper = new LedgerShipper(journal, first::addAll);
            assertTrue(shipper.shipOnce());
            // more events after the last delivery, then a crash that left half a line
            CountDownLatch more = new CountDownLatch(2);
            journal.append(StoreContract.event("b0", 5, "tok", "team", "s", 200, 1, 1), more::countDown);
            journal.append(StoreContract.event("b1", 6, "tok", "team", "s", 200, 1, 1), more::countDown);
            assertTrue(more.await(10, TimeUnit.SECONDS));
        }
        Path active = dir.resolve(String.format("usage-%012d.jsonl", 1));
        Files.writeString(active, "{\"request_id\":\"torn", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertEquals(3, first.size());

        List<UsageEvent> second = new ArrayList<>();
        try (UsageJournal journal = new UsageJournal(dir, false)) {
            LedgerShipper shipper = new LedgerShipper(journal, second::addAll);
            for (int i = 0; i < 10 && shipper.shipOnce(); i++) {
                // drain
            }
            shipper.close();
        }
        assertEquals(List.of("b0", "b1"), second.stream().map(UsageEvent::requestId).toList(),
                "the checkpoint skips what was delivered; the torn line is no event");
    }

    @Test
    void aFailingSinkGetsTheSameEventsAgain() throws Exception {
        Path dir = Files.createTempDirectory("taas-journal-retry");
        List<UsageEvent> delivered = new ArrayList<>();
        boolean[] fail = {true};
        try (UsageJournal journal = new UsageJournal(dir, false)) {
            CountDownLatch written = new CountDownLatch(1);
            journal.append(StoreContract.event("x", 1, "tok", "team", "s", 200, 1, 1), written::countDown);
            assertTrue(written.await(10, TimeUnit.SECONDS));
            LedgerShipper shipper = new LedgerShipper(journal, batch -> {
                if (fail[0]) {
                    throw new IllegalStateException("database down");
                }
                delivered.addAll(batch);
            });
            try {
                shipper.shipOnce();
            } catch (IllegalStateException expected) {
                // not delivered
            }
            fail[0] = false;
            assertTrue(shipper.shipOnce());
            shipper.close();
        }
        assertEquals(List.of("x"), delivered.stream().map(UsageEvent::requestId).toList());
    }
}
