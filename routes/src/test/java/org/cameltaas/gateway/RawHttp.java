package org.cameltaas.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.x client over one loopback socket, for what real clients never send: partial requests, pipelining,
 * bad bytes. Every read is bounded by the socket's time-out.
 */
final class RawHttp implements AutoCloseable {

    /** One reply as it came off the wire. */
    record Reply(String statusLine, int status, Map<String, String> headers, byte[] body, boolean chunked) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port, int readTimeoutMillis) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(readTimeoutMillis);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one reply; {@code headOnly} for a reply to HEAD (its Content-Length describes no body). */
    Reply read(boolean headOnly) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a reply");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headOnly || status == 100 || status == 204 || status == 304) {
            return new Reply(statusLine, status, headers, body.toByteArray(), chunked);
        }
        if (chunked) {
            for (int guard = 0; guard < 1_000_000; guard++) {
                int size = Integer.parseInt(line().split(";")[0].trim(), 16);
                if (size == 0) {
                    line();
                    break;
                }
                body.write(in.readNBytes(size));
                line();
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else {
            body.write(in.readAllBytes()); // until the close
        }
        return new Reply(statusLine, status, headers, body.toByteArray(), chunked);
    }

    Reply read() throws IOException {
        return read(false);
    }

    /** Whether the server closed the connection (reads end) within the socket's time-out. */
    boolean closedByServer() throws IOException {
        try {
            for (int i = 0; i < 1_000_000; i++) {
                if (in.read() < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i < 65_536; i++) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        throw new IOException("line too long");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
