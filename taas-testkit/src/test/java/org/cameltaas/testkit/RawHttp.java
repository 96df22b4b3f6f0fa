package org.cameltaas.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Plain-socket HTTP/1.1, for asserting on exact bytes: chunk framing, missing terminators, pipelining. */
final class RawHttp {

    private RawHttp() {
    }

    static String post(int port, String path, String json, boolean keepAlive) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n" + json;
    }

    /** Sends the requests in one write and returns everything read until the server closes (5 s at most). */
    static String exchange(int port, String... requests) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(String.join("", requests).getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readToEnd(socket.getInputStream());
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            all.write(buffer, 0, n);
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }
}
