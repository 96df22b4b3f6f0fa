package org.cameltaas.component.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A {@code multipart/form-data} body (audio and image uploads): built from fields, or parsed from a client's bytes
 * so a field such as {@code model} can be read or replaced before it travels on.
 */
public final class MultipartForm {

    /** One part: a plain field when {@code filename} is null, else a file. */
    public record Part(String name, String filename, String contentType, byte[] content) {
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final List<Part> parts = new ArrayList<>();

    public MultipartForm field(String name, String value) {
        parts.removeIf(p -> p.name().equals(name) && p.filename() == null);
        parts.add(new Part(name, null, null, value.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    public MultipartForm file(String name, String filename, String contentType, byte[] content) {
        parts.add(new Part(name, filename, contentType, content));
        return this;
    }

    public List<Part> parts() {
        return parts;
    }

    /** The value of a plain field, or null. */
    public String value(String name) {
        for (Part p : parts) {
            if (p.name().equals(name) && p.filename() == null) {
                return p.text();
            }
        }
        return null;
    }

    public boolean hasFile(String name) {
        return parts.stream().anyMatch(p -> p.name().equals(name) && p.filename() != null);
    }

    /** Writes the form with a fresh boundary. */
    public Encoded encode() {
        String boundary = "taas-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Part p : parts) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(escape(p.name())).append('"');
            if (p.filename() != null) {
                head.append("; filename=\"").append(escape(p.filename())).append('"');
            }
            head.append("\r\n");
            if (p.contentType() != null) {
                head.append("Content-Type: ").append(p.contentType()).append("\r\n");
            }
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            out.writeBytes(p.content());
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return new Encoded("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    /** An encoded body and the content type that names its boundary. */
    public record Encoded(String contentType, byte[] body) {
    }

    /** The boundary named by a {@code multipart/form-data} content type, or null. */
    public static String boundaryOf(String contentType) {
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase().startsWith("boundary=")) {
                String b = p.substring("boundary=".length());
                return b.startsWith("\"") && b.endsWith("\"") && b.length() > 1 ? b.substring(1, b.length() - 1) : b;
            }
        }
        return null;
    }

    /** Parses a body; throws IllegalArgumentException when it is not valid multipart for that boundary. */
    public static MultipartForm parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        MultipartForm form = new MultipartForm();
        int pos = indexOf(body, delimiter, 0);
        if (pos < 0) {
            throw new IllegalArgumentException("multipart body has no boundary " + boundary);
        }
        while (true) {
            int afterDelimiter = pos + delimiter.length;
            if (afterDelimiter + 1 < body.length && body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
                return form; // closing delimiter
            }
            int headersStart = skipCrlf(body, afterDelimiter);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), headersStart);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("multipart part without headers");
            }
            int next = indexOf(body, delimiter, headersEnd + 4);
            if (next < 0) {
                throw new IllegalArgumentException("multipart body is not terminated");
            }
            int contentEnd = next - 2 >= headersEnd + 4 && body[next - 2] == '\r' && body[next - 1] == '\n' ? next - 2 : next;
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            form.parts.add(part(headers, Arrays.copyOfRange(body, headersEnd + 4, contentEnd)));
            pos = next;
        }
    }

    private static Part part(String headers, byte[] content) {
        String name = null;
        String filename = null;
        String contentType = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String header = line.substring(0, colon).trim().toLowerCase();
            String value = line.substring(colon + 1).trim();
            if (header.equals("content-disposition")) {
                name = dispositionParam(value, "name");
                filename = dispositionParam(value, "filename");
            } else if (header.equals("content-type")) {
                contentType = value;
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("multipart part without a name");
        }
        return new Part(name, filename, contentType, content);
    }

    private static String dispositionParam(String disposition, String param) {
        for (String piece : disposition.split(";")) {
            String p = piece.trim();
            if (p.startsWith(param + "=")) {
                String v = p.substring(param.length() + 1);
                return v.startsWith("\"") && v.endsWith("\"") && v.length() > 1 ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    private static int skipCrlf(byte[] body, int pos) {
        return pos + 1 < body.length && body[pos] == '\r' && body[pos + 1] == '\n' ? pos + 2 : pos;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(from, 0); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String escape(String s) {
        return s.replace("\"", "%22").replace("\r", "").replace("\n", "");
    }
}
