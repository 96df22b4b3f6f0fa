import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load tools of bench/compare/run.sh that wrk does not cover, in one file with no dependencies:
 * <ul>
 * <li>{@code openloop}: an open-loop (constant arrival rate) HTTP/1.1 load generator; each latency is measured
 * from the request's scheduled send time, so queueing caused by a slow server is counted (no coordinated
 * omission), as wrk2 does;</li>
 * <li>{@code ttfb}: streaming requests at a modest concurrency, timing the first body byte (the first SSE event)
 * and the whole stream;</li>
 * <li>{@code streams}: holds N streaming requests open at once (one NIO selector thread) and reads the server's
 * RSS (/proc/PID/status) and, for a JVM, its live heap (jcmd GC.run, then GC.heap_info) before and while they
 * are open;</li>
 * <li>{@code slowsse}: a slow OpenAI-compatible SSE upstream: every POST gets two chunk events at once, then one
 * more every few seconds, for as long as the client stays;</li>
 * <li>{@code jfrsummary}: the hot spots of a JFR recording (execution samples, allocation samples, GC);</li>
 * <li>{@code report}: the markdown table, the ratios and the plot data from the results file.</li>
 * </ul>
 * Options are {@code --name=value}; {@code --header=Name: value} may repeat. Results are appended to
 * {@code --results=FILE} as one {@code key=value ...} line per measurement.
 */
public final class CompareTool {

    private CompareTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: CompareTool openloop|ttfb|streams|slowsse|jfrsummary|report --name=value ...");
            System.exit(2);
        }
        Options options = new Options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "openloop" -> OpenLoop.run(options);
            case "ttfb" -> Ttfb.run(options);
            case "streams" -> Streams.run(options);
            case "slowsse" -> SlowSse.run(options);
            case "jfrsummary" -> JfrSummary.run(options);
            case "report" -> Report.run(options);
            default -> {
                System.err.println("unknown mode " + args[0]);
                System.exit(2);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ options

    static final class Options {
        final Map<String, String> values = new HashMap<>();
        final List<String> headers = new ArrayList<>();

        Options(String[] args) {
            for (String arg : args) {
                if (!arg.startsWith("--") || !arg.contains("=")) {
                    throw new IllegalArgumentException("expected --name=value, got " + arg);
                }
                String name = arg.substring(2, arg.indexOf('='));
                String value = arg.substring(arg.indexOf('=') + 1);
                if (name.equals("header")) {
                    headers.add(value);
                } else {
                    values.put(name, value);
                }
            }
        }

        String get(String name) {
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value;
        }

        String get(String name, String fallback) {
            return values.getOrDefault(name, fallback);
        }

        double number(String name, double fallback) {
            return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
        }

        int integer(String name, int fallback) {
            return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
        }

        byte[] body() throws IOException {
            if (values.containsKey("body-file")) {
                return Files.readAllBytes(Path.of(values.get("body-file")));
            }
            return get("body", "").getBytes(StandardCharsets.UTF_8);
        }

        /** The whole HTTP/1.1 request, built once and written as is for every call. */
        byte[] request(URI uri) throws IOException {
            byte[] body = body();
            StringBuilder head = new StringBuilder();
            head.append(get("method", "POST")).append(' ').append(uri.getRawPath());
            if (uri.getRawQuery() != null) {
                head.append('?').append(uri.getRawQuery());
            }
            head.append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
            head.append("Content-Type: application/json\r\n");
            for (String header : headers) {
                head.append(header).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            return out.toByteArray();
        }
    }

    static void emit(Options options, String line) throws IOException {
        System.out.println(line);
        String results = options.get("results", null);
        if (results != null) {
            Files.writeString(Path.of(results), line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }

    // ------------------------------------------------------------------------------------------------ client

    /** A blocking HTTP/1.1 keep-alive connection that reads responses by Content-Length, chunks or EOF. */
    static final class Http1 implements Closeable {
        private final InetSocketAddress address;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private long lastFillNanos;
        boolean keepAlive;

        // of the last response
        int status;
        long firstBodyNanos;
        ByteArrayOutputStream captured;

        Http1(URI uri) {
            this.address = new InetSocketAddress(uri.getHost(), uri.getPort());
        }

        void ensureOpen() throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                socket.connect(address, 5_000);
                in = socket.getInputStream();
                out = socket.getOutputStream();
                position = 0;
                limit = 0;
            }
        }

        /** Sends a request and reads its whole response; {@code capture} keeps the body (decoded). */
        void exchange(byte[] request, boolean capture) throws IOException {
            ensureOpen();
            out.write(request);
            out.flush();
            readResponse(capture);
            if (!keepAlive) {
                close();
            }
        }

        private void readResponse(boolean capture) throws IOException {
            captured = capture ? new ByteArrayOutputStream(8192) : null;
            firstBodyNanos = 0;
            String statusLine = line();
            // HTTP/1.1 200 OK
            status = Integer.parseInt(statusLine.substring(9, 12));
            long contentLength = -1;
            boolean chunked = false;
            keepAlive = true;
            String header;
            while (!(header = line()).isEmpty()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> contentLength = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
                    default -> {
                    }
                }
            }
            if (chunked) {
                while (true) {
                    String sizeLine = line();
                    int semicolon = sizeLine.indexOf(';');
                    long size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
                    if (size == 0) {
                        while (!line().isEmpty()) {
                            // trailers
                        }
                        break;
                    }
                    skip(size);
                    line();
                }
            } else if (contentLength >= 0) {
                skip(contentLength);
            } else if (status != 204 && status != 304) {
                while (fill()) {
                    consume(limit - position);
                }
                keepAlive = false;
            }
        }

        private void skip(long count) throws IOException {
            while (count > 0) {
                if (position == limit && !fill()) {
                    throw new EOFException("connection closed in a body");
                }
                int n = (int) Math.min(count, limit - position);
                consume(n);
                count -= n;
            }
        }

        private void consume(int n) {
            if (n > 0 && firstBodyNanos == 0) {
                firstBodyNanos = lastFillNanos;
            }
            if (captured != null) {
                captured.write(buffer, position, n);
            }
            position += n;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            while (true) {
                if (position == limit && !fill()) {
                    throw new EOFException("connection closed");
                }
                byte b = buffer[position++];
                if (b == '\n') {
                    int length = line.length();
                    if (length > 0 && line.charAt(length - 1) == '\r') {
                        line.setLength(length - 1);
                    }
                    return line.toString();
                }
                line.append((char) (b & 0xff));
            }
        }

        private boolean fill() throws IOException {
            if (position < limit) {
                return true;
            }
            int n = in.read(buffer, 0, buffer.length);
            lastFillNanos = System.nanoTime();
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            socket = null;
        }
    }

    // ------------------------------------------------------------------------------------------------ samples

    /** Latencies in nanoseconds; percentiles by sorting (a run holds at most a few hundred thousand). */
    static final class Samples {
        private long[] values = new long[1 << 16];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        void addAll(Samples other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        int size() {
            return size;
        }

        long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }

        static long percentile(long[] sorted, double p) {
            if (sorted.length == 0) {
                return -1;
            }
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        static double mean(long[] sorted) {
            if (sorted.length == 0) {
                return -1;
            }
            double sum = 0;
            for (long v : sorted) {
                sum += v;
            }
            return sum / sorted.length;
        }
    }

    static String us(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1000.0);
    }

    // ------------------------------------------------------------------------------------------------ open loop

    /**
     * Constant arrival rate over a pool of keep-alive connections: request i is due at start + i / rate; a free
     * connection takes the next due request, waits for its time and sends it. Latency = response end - due time.
     */
    static final class OpenLoop {
        static void run(Options options) throws Exception {
            URI uri = URI.create(options.get("url"));
            byte[] request = options.request(uri);
            double rate = options.number("rate", 1000);
            int connections = options.integer("connections", 64);
            double warmup = options.number("warmup", 2);
            double duration = options.number("duration", 10);
            String label = "test=" + options.get("test", "?") + " target=" + options.get("target", "?");
            long total = (long) ((warmup + duration) * rate);
            long start = System.nanoTime() + 50_000_000L;
            long measureFrom = start + (long) (warmup * 1e9);
            double interval = 1e9 / rate;
            AtomicLong next = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicLong late = new AtomicLong();
            Samples[] perThread = new Samples[connections];
            String[] firstError = new String[1];
            Thread[] threads = new Thread[connections];
            for (int t = 0; t < connections; t++) {
                Samples samples = new Samples();
                perThread[t] = samples;
                threads[t] = new Thread(() -> {
                    try (Http1 http = new Http1(uri)) {
                        while (true) {
                            long i = next.getAndIncrement();
                            if (i >= total) {
                                return;
                            }
                            long due = start + (long) (i * interval);
                            long wait;
                            while ((wait = due - System.nanoTime()) > 0) {
                                LockSupport.parkNanos(wait);
                            }
                            boolean measured = due >= measureFrom;
                            if (measured && System.nanoTime() - due > 1_000_000) {
                                late.incrementAndGet();
                            }
                            try {
                                http.exchange(request, false);
                                long end = System.nanoTime();
                                if (http.status / 100 != 2) {
                                    errors.incrementAndGet();
                                    firstError[0] = "HTTP " + http.status;
                                } else if (measured) {
                                    samples.add(end - due);
                                }
                            } catch (IOException | RuntimeException e) {
                                http.close();
                                errors.incrementAndGet();
                                firstError[0] = e.toString();
                            }
                        }
                    }
                }, "openloop-" + t);
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            long elapsed = System.nanoTime() - measureFrom;
            Samples all = new Samples();
            for (Samples s : perThread) {
                all.addAll(s);
            }
            long[] sorted = all.sorted();
            emit(options, "kind=openloop " + label + " rate=" + String.format(Locale.ROOT, "%.0f", rate)
                    + " achieved=" + String.format(Locale.ROOT, "%.1f", sorted.length / (elapsed / 1e9))
                    + " connections=" + connections + " n=" + sorted.length
                    + " p50_us=" + us(Samples.percentile(sorted, 50)) + " p90_us=" + us(Samples.percentile(sorted, 90))
                    + " p99_us=" + us(Samples.percentile(sorted, 99)) + " p999_us=" + us(Samples.percentile(sorted, 99.9))
                    + " max_us=" + us(Samples.percentile(sorted, 100)) + " mean_us=" + String.format(Locale.ROOT, "%.1f", Samples.mean(sorted) / 1000)
                    + " late_1ms=" + late.get() + " errors=" + errors.get()
                    + (firstError[0] == null ? "" : " first_error=" + firstError[0].replace(' ', '_')));
        }
    }

    // ------------------------------------------------------------------------------------------------ TTFB

    /** Streaming requests, {@code concurrency} at a time: time to the first body byte and to the end. */
    static final class Ttfb {
        static void run(Options options) throws Exception {
            URI uri = URI.create(options.get("url"));
            byte[] request = options.request(uri);
            int requests = options.integer("requests", 2000);
            int warmup = options.integer("warmup", 200);
            int concurrency = options.integer("concurrency", 1);
            boolean fresh = Boolean.parseBoolean(options.get("fresh-connection", "true"));
            String expectText = options.get("expect-text", null);
            String label = "test=" + options.get("test", "?") + " target=" + options.get("target", "?");
            AtomicLong next = new AtomicLong();
            AtomicLong errors = new AtomicLong();
            AtomicLong events = new AtomicLong();
            AtomicLong corrupted = new AtomicLong();
            String[] firstCorrupted = new String[1];
            String[] firstError = new String[1];
            Samples[] first = new Samples[concurrency];
            Samples[] whole = new Samples[concurrency];
            Thread[] threads = new Thread[concurrency];
            for (int t = 0; t < concurrency; t++) {
                Samples firstSamples = new Samples();
                Samples wholeSamples = new Samples();
                first[t] = firstSamples;
                whole[t] = wholeSamples;
                threads[t] = new Thread(() -> {
                    try (Http1 http = new Http1(uri)) {
                        while (true) {
                            long i = next.getAndIncrement();
                            if (i >= warmup + requests) {
                                return;
                            }
                            try {
                                if (fresh) {
                                    http.close(); // each stream on a new connection; connecting is not timed
                                }
                                http.ensureOpen();
                                long sent = System.nanoTime();
                                http.exchange(request, true);
                                long end = System.nanoTime();
                                String body = http.captured.toString(StandardCharsets.UTF_8);
                                if (http.status != 200 || !body.startsWith("data:") || !body.contains("data: [DONE]")) {
                                    errors.incrementAndGet();
                                    firstError[0] = "HTTP " + http.status + " " + body.substring(0, Math.min(80, body.length()));
                                } else if (i >= warmup) {
                                    firstSamples.add(http.firstBodyNanos - sent);
                                    wholeSamples.add(end - sent);
                                    events.addAndGet(count(body, "data:"));
                                    if (expectText != null) {
                                        String text = contentText(body);
                                        if (!text.equals(expectText)) {
                                            corrupted.incrementAndGet();
                                            firstCorrupted[0] = text;
                                        }
                                    }
                                }
                            } catch (IOException | RuntimeException e) {
                                http.close();
                                errors.incrementAndGet();
                                firstError[0] = e.toString();
                            }
                        }
                    }
                }, "ttfb-" + t);
                threads[t].start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
            Samples f = new Samples();
            Samples w = new Samples();
            for (int t = 0; t < concurrency; t++) {
                f.addAll(first[t]);
                w.addAll(whole[t]);
            }
            long[] fs = f.sorted();
            long[] ws = w.sorted();
            emit(options, "kind=ttfb " + label + " concurrency=" + concurrency + " n=" + fs.length
                    + " events_per_stream=" + (fs.length == 0 ? "0" : String.format(Locale.ROOT, "%.2f", events.get() / (double) fs.length))
                    + (expectText == null ? "" : " wrong_text=" + corrupted.get())
                    + " fresh_connections=" + fresh
                    + " p50_us=" + us(Samples.percentile(fs, 50)) + " p90_us=" + us(Samples.percentile(fs, 90))
                    + " p99_us=" + us(Samples.percentile(fs, 99))
                    + " whole_p50_us=" + us(Samples.percentile(ws, 50)) + " whole_p99_us=" + us(Samples.percentile(ws, 99))
                    + " errors=" + errors.get()
                    + (firstError[0] == null ? "" : " first_error=" + firstError[0].replaceAll("\\s", "_"))
                    + (firstCorrupted[0] == null ? "" : " first_wrong_text=" + firstCorrupted[0].replaceAll("\\s", "_")));
        }

        static final Pattern CONTENT = Pattern.compile("\"content\":\"((?:[^\"\\\\]|\\\\.)*)\"");

        /** The streamed answer: every chunk's delta content, concatenated in order. */
        static String contentText(String body) {
            StringBuilder text = new StringBuilder();
            Matcher m = CONTENT.matcher(body);
            while (m.find()) {
                text.append(m.group(1));
            }
            return text.toString();
        }

        static int count(String text, String needle) {
            int n = 0;
            for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
                n++;
            }
            return n;
        }
    }

    // ------------------------------------------------------------------------------------------------ open streams

    /**
     * Opens {@code count} streaming requests (ramped), waits until each has received its first SSE event, then
     * measures the server process(es) while all are open, closes them and measures again.
     */
    static final class Streams {
        static final class Conn {
            final SocketChannel channel;
            final ByteBuffer out;
            final StringBuilder head = new StringBuilder();
            boolean established;
            boolean failed;
            boolean closed;

            Conn(SocketChannel channel, byte[] request) {
                this.channel = channel;
                this.out = ByteBuffer.wrap(request);
            }
        }

        static void run(Options options) throws Exception {
            URI uri = URI.create(options.get("url"));
            byte[] request = options.request(uri);
            int count = options.integer("count", 5000);
            int rampPerSecond = options.integer("ramp", 1000);
            double settle = options.number("settle", 5);
            double openTimeout = options.number("open-timeout", 60);
            String label = "test=" + options.get("test", "?") + " target=" + options.get("target", "?");
            List<Long> pids = new ArrayList<>();
            for (String pid : options.get("pids", "").split(",")) {
                if (!pid.isBlank()) {
                    pids.add(Long.parseLong(pid.trim()));
                }
            }
            boolean jvm = Boolean.parseBoolean(options.get("jvm", "false"));

            Probe before = Probe.take(pids, jvm);
            System.err.println(label + ": before " + before);

            Selector selector = Selector.open();
            List<Conn> conns = new ArrayList<>(count);
            InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
            ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
            long started = System.nanoTime();
            long openDeadline = started + (long) (openTimeout * 1e9);
            int established = 0;
            int failed = 0;
            String firstError = null;
            long allOpenAt = 0;
            long lastReport = started;
            while (System.nanoTime() < openDeadline) {
                // ramp: connections allowed so far
                long allowed = Math.min(count, (long) ((System.nanoTime() - started) / 1e9 * rampPerSecond) + 1);
                while (conns.size() < allowed) {
                    SocketChannel channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    Conn conn = new Conn(channel, request);
                    conns.add(conn);
                    if (channel.connect(address)) {
                        channel.register(selector, SelectionKey.OP_WRITE, conn);
                    } else {
                        channel.register(selector, SelectionKey.OP_CONNECT, conn);
                    }
                }
                selector.select(10);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Conn conn = (Conn) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            conn.channel.finishConnect();
                            key.interestOps(SelectionKey.OP_WRITE);
                        } else if (key.isWritable()) {
                            conn.channel.write(conn.out);
                            if (!conn.out.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        } else if (key.isReadable()) {
                            readBuffer.clear();
                            int n = conn.channel.read(readBuffer);
                            if (n < 0) {
                                key.cancel();
                                conn.channel.close();
                                conn.closed = true;
                                if (!conn.established) {
                                    conn.failed = true;
                                    failed++;
                                    firstError = firstError == null ? "closed before the first event: " + conn.head : firstError;
                                }
                                continue;
                            }
                            if (!conn.established && conn.head.length() < 16384) {
                                conn.head.append(new String(readBuffer.array(), 0, n, StandardCharsets.ISO_8859_1));
                                String head = conn.head.toString();
                                if (head.length() >= 12 && !head.startsWith("HTTP/1.1 200")) {
                                    conn.failed = true;
                                    failed++;
                                    firstError = firstError == null ? head.substring(0, Math.min(200, head.length())) : firstError;
                                    key.cancel();
                                    conn.channel.close();
                                    conn.closed = true;
                                    continue;
                                }
                                int end = head.indexOf("\r\n\r\n");
                                if (end >= 0 && head.indexOf("data:", end) >= 0) {
                                    conn.established = true;
                                    established++;
                                    conn.head.setLength(0);
                                }
                            }
                        }
                    } catch (IOException e) {
                        key.cancel();
                        conn.channel.close();
                        conn.closed = true;
                        if (!conn.established && !conn.failed) {
                            conn.failed = true;
                            failed++;
                            firstError = firstError == null ? e.toString() : firstError;
                        }
                    }
                }
                if (System.nanoTime() - lastReport > 2_000_000_000L) {
                    lastReport = System.nanoTime();
                    System.err.println(label + ": " + conns.size() + " opened, " + established + " streaming, " + failed + " failed");
                }
                if (established + failed >= count) {
                    allOpenAt = System.nanoTime();
                    break;
                }
            }
            double openSeconds = ((allOpenAt == 0 ? System.nanoTime() : allOpenAt) - started) / 1e9;
            // hold, reading (and dropping) what arrives so that the server sees live clients
            long settleUntil = System.nanoTime() + (long) (settle * 1e9);
            int droppedWhileHeld = drain(selector, readBuffer, settleUntil);
            Probe during = Probe.take(pids, jvm);
            System.err.println(label + ": with " + established + " open streams " + during);
            int stillOpen = 0;
            for (Conn conn : conns) {
                if (conn.established && !conn.closed && conn.channel.isOpen()) {
                    stillOpen++;
                }
            }
            for (Conn conn : conns) {
                try {
                    conn.channel.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            selector.close();
            Thread.sleep(3000);
            Probe after = Probe.take(pids, jvm);
            System.err.println(label + ": after closing " + after);
            long heapDelta = during.heapUsedKb - before.heapUsedKb;
            long rssDelta = during.rssKb - before.rssKb;
            emit(options, "kind=streams " + label + " requested=" + count + " established=" + established
                    + " failed=" + failed + " still_open=" + stillOpen + " closed_while_held=" + droppedWhileHeld
                    + " open_seconds=" + String.format(Locale.ROOT, "%.1f", openSeconds)
                    + " rss_before_kb=" + before.rssKb + " rss_open_kb=" + during.rssKb + " rss_after_kb=" + after.rssKb
                    + " heap_before_kb=" + before.heapUsedKb + " heap_open_kb=" + during.heapUsedKb + " heap_after_kb=" + after.heapUsedKb
                    + " threads_before=" + before.threads + " threads_open=" + during.threads
                    + " heap_per_stream_b=" + (established == 0 || !jvm ? -1 : heapDelta * 1024 / established)
                    + " rss_per_stream_b=" + (established == 0 ? -1 : rssDelta * 1024 / established)
                    + (firstError == null ? "" : " first_error=" + firstError.replaceAll("\\s", "_")));
        }

        private static int drain(Selector selector, ByteBuffer readBuffer, long until) throws IOException {
            int closed = 0;
            while (System.nanoTime() < until) {
                selector.select(100);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Conn conn = (Conn) key.attachment();
                    try {
                        if (key.isReadable()) {
                            readBuffer.clear();
                            if (conn.channel.read(readBuffer) < 0) {
                                key.cancel();
                                conn.channel.close();
                                conn.closed = true;
                                closed++;
                            }
                        }
                    } catch (IOException e) {
                        key.cancel();
                        conn.channel.close();
                        conn.closed = true;
                        closed++;
                    }
                }
            }
            return closed;
        }
    }

    /** RSS and thread count from /proc (summed over pids) and, for a JVM, the live heap after a full GC. */
    static final class Probe {
        long rssKb;
        long threads;
        long heapUsedKb = -1;
        long heapCommittedKb = -1;

        static final Pattern HEAP = Pattern.compile("total (\\d+)K, used (\\d+)K");

        static Probe take(List<Long> pids, boolean jvm) throws IOException, InterruptedException {
            Probe probe = new Probe();
            if (jvm && !pids.isEmpty()) {
                String pid = String.valueOf(pids.get(0));
                jcmd(pid, "GC.run");
                String info = jcmd(pid, "GC.heap_info");
                Thread.sleep(2000); // G1 gives memory back concurrently after a full GC: let RSS settle
                Matcher m = HEAP.matcher(info);
                if (m.find()) {
                    probe.heapCommittedKb = Long.parseLong(m.group(1));
                    probe.heapUsedKb = Long.parseLong(m.group(2));
                }
            }
            for (long pid : pids) {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        probe.rssKb += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    } else if (line.startsWith("Threads:")) {
                        probe.threads += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            }
            return probe;
        }

        static String jcmd(String pid, String command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder("jcmd", pid, command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " " + command + " failed: " + output);
            }
            return output;
        }

        @Override
        public String toString() {
            return "rss=" + rssKb + "K threads=" + threads + (heapUsedKb >= 0 ? " heap used=" + heapUsedKb + "K committed=" + heapCommittedKb + "K" : "");
        }
    }

    // ------------------------------------------------------------------------------------------------ slow SSE

    /**
     * A slow OpenAI-compatible streaming upstream on one selector thread: each request is answered with two
     * chat.completion.chunk events at once, then one more every {@code --interval} ms until the client leaves
     * (the gateways cancel their upstream call when their own client disconnects).
     */
    static final class SlowSse {
        static final class Peer {
            final SocketChannel channel;
            final StringBuilder request = new StringBuilder();
            boolean responding;
            final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();

            Peer(SocketChannel channel) {
                this.channel = channel;
            }
        }

        static final String CHUNK = "data: {\"id\":\"chatcmpl-slow\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,"
                + "\"model\":\"gpt-4o-2024-08-06\",\"choices\":[{\"index\":0,\"delta\":%s,\"logprobs\":null,\"finish_reason\":null}]}\n\n";

        static void run(Options options) throws Exception {
            int port = options.integer("port", 18083);
            long interval = (long) options.number("interval", 10_000);
            Selector selector = Selector.open();
            ServerSocketChannel server = ServerSocketChannel.open();
            server.bind(new InetSocketAddress("127.0.0.1", port), 8192);
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            byte[] head = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] firstEvents = chunk(String.format(CHUNK, "{\"role\":\"assistant\",\"content\":\"\"}")
                    + String.format(CHUNK, "{\"content\":\"Once\"}"));
            byte[] tick = chunk(String.format(CHUNK, "{\"content\":\" upon\"}"));
            List<Peer> streaming = new ArrayList<>();
            ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
            long nextTick = System.nanoTime() + interval * 1_000_000L;
            System.err.println("slow SSE upstream on 127.0.0.1:" + port + ", an event every " + interval + " ms");
            while (true) {
                long wait = Math.max(1, (nextTick - System.nanoTime()) / 1_000_000L);
                selector.select(wait);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    try {
                        if (key.isAcceptable()) {
                            SocketChannel channel = server.accept();
                            if (channel != null) {
                                channel.configureBlocking(false);
                                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                                channel.register(selector, SelectionKey.OP_READ, new Peer(channel));
                            }
                            continue;
                        }
                        Peer peer = (Peer) key.attachment();
                        if (key.isReadable()) {
                            readBuffer.clear();
                            int n = peer.channel.read(readBuffer);
                            if (n < 0) {
                                key.cancel();
                                peer.channel.close();
                                streaming.remove(peer);
                                continue;
                            }
                            if (!peer.responding) {
                                peer.request.append(new String(readBuffer.array(), 0, n, StandardCharsets.ISO_8859_1));
                                if (complete(peer.request)) {
                                    peer.responding = true;
                                    peer.request.setLength(0);
                                    send(peer, key, ByteBuffer.wrap(head));
                                    send(peer, key, ByteBuffer.wrap(firstEvents));
                                    streaming.add(peer);
                                }
                            }
                        }
                        if (key.isValid() && key.isWritable()) {
                            flush(peer, key);
                        }
                    } catch (IOException e) {
                        key.cancel();
                        key.channel().close();
                        if (key.attachment() instanceof Peer peer) {
                            streaming.remove(peer);
                        }
                    }
                }
                if (System.nanoTime() >= nextTick) {
                    nextTick = System.nanoTime() + interval * 1_000_000L;
                    for (Peer peer : new ArrayList<>(streaming)) {
                        SelectionKey key = peer.channel.keyFor(selector);
                        if (key == null || !key.isValid()) {
                            streaming.remove(peer);
                            continue;
                        }
                        if (peer.pending.isEmpty()) {
                            try {
                                send(peer, key, ByteBuffer.wrap(tick));
                            } catch (IOException e) {
                                key.cancel();
                                peer.channel.close();
                                streaming.remove(peer);
                            }
                        }
                    }
                }
            }
        }

        /** Headers read and, if a Content-Length was given, the whole body. */
        private static boolean complete(StringBuilder request) {
            int end = request.indexOf("\r\n\r\n");
            if (end < 0) {
                return false;
            }
            Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(request.substring(0, end));
            int length = m.find() ? Integer.parseInt(m.group(1)) : 0;
            return request.length() - end - 4 >= length;
        }

        private static byte[] chunk(String data) {
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            byte[] prefix = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] out = new byte[prefix.length + bytes.length + 2];
            System.arraycopy(prefix, 0, out, 0, prefix.length);
            System.arraycopy(bytes, 0, out, prefix.length, bytes.length);
            out[out.length - 2] = '\r';
            out[out.length - 1] = '\n';
            return out;
        }

        private static void send(Peer peer, SelectionKey key, ByteBuffer buffer) throws IOException {
            peer.pending.add(buffer);
            flush(peer, key);
        }

        private static void flush(Peer peer, SelectionKey key) throws IOException {
            while (!peer.pending.isEmpty()) {
                ByteBuffer first = peer.pending.peek();
                peer.channel.write(first);
                if (first.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                peer.pending.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    // ------------------------------------------------------------------------------------------------ JFR

    /**
     * Hot spots of a JFR recording: where the CPU goes (process, threads), execution samples attributed to the
     * innermost frame outside the JDK (the library or project code that did the work, itself or through JDK calls),
     * top frames, allocation per request and GC pauses.
     */
    static final class JfrSummary {
        /**
         * Steps of a gateway request, each recognised by a method on the stack; a sample belongs to the innermost
         * step on its stack (so the route's continuation inside a callback counts for the step it runs).
         */
        static final String[][] STEPS = {
            // the gateway's steps (routes/src/main/java)
            {"org.cameltaas.gateway.http.AccessLog.record", "access log line (Jackson + slf4j-simple)"},
            {"org.cameltaas.gateway.metrics.GatewayMetrics.", "metrics (Micrometer)"},
            {"org.cameltaas.gateway.http.ResponseWriter.process", "reply: JSON to bytes, gateway headers"},
            {"org.cameltaas.gateway.http.TaasHttpBinding.toNettyResponse", "Camel message to Netty response (binding)"},
            {"org.cameltaas.gateway.http.TaasHttpBinding.populateCamelHeaders", "Netty request to Camel message (binding)"},
            {"org.cameltaas.gateway.http.SseResponse", "stream: writing events to Netty"},
            {"org.cameltaas.gateway.request.RequestIds.", "request ids"},
            {"org.cameltaas.gateway.auth.", "token check (SHA-256, lookup)"},
            {"org.cameltaas.gateway.request.Sessions.", "session id (SHA-256 of token + first message)"},
            {"org.cameltaas.gateway.request.", "request: JSON parse, rules"},
            {"org.cameltaas.gateway.catalog.ModelCatalog.", "catalog lookup (ModelCatalog.has: scans every route definition)"},
            {"org.cameltaas.gateway.catalog.", "upstream guard, model names (bean calls)"},
            {"org.cameltaas.gateway.cache.", "embeddings cache"},
            {"org.cameltaas.gateway.error.", "error responder"},
            // the taas component (camel-taas-component/src/main/java)
            {"org.cameltaas.component.UpstreamCall.onBufferedReply", "upstream reply: JSON parse, usage, headers"},
            {"org.cameltaas.component.UpstreamCall$Buffering", "upstream reply: buffering the body"},
            {"org.cameltaas.component.TaasStream", "stream: SSE parse and mapping"},
            {"org.cameltaas.component.http.SseEventParser", "stream: SSE parse and mapping"},
            {"org.cameltaas.component.protocol.", "stream: SSE parse and mapping"},
            {"org.cameltaas.component.UpstreamCall.send", "upstream request: JSON body, JDK HttpClient send"},
            {"org.cameltaas.component.UpstreamCall.httpRequest", "upstream request: JSON body, JDK HttpClient send"},
            {"org.cameltaas.component.provider.", "provider: request and reply mapping"},
            {"org.cameltaas.component.TaasProducer", "taas producer (other)"},
            {"org.cameltaas.component.UpstreamCall", "taas producer (other)"},
            // Camel: the EIPs the routes use, then the engine that runs them
            {"org.apache.camel.language.bean.", "Camel bean language (method: predicates and expressions)"},
            {"org.apache.camel.component.bean.", "Camel bean component (bean: steps)"},
            {"org.apache.camel.processor.SendDynamicProcessor", "toD: evaluate and normalise the URI, find the endpoint"},
            {"org.apache.camel.language.simple.", "Camel simple language (choice predicates, toD URIs)"},
            {"org.apache.camel.processor.ChoiceProcessor", "choice"},
            {"org.apache.camel.component.netty.http.DefaultNettyHttpBinding.toCamelMessage", "Netty request to Camel message (binding)"},
            {"org.apache.camel.component.netty.http.DefaultNettyHttpBinding.toNettyResponse", "Camel message to Netty response (binding)"},
            {"org.apache.camel.impl.engine.CamelInternalProcessor", "Camel routing engine (exchanges, pipeline, async callbacks)"},
            {"org.apache.camel.impl.engine.DefaultReactiveExecutor", "Camel routing engine (exchanges, pipeline, async callbacks)"},
            {"org.apache.camel.impl.engine.DefaultUnitOfWork", "Camel routing engine (exchanges, pipeline, async callbacks)"},
            {"org.apache.camel.impl.engine.SharedCamelInternalProcessor", "Camel routing engine (exchanges, pipeline, async callbacks)"},
            {"org.apache.camel.processor.", "Camel routing engine (exchanges, pipeline, async callbacks)"},
            {"org.apache.camel.support.ExchangeHelper", "Camel routing engine (exchanges, pipeline, async callbacks)"},
            {"org.apache.camel.support.cache.", "Camel routing engine (exchanges, pipeline, async callbacks)"},
            {"org.apache.camel.component.netty.", "Camel netty consumer (handlers)"},
            // below the application
            {"io.netty.handler.codec.http.", "Netty HTTP codec"},
            {"io.netty.", "Netty I/O and event loop"},
            {"jdk.internal.net.http.", "JDK HttpClient (I/O, scheduling)"},
        };

        static String step(List<jdk.jfr.consumer.RecordedFrame> frames) {
            for (jdk.jfr.consumer.RecordedFrame f : frames) {
                String name = frame(f);
                for (String[] marker : STEPS) {
                    if (name.startsWith(marker[0])) {
                        return marker[1];
                    }
                }
            }
            return "other: " + jdkArea(frame(frames.get(0)));
        }

        static void run(Options options) throws Exception {
            Path file = Path.of(options.get("file"));
            int top = options.integer("top", 25);
            long requests = (long) options.number("requests", 0);
            String focus = "org.cameltaas.";
            Map<String, Integer> self = new HashMap<>();
            Map<String, Integer> owner = new HashMap<>();
            Map<String, Integer> layer = new HashMap<>();
            Map<String, Integer> steps = new HashMap<>();
            Map<String, Integer> inclusive = new HashMap<>();
            Map<String, Integer> threads = new HashMap<>();
            Map<String, Integer> allocationSites = new HashMap<>();
            Map<Long, long[]> allocatedByThread = new HashMap<>();
            double jvmCpu = 0;
            double machineCpu = 0;
            int cpuEvents = 0;
            long gcPauseNanos = 0;
            long gcMaxPauseNanos = 0;
            int gcCount = 0;
            int samples = 0;
            int nativeSamples = 0;
            java.time.Instant first = null;
            java.time.Instant last = null;
            try (jdk.jfr.consumer.RecordingFile recording = new jdk.jfr.consumer.RecordingFile(file)) {
                while (recording.hasMoreEvents()) {
                    jdk.jfr.consumer.RecordedEvent event = recording.readEvent();
                    String type = event.getEventType().getName();
                    switch (type) {
                        case "jdk.ExecutionSample" -> {
                            jdk.jfr.consumer.RecordedStackTrace stack = event.getStackTrace();
                            if (stack == null || stack.getFrames().isEmpty()) {
                                continue;
                            }
                            samples++;
                            first = first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
                            last = last == null || event.getStartTime().isAfter(last) ? event.getStartTime() : last;
                            jdk.jfr.consumer.RecordedThread thread = event.getThread("sampledThread");
                            String threadName = thread == null || thread.getJavaName() == null ? "?" : thread.getJavaName();
                            threads.merge(threadName.replaceAll("\\d+", "N"), 1, Integer::sum);
                            List<jdk.jfr.consumer.RecordedFrame> frames = stack.getFrames();
                            self.merge(frame(frames.get(0)), 1, Integer::sum);
                            steps.merge(step(frames), 1, Integer::sum);
                            String ownerFrame = null;
                            for (jdk.jfr.consumer.RecordedFrame f : frames) {
                                String name = frame(f);
                                if (!isJdk(name)) {
                                    ownerFrame = name;
                                    break;
                                }
                            }
                            owner.merge(ownerFrame == null ? "(JDK only) " + jdkArea(frame(frames.get(0))) : ownerFrame, 1, Integer::sum);
                            layer.merge(ownerFrame == null ? jdkArea(frame(frames.get(0))) : library(ownerFrame), 1, Integer::sum);
                            java.util.Set<String> seen = new java.util.HashSet<>();
                            for (jdk.jfr.consumer.RecordedFrame f : frames) {
                                String name = frame(f);
                                if (seen.add(name)) {
                                    inclusive.merge(name, 1, Integer::sum);
                                }
                            }
                        }
                        case "jdk.NativeMethodSample" -> nativeSamples++;
                        case "jdk.ObjectAllocationSample" -> {
                            jdk.jfr.consumer.RecordedStackTrace stack = event.getStackTrace();
                            if (stack != null) {
                                String site = null;
                                for (jdk.jfr.consumer.RecordedFrame f : stack.getFrames()) {
                                    String name = frame(f);
                                    if (!isJdk(name)) {
                                        site = name;
                                        break;
                                    }
                                }
                                allocationSites.merge(event.getClass("objectClass").getName() + " @ " + site, 1, Integer::sum);
                            }
                        }
                        case "jdk.ThreadAllocationStatistics" -> {
                            long allocated = event.getLong("allocated");
                            jdk.jfr.consumer.RecordedThread thread = event.getThread("thread");
                            long id = thread == null ? -1 : thread.getJavaThreadId();
                            long[] range = allocatedByThread.computeIfAbsent(id, k -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
                            range[0] = Math.min(range[0], allocated);
                            range[1] = Math.max(range[1], allocated);
                        }
                        case "jdk.CPULoad" -> {
                            jvmCpu += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                            machineCpu += event.getFloat("machineTotal");
                            cpuEvents++;
                        }
                        case "jdk.GarbageCollection" -> {
                            gcCount++;
                            long pause = event.getDuration("sumOfPauses").toNanos();
                            gcPauseNanos += pause;
                            gcMaxPauseNanos = Math.max(gcMaxPauseNanos, pause);
                        }
                        default -> {
                        }
                    }
                }
            }
            long allocated = 0;
            for (long[] range : allocatedByThread.values()) {
                if (range[1] > range[0]) {
                    allocated += range[1] - range[0];
                }
            }
            double seconds = first == null ? 0 : java.time.Duration.between(first, last).toMillis() / 1000.0;
            int cores = Runtime.getRuntime().availableProcessors();
            StringBuilder out = new StringBuilder();
            out.append("Recording `").append(file.getFileName()).append("`: ")
                    .append(String.format(Locale.ROOT, "%.0f s", seconds))
                    .append(requests > 0 ? String.format(Locale.ROOT, ", %,d requests", requests) : "").append(". ");
            if (cpuEvents > 0) {
                double jvm = jvmCpu / cpuEvents * cores;
                out.append(String.format(Locale.ROOT, "The gateway's JVM used %.2f of the %d cores (the machine %.2f)", jvm, cores,
                        machineCpu / cpuEvents * cores));
                if (requests > 0 && seconds > 0) {
                    out.append(String.format(Locale.ROOT, ": **%.0f µs of CPU per request**", jvm * seconds * 1e6 / requests));
                }
                out.append(". ");
            }
            out.append(String.format(Locale.ROOT, "%d GCs, %.1f ms of pauses in all, the longest %.1f ms. ", gcCount,
                    gcPauseNanos / 1e6, gcMaxPauseNanos / 1e6));
            out.append(String.format(Locale.ROOT, "Allocated %,.0f MB", allocated / 1e6));
            if (requests > 0) {
                out.append(String.format(Locale.ROOT, " (**%.1f KB per request**)", allocated / 1024.0 / requests));
            }
            out.append(String.format(Locale.ROOT, ". %d Java execution samples (%d samples of threads in native code, mostly idle in epoll, are left out).\n\n", samples, nativeSamples));
            out.append("Execution samples by gateway step (the innermost step on the stack; `bench/compare/src/CompareTool.java`, "
                    + "JfrSummary.STEPS):\n\n");
            table(out, steps, samples, 40);
            out.append("\nExecution samples by the library that did the work (the innermost frame outside the JDK; JDK-only "
                    + "stacks by JDK area):\n\n");
            table(out, layer, samples, top);
            out.append("\nExecution samples by the innermost method outside the JDK (it ran, or called the JDK code that ran):\n\n");
            table(out, owner, samples, top + 10);
            out.append("\nTop frames (self time):\n\n");
            table(out, self, samples, 15);
            out.append("\nOn the stack (inclusive), project and Camel frames:\n\n");
            Map<String, Integer> filtered = new HashMap<>();
            inclusive.forEach((k, v) -> {
                if (k.startsWith(focus) || k.startsWith("org.apache.camel.")) {
                    filtered.put(k, v);
                }
            });
            table(out, filtered, samples, top + 10);
            out.append("\nAllocation samples by class and the innermost allocating method outside the JDK:\n\n");
            int allocationSamples = allocationSites.values().stream().mapToInt(Integer::intValue).sum();
            table(out, allocationSites, allocationSamples, 15);
            String text = out.toString();
            System.out.println(text);
            String outFile = options.get("out", null);
            if (outFile != null) {
                Files.writeString(Path.of(outFile), text, StandardCharsets.UTF_8);
            }
        }

        static boolean isJdk(String name) {
            return name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.") || name.startsWith("com.sun.")
                    || name.equals("?");
        }

        static String frame(jdk.jfr.consumer.RecordedFrame f) {
            jdk.jfr.consumer.RecordedMethod m = f.getMethod();
            return m == null ? "?" : m.getType().getName() + "." + m.getName();
        }

        /** Package prefixes and the library they belong to, first match wins. */
        private static final String[][] LIBRARIES = {
                {"org.cameltaas.gateway.", "camel-taas gateway (org.cameltaas.gateway)"},
                {"org.cameltaas.component.", "camel-taas component (org.cameltaas.component)"},
                {"org.apache.camel.", "Apache Camel"},
                {"io.netty.", "Netty"},
                {"com.fasterxml.jackson", "Jackson"},
                {"io.micrometer.", "Micrometer"},
                {"org.slf4j.", "slf4j"},
                {"com.github.benmanes.caffeine", "Caffeine"},
        };

        static String library(String name) {
            for (String[] library : LIBRARIES) {
                if (name.startsWith(library[0])) {
                    return library[1];
                }
            }
            int dot = name.indexOf('.', name.indexOf('.') + 1);
            return dot > 0 ? name.substring(0, dot) : name;
        }

        static String jdkArea(String name) {
            if (name.startsWith("jdk.internal.net.http.") || name.startsWith("java.net.http.")) {
                return "JDK HttpClient";
            }
            if (name.startsWith("sun.nio.") || name.startsWith("java.nio.") || name.startsWith("sun.net.")) {
                return "JDK NIO";
            }
            if (name.startsWith("java.util.concurrent.")) {
                return "JDK java.util.concurrent";
            }
            return "JDK other";
        }

        static void table(StringBuilder out, Map<String, Integer> counts, int total, int limit) {
            out.append("| samples | % | where |\n|---:|---:|---|\n");
            counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                    .forEach(e -> out.append("| ").append(e.getValue()).append(" | ")
                            .append(String.format(Locale.ROOT, "%.1f", 100.0 * e.getValue() / Math.max(1, total)))
                            .append(" | `").append(e.getKey()).append("` |\n"));
        }
    }

    // ------------------------------------------------------------------------------------------------ report

    /**
     * The markdown report: one table with every measure per hop and the ratios, the targets met or missed, the
     * plot's data, the JFR summaries; the hand-written analysis of an earlier report is kept.
     */
    static final class Report {
        static final String[] TARGETS = {"direct", "nginx", "camel-taas", "portkey"};
        static final String ANALYSIS_START = "<!-- analysis:start -->";
        static final String ANALYSIS_END = "<!-- analysis:end -->";

        static void run(Options options) throws Exception {
            List<Map<String, String>> rows = readResults(Path.of(options.get("results")));
            StringBuilder md = new StringBuilder();
            md.append("# camel-taas against nginx and Portkey: gateway benchmark\n\n");
            md.append("Generated by `").append(options.get("command", "bench/compare/run.sh"))
                    .append("` (do not edit the generated parts by hand: rerun it; the *Reading* section between the "
                            + "analysis markers is kept across runs).\n\n");
            String machine = options.get("machine", null);
            if (machine != null && Files.exists(Path.of(machine))) {
                md.append(Files.readString(Path.of(machine))).append('\n');
            }
            md.append("## Results\n\n");
            md.append("| Measure | direct upstream | nginx proxy | camel-taas | Portkey | camel-taas / nginx proxy | camel-taas / Portkey |\n");
            md.append("|---|---:|---:|---:|---:|---:|---:|\n");
            for (String test : List.of("chat-c16", "chat-c64")) {
                String c = test.substring(6);
                rateRow(md, "Chat, non-streaming, " + c + " connections: requests/s", find(rows, "closed", test));
                latencyRow(md, "Chat, " + c + " connections: p50 / p99 latency (ms)", find(rows, "closed", test));
            }
            Map<String, Map<String, String>> embed = find(rows, "closed", "embed-c64");
            rateRow(md, "Embeddings, 64 connections: requests/s (camel-taas: cache hits, `x-cache: hit`; the others pass "
                    + "through to the canned upstream)", embed);
            latencyRow(md, "Embeddings, 64 connections: p50 / p99 latency (ms)", embed);
            Map<String, Map<String, String>> half = findBest(rows, "openloop", "half", "p99_us");
            String rate = half.values().stream().map(r -> r.get("rate")).findFirst().orElse("?");
            openLoopRow(md, "Open loop at " + rate + " requests/s (half of camel-taas's max), 64 connections, the better p99 of 2 runs: p50 / p99 (ms)", half);
            addedRow(md, "Added latency at " + rate + " requests/s: p50 / p99 minus direct's (ms)", half);
            Map<String, Map<String, String>> ttfb = find(rows, "ttfb", "ttfb-c1");
            ttfbRow(md, "Streaming: time to the first SSE byte, sequential, p50 / p99 (ms)", ttfb, false);
            ttfbRow(md, "Streaming: TTFB overhead vs direct, p50 / p99 (ms)", ttfb, true);
            wholeRow(md, "Streaming: whole 22-event stream, p50 (ms)", ttfb);
            integrityRow(md, "Streaming: events per stream; streams whose deltas do not spell the canned answer", ttfb);
            Map<String, Map<String, String>> ttfb8 = find(rows, "ttfb", "ttfb-c8");
            if (!ttfb8.isEmpty()) {
                ttfbRow(md, "Streaming, 8 concurrent: TTFB p50 / p99 (ms)", ttfb8, false);
            }
            Map<String, Map<String, String>> streams = find(rows, "streams", "streams");
            streamsRows(md, streams);
            md.append('\n');
            errorsNote(md, rows);

            Map<String, Map<String, String>> m16 = find(rows, "closed", "chat-c16");
            Map<String, Map<String, String>> m64 = find(rows, "closed", "chat-c64");
            if (m64.containsKey("minimal-route")) {
                md.append("\nDiagnosis, not a hop of the comparison: the same jar with a one-step route (`bench/compare/diagnosis/"
                        + "minimal.camel.yaml`: Netty consumer and binding, the taas producer to the upstream, the reply as text; no "
                        + "token check, rules, catalog routing, metrics or access log) served ")
                        .append(String.format(Locale.ROOT, "%,.0f", num(m16.get("minimal-route"), "rps"))).append(" req/s at 16 connections and ")
                        .append(String.format(Locale.ROOT, "%,.0f", num(m64.get("minimal-route"), "rps"))).append(" at 64 (p50 / p99 ")
                        .append(ms(m64.get("minimal-route").get("p50_us"))).append(" / ").append(ms(m64.get("minimal-route").get("p99_us")))
                        .append(" ms): ").append(String.format(Locale.ROOT, "%.0f %%", 100 * num(m64.get("minimal-route"), "rps") / num(m64.get("nginx"), "rps")))
                        .append(" of the nginx proxy; the gateway's routes keep ")
                        .append(String.format(Locale.ROOT, "%.0f %%", 100 * num(m64.get("camel-taas"), "rps") / num(m64.get("minimal-route"), "rps")))
                        .append(" of that floor.\n");
            }
            if (m64.containsKey("constant-route")) {
                md.append("\nDiagnosis: the same jar with a route that answers a constant chat completion (`bench/compare/diagnosis/"
                        + "constant.camel.yaml`: the Netty consumer and binding only, no upstream call) served ")
                        .append(String.format(Locale.ROOT, "%,.0f", num(m16.get("constant-route"), "rps"))).append(" req/s at 16 connections and ")
                        .append(String.format(Locale.ROOT, "%,.0f", num(m64.get("constant-route"), "rps"))).append(" at 64: ")
                        .append(String.format(Locale.ROOT, "%.0f %%", 100 * num(m64.get("constant-route"), "rps") / num(m64.get("nginx"), "rps")))
                        .append(" of the nginx proxy, which makes an upstream call besides. Camel's HTTP server is not what limits the gateway.\n");
            }
            String warmupFile = options.get("warmup", null);
            if (warmupFile != null && Files.exists(Path.of(warmupFile))) {
                md.append("\nWarm-up slices (req/s, 64 connections): ");
                List<String> parts = new ArrayList<>();
                for (Map<String, String> w : readResults(Path.of(warmupFile))) {
                    parts.add(w.get("target") + " " + w.get("test").replace("warmup-", "") + " #" + w.get("slice") + " " + w.get("rps"));
                }
                md.append(String.join(", ", parts)).append(".\n");
            }
            md.append("\n## Targets\n\n| Target | Measured | Met |\n|---|---|---|\n");
            targets(md, rows, half, ttfb, streams);

            md.append("\n## Latency against load\n\n![p50 and p99 latency against offered load](")
                    .append(options.get("plot-ref", "latency.png")).append(")\n\n");
            md.append("Open-loop sweep (constant arrival rate, latency from each request's scheduled time, 64 connections). "
                    + "Each hop runs at fractions of camel-taas's maximum rate and Portkey also at fractions of its own; a "
                    + "point is only run where the hop sustains it (below 90 % of its closed-loop maximum).\n\n");
            md.append("| Hop | offered req/s | achieved req/s | p50 (ms) | p99 (ms) | p99.9 (ms) | sent >1 ms late | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
            StringBuilder dat = new StringBuilder();
            for (String target : TARGETS) {
                List<Map<String, String>> points = new ArrayList<>();
                for (Map<String, String> row : rows) {
                    if ("openloop".equals(row.get("kind")) && target.equals(row.get("target")) && row.get("test").equals("sweep")) {
                        points.add(row);
                    }
                }
                if (half.containsKey(target)) {
                    points.add(half.get(target));
                }
                points.sort((a, b) -> Double.compare(Double.parseDouble(a.get("rate")), Double.parseDouble(b.get("rate"))));
                dat.append("# ").append(target).append('\n');
                for (Map<String, String> p : points) {
                    md.append("| ").append(target).append(" | ").append(p.get("rate")).append(" | ").append(p.get("achieved"))
                            .append(" | ").append(ms(p.get("p50_us"))).append(" | ").append(ms(p.get("p99_us")))
                            .append(" | ").append(ms(p.get("p999_us"))).append(" | ").append(p.get("late_1ms"))
                            .append(" | ").append(p.get("errors")).append(" |\n");
                    dat.append(p.get("rate")).append(' ').append(p.get("achieved")).append(' ')
                            .append(Double.parseDouble(p.get("p50_us")) / 1000).append(' ')
                            .append(Double.parseDouble(p.get("p99_us")) / 1000).append('\n');
                }
                dat.append("\n\n");
            }
            String datFile = options.get("plot-data", null);
            if (datFile != null) {
                Files.writeString(Path.of(datFile), dat.toString());
            }

            md.append("\n## Raw results\n\nEvery measurement as recorded (`bench/compare/target/results.txt`); "
                    + "latencies in microseconds.\n\n```\n");
            for (String line : Files.readAllLines(Path.of(options.get("results")))) {
                if (line.startsWith("kind=")) {
                    md.append(line).append('\n');
                }
            }
            md.append("```\n");

            String jfr = options.get("jfr", "");
            if (!jfr.isBlank()) {
                md.append("\n## Profile (JFR)\n\nRecorded after the measured runs, under the same loads (JFR `profile` settings, "
                        + "`jcmd <pid> JFR.start` / `JFR.stop` on the running gateway, whose JIT had already met JFR at start-up), "
                        + "summarised by `CompareTool jfrsummary`; the thread table comes from `/proc`.\n");
                for (String f : jfr.split(",")) {
                    Path p = Path.of(f.trim());
                    if (Files.exists(p)) {
                        md.append("\n<details><summary>").append(p.getFileName()).append("</summary>\n\n")
                                .append(Files.readString(p)).append("\n</details>\n");
                    }
                }
            }

            md.append("\n## Reading\n\n");
            String previous = options.get("keep-analysis-from", null);
            String analysis = null;
            if (previous != null && Files.exists(Path.of(previous))) {
                String old = Files.readString(Path.of(previous));
                int a = old.indexOf(ANALYSIS_START);
                int b = old.indexOf(ANALYSIS_END);
                if (a >= 0 && b > a) {
                    analysis = old.substring(a, b + ANALYSIS_END.length());
                }
            }
            md.append(analysis != null ? analysis : ANALYSIS_START + "\n(no analysis written yet for these figures)\n" + ANALYSIS_END)
                    .append('\n');
            Files.writeString(Path.of(options.get("out")), md.toString(), StandardCharsets.UTF_8);
            System.out.println(md);
        }

        static Map<String, Map<String, String>> find(List<Map<String, String>> rows, String kind, String test) {
            Map<String, Map<String, String>> byTarget = new LinkedHashMap<>();
            for (Map<String, String> row : rows) {
                if (kind.equals(row.get("kind")) && test.equals(row.get("test"))) {
                    byTarget.put(row.get("target"), row); // the last one wins
                }
            }
            return byTarget;
        }

        /** Per target, the row of that test with the lowest value of {@code key}. */
        static Map<String, Map<String, String>> findBest(List<Map<String, String>> rows, String kind, String test, String key) {
            Map<String, Map<String, String>> byTarget = new LinkedHashMap<>();
            for (Map<String, String> row : rows) {
                if (kind.equals(row.get("kind")) && test.equals(row.get("test"))) {
                    Map<String, String> best = byTarget.get(row.get("target"));
                    if (best == null || num(row, key) < num(best, key)) {
                        byTarget.put(row.get("target"), row);
                    }
                }
            }
            return byTarget;
        }

        static double num(Map<String, String> row, String key) {
            if (row == null || row.get(key) == null) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(row.get(key));
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }

        static String ms(String micros) {
            if (micros == null) {
                return "n/a";
            }
            double v = Double.parseDouble(micros) / 1000;
            return v < 0 ? "n/a" : fmt(v);
        }

        static String fmt(double v) {
            if (Double.isNaN(v)) {
                return "n/a";
            }
            double a = Math.abs(v);
            return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
        }

        static String ratio(double a, double b) {
            return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f×", a / b);
        }

        static void cells(StringBuilder md, String label, String[] values, String r1, String r2) {
            md.append("| ").append(label);
            for (String v : values) {
                md.append(" | ").append(v);
            }
            md.append(" | ").append(r1).append(" | ").append(r2).append(" |\n");
        }

        static void rateRow(StringBuilder md, String label, Map<String, Map<String, String>> rows) {
            String[] v = new String[TARGETS.length];
            for (int i = 0; i < TARGETS.length; i++) {
                Map<String, String> row = rows.get(TARGETS[i]);
                v[i] = row == null ? "not run" : String.format(Locale.ROOT, "%,.0f", num(row, "rps")) + errorsMark(row);
            }
            double camel = num(rows.get("camel-taas"), "rps");
            cells(md, label, v, ratio(camel, num(rows.get("nginx"), "rps")), ratio(camel, num(rows.get("portkey"), "rps")));
        }

        static String errorsMark(Map<String, String> row) {
            long errors = 0;
            for (String key : List.of("err_connect", "err_read", "err_write", "err_status", "err_timeout", "errors")) {
                if (row.get(key) != null) {
                    errors += Long.parseLong(row.get(key));
                }
            }
            return errors == 0 ? "" : " (" + errors + " errors)";
        }

        static void latencyRow(StringBuilder md, String label, Map<String, Map<String, String>> rows) {
            String[] v = new String[TARGETS.length];
            for (int i = 0; i < TARGETS.length; i++) {
                Map<String, String> row = rows.get(TARGETS[i]);
                v[i] = row == null ? "not run" : ms(row.get("p50_us")) + " / " + ms(row.get("p99_us"));
            }
            Map<String, String> camel = rows.get("camel-taas");
            cells(md, label, v, ratio(num(camel, "p99_us"), num(rows.get("nginx"), "p99_us")) + " (p99)",
                    ratio(num(camel, "p99_us"), num(rows.get("portkey"), "p99_us")) + " (p99)");
        }

        static void openLoopRow(StringBuilder md, String label, Map<String, Map<String, String>> rows) {
            String[] v = new String[TARGETS.length];
            for (int i = 0; i < TARGETS.length; i++) {
                Map<String, String> row = rows.get(TARGETS[i]);
                v[i] = row == null ? "not sustainable" : ms(row.get("p50_us")) + " / " + ms(row.get("p99_us")) + errorsMark(row);
            }
            cells(md, label, v, "", "");
        }

        static void addedRow(StringBuilder md, String label, Map<String, Map<String, String>> rows) {
            Map<String, String> direct = rows.get("direct");
            String[] v = new String[TARGETS.length];
            for (int i = 0; i < TARGETS.length; i++) {
                Map<String, String> row = rows.get(TARGETS[i]);
                v[i] = i == 0 ? "0 (baseline)" : row == null || direct == null ? "n/a"
                        : fmt((num(row, "p50_us") - num(direct, "p50_us")) / 1000) + " / "
                        + fmt((num(row, "p99_us") - num(direct, "p99_us")) / 1000);
            }
            cells(md, label, v, "", "");
        }

        static void ttfbRow(StringBuilder md, String label, Map<String, Map<String, String>> rows, boolean overhead) {
            Map<String, String> direct = rows.get("direct");
            String[] v = new String[TARGETS.length];
            for (int i = 0; i < TARGETS.length; i++) {
                Map<String, String> row = rows.get(TARGETS[i]);
                if (row == null) {
                    v[i] = "not run";
                } else if (!overhead) {
                    v[i] = ms(row.get("p50_us")) + " / " + ms(row.get("p99_us")) + errorsMark(row);
                } else {
                    v[i] = i == 0 ? "0 (baseline)" : fmt((num(row, "p50_us") - num(direct, "p50_us")) / 1000) + " / "
                            + fmt((num(row, "p99_us") - num(direct, "p99_us")) / 1000);
                }
            }
            Map<String, String> camel = rows.get("camel-taas");
            cells(md, label, v, overhead ? "" : ratio(num(camel, "p50_us"), num(rows.get("nginx"), "p50_us")) + " (p50)",
                    overhead ? "" : ratio(num(camel, "p50_us"), num(rows.get("portkey"), "p50_us")) + " (p50)");
        }

        static void wholeRow(StringBuilder md, String label, Map<String, Map<String, String>> rows) {
            String[] v = new String[TARGETS.length];
            for (int i = 0; i < TARGETS.length; i++) {
                Map<String, String> row = rows.get(TARGETS[i]);
                v[i] = row == null ? "not run" : ms(row.get("whole_p50_us"));
            }
            cells(md, label, v, "", "");
        }

        static void integrityRow(StringBuilder md, String label, Map<String, Map<String, String>> rows) {
            String[] v = new String[TARGETS.length];
            for (int i = 0; i < TARGETS.length; i++) {
                Map<String, String> row = rows.get(TARGETS[i]);
                v[i] = row == null ? "not run" : row.get("events_per_stream") + "; " + row.getOrDefault("wrong_text", "?")
                        + " of " + row.get("n");
            }
            cells(md, label, v, "", "");
        }

        static void streamsRows(StringBuilder md, Map<String, Map<String, String>> rows) {
            if (rows.isEmpty()) {
                return;
            }
            String n = rows.values().iterator().next().get("requested");
            String[] open = new String[TARGETS.length];
            String[] rss = new String[TARGETS.length];
            String[] rssPer = new String[TARGETS.length];
            String[] heap = new String[TARGETS.length];
            String[] heapPer = new String[TARGETS.length];
            for (int i = 0; i < TARGETS.length; i++) {
                Map<String, String> row = rows.get(TARGETS[i]);
                if (row == null) {
                    open[i] = rss[i] = rssPer[i] = heap[i] = heapPer[i] = i == 0 ? "(client's own)" : "not run";
                    continue;
                }
                open[i] = row.get("still_open") + " (" + row.get("failed") + " failed, " + row.get("open_seconds") + " s to open)";
                rss[i] = fmt(num(row, "rss_before_kb") / 1024) + " → " + fmt(num(row, "rss_open_kb") / 1024);
                rssPer[i] = fmt(num(row, "rss_per_stream_b") / 1024);
                boolean heapKnown = num(row, "heap_before_kb") >= 0;
                heap[i] = heapKnown ? fmt(num(row, "heap_before_kb") / 1024) + " → " + fmt(num(row, "heap_open_kb") / 1024) : "n/a (not a JVM)";
                heapPer[i] = heapKnown ? fmt(num(row, "heap_per_stream_b") / 1024) : "n/a";
            }
            Map<String, String> camel = rows.get("camel-taas");
            cells(md, n + " open idle streams (slow upstream, one event per 10 s): streams open while measured", open, "", "");
            cells(md, "RSS before → with the streams open (MB)", rss, "", "");
            cells(md, "RSS per open stream (KB)", rssPer, ratio(num(camel, "rss_per_stream_b"), num(rows.get("nginx"), "rss_per_stream_b")),
                    ratio(num(camel, "rss_per_stream_b"), num(rows.get("portkey"), "rss_per_stream_b")));
            cells(md, "Live heap after a full GC, before → with the streams open (MB)", heap, "", "");
            cells(md, "Live heap per open stream (KB)", heapPer, "", "");
        }

        static void errorsNote(StringBuilder md, List<Map<String, String>> rows) {
            List<String> bad = new ArrayList<>();
            for (Map<String, String> row : rows) {
                String mark = errorsMark(row);
                if (!mark.isEmpty()) {
                    bad.add(row.get("kind") + " " + row.get("test") + " " + row.get("target") + mark
                            + (row.get("first_error") == null ? "" : ": " + row.get("first_error")));
                }
            }
            if (bad.isEmpty()) {
                md.append("Every request of every run answered 2xx (wrk's error counters, the tools' status checks).\n");
            } else {
                md.append("Runs with errors (their figures are not comparable):\n\n");
                bad.forEach(b -> md.append("- ").append(b).append('\n'));
            }
        }

        static void targets(StringBuilder md, List<Map<String, String>> rows, Map<String, Map<String, String>> half,
                Map<String, Map<String, String>> ttfb, Map<String, Map<String, String>> streams) {
            for (String test : List.of("chat-c16", "chat-c64")) {
                Map<String, Map<String, String>> r = find(rows, "closed", test);
                double camel = num(r.get("camel-taas"), "rps");
                double nginx = num(r.get("nginx"), "rps");
                double portkey = num(r.get("portkey"), "rps");
                target(md, "Chat requests/s ≥ 50 % of nginx proxy's (" + test.substring(5) + " connections)",
                        String.format(Locale.ROOT, "%.0f %% (%,.0f vs %,.0f; %.0f %% of direct)", 100 * camel / nginx, camel, nginx,
                                100 * camel / num(r.get("direct"), "rps")),
                        camel >= 0.5 * nginx);
                target(md, "Chat requests/s ≥ 5× Portkey's (" + test.substring(5) + " connections)",
                        String.format(Locale.ROOT, "%.1f× (%,.0f vs %,.0f)", camel / portkey, camel, portkey), camel >= 5 * portkey);
            }
            Map<String, String> direct = half.get("direct");
            Map<String, String> camel = half.get("camel-taas");
            if (direct != null && camel != null) {
                double added = (num(camel, "p99_us") - num(direct, "p99_us")) / 1000;
                target(md, "p99 added latency ≤ 2 ms at half of camel-taas's max rate (" + camel.get("rate") + " req/s)",
                        fmt(added) + " ms (p99 " + ms(camel.get("p99_us")) + " vs direct " + ms(direct.get("p99_us")) + " ms)", added <= 2);
            }
            Map<String, String> td = ttfb.get("direct");
            Map<String, String> tc = ttfb.get("camel-taas");
            if (td != null && tc != null) {
                double overhead = (num(tc, "p50_us") - num(td, "p50_us")) / 1000;
                target(md, "Streaming TTFB overhead ≤ 1 ms at p50", fmt(overhead) + " ms (p50 " + ms(tc.get("p50_us"))
                        + " vs direct " + ms(td.get("p50_us")) + " ms)", overhead <= 1);
            }
            Map<String, String> sc = streams.get("camel-taas");
            if (sc != null) {
                double perStream = num(sc, "heap_per_stream_b") / 1024;
                target(md, "Heap ≤ 100 KB per open idle stream", fmt(perStream) + " KB (" + sc.get("still_open")
                        + " streams open)", perStream <= 100 && num(sc, "still_open") > 0);
            }
        }

        static void target(StringBuilder md, String what, String measured, boolean met) {
            md.append("| ").append(what).append(" | ").append(measured).append(" | ").append(met ? "**met**" : "**missed**").append(" |\n");
        }
    }

    /** Parses the results file; the markdown itself is assembled in {@link Report}. */
    static List<Map<String, String>> readResults(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.startsWith("kind=")) {
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (String pair : line.trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    row.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            rows.add(row);
        }
        return rows;
    }

}
