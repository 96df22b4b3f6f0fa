package org.cameltaas.gateway.files;

import java.util.regex.Pattern;

/** What a file id may look like: ours are {@code file-} and lower-case hex and letters; anything else is refused early. */
final class FileIds {

    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private FileIds() {
    }

    static boolean wellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }
}
