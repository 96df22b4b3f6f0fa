package org.cameltaas.gateway.http.inbound;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Executor;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import org.cameltaas.gateway.files.SpooledUploads;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upload spooler in a real Netty pipeline (EmbeddedChannel) with a disk executor the test runs by hand: reading
 * stops while too much waits for the disk and resumes once it is written, nothing goes on before the body is on disk,
 * and the request the routes get names the spooled file by a fresh key, not the one a client sent.
 */
class UploadSpoolerTest {

    static final String BOUNDARY = "b0undary";

    /** Runs nothing until told: the disk is as slow as the test wants. */
    static final class HeldExecutor implements Executor {
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            tasks.add(task);
        }

        void runAll(EmbeddedChannel channel) {
            for (int i = 0; i < 10_000; i++) {
                Runnable next;
                synchronized (this) {
                    next = tasks.poll();
                }
                if (next == null) {
                    channel.runPendingTasks();
                    synchronized (this) {
                        if (tasks.isEmpty()) {
                            return;
                        }
                    }
                    continue;
                }
                next.run();
            }
        }
    }

    @Test
    void aSlowDiskStopsReadingAndTheRoutesGetAKeyToTheSpooledFile() throws Exception {
        Path spool = Files.createTempDirectory("taas-spool-test");
        SpooledUploads uploads = new SpooledUploads(spool, 64L * 1024 * 1024);
        HeldExecutor disk = new HeldExecutor();
        EmbeddedChannel channel = new EmbeddedChannel(new UploadSpooler(uploads, disk));

        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/files");
        request.headers().set("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        request.headers().set("Transfer-Encoding", "chunked");
        request.headers().set(SpooledUploads.HEADER, "forged-by-the-client");
        channel.writeInbound(request);
        assertNull(channel.readInbound(), "nothing goes on before the body is on disk");

        String head = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nuser_data\r\n--" + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n";
        channel.writeInbound(new DefaultHttpContent(Unpooled.copiedBuffer(head, StandardCharsets.UTF_8)));
        byte[] block = new byte[1024 * 1024];
        Arrays.fill(block, (byte) 'z');
        for (int i = 0; i < 6; i++) {
            channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(block)));
        }
        assertFalse(channel.config().isAutoRead(), "6 MB waiting for the disk: the connection stops reading");
        disk.runAll(channel);
        assertTrue(channel.config().isAutoRead(), "written: reading resumes");

        LastHttpContent last = new DefaultLastHttpContent(Unpooled.copiedBuffer("\r\n--" + BOUNDARY + "--\r\n", StandardCharsets.UTF_8));
        channel.writeInbound(last);
        assertNull(channel.readInbound(), "the end is not passed on before the disk is done");
        disk.runAll(channel);

        HttpRequest forwarded = channel.readInbound();
        assertNotNull(forwarded);
        String key = forwarded.headers().get(SpooledUploads.HEADER);
        assertNotEquals("forged-by-the-client", key);
        assertEquals("0", forwarded.headers().get("Content-Length"));
        HttpContent end = channel.readInbound();
        assertTrue(end instanceof LastHttpContent);
        assertNull(uploads.take("forged-by-the-client"));
        SpooledUploads.Upload upload = uploads.take(key);
        assertNotNull(upload);
        assertNull(upload.problem());
        assertEquals("user_data", upload.purpose());
        assertEquals("big.bin", upload.filename());
        byte[] stored = Files.readAllBytes(upload.file());
        assertEquals(6 * block.length, stored.length);
        byte[] expected = new byte[6 * block.length];
        Arrays.fill(expected, (byte) 'z');
        assertArrayEquals(expected, stored);
        try (var files = Files.list(spool)) {
            assertEquals(1, files.count(), "only the spooled upload is left in the spool directory");
        }
        channel.finishAndReleaseAll();
    }

    @Test
    void otherRequestsPassThroughWithTheInternalHeaderRemoved() {
        EmbeddedChannel channel = new EmbeddedChannel(new UploadSpooler(new SpooledUploads(Path.of("/nonexistent"), 1), Runnable::run));
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/chat/completions");
        request.headers().set(SpooledUploads.HEADER, "forged");
        channel.writeInbound(request);
        HttpRequest passed = channel.readInbound();
        assertFalse(passed.headers().contains(SpooledUploads.HEADER));
        channel.finishAndReleaseAll();
    }
}
