package org.cameltaas.gateway.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code Content-Disposition: attachment} for a client-chosen filename: quoted safely, and in RFC 5987 form when not ASCII. */
final class ContentDisposition {

    private ContentDisposition() {
    }

    static String attachment(String filename) {
        StringBuilder ascii = new StringBuilder();
        boolean plain = true;
        for (int i = 0; i < filename.length(); i++) {
            char c = filename.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                ascii.append('_');
                plain &= c >= 0x20 && c < 0x7f;
            } else {
                ascii.append(c);
            }
        }
        String header = "attachment; filename=\"" + ascii + "\"";
        if (!plain) {
            header += "; filename*=UTF-8''" + URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
        }
        return header;
    }
}
