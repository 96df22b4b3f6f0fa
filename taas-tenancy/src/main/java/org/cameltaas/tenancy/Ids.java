package org.cameltaas.tenancy;

import java.security.SecureRandom;

/**
 * Object ids such as {@code team_0195f3a2b4c10003k7d9x2}: the creation time in milliseconds (12 hex digits), a
 * counter within the millisecond (4 hex digits), then random characters, so ids sort by creation and a list pages
 * with {@code WHERE id > after ORDER BY id}.
 */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static long lastMillis;
    private static int counter;

    private Ids() {
    }

    static String next(String prefix) {
        long millis;
        int sequence;
        synchronized (Ids.class) {
            millis = Math.max(System.currentTimeMillis(), lastMillis);
            if (millis == lastMillis) {
                counter++;
                if (counter > 0xffff) {
                    millis++;
                    counter = 0;
                }
            } else {
                counter = 0;
            }
            lastMillis = millis;
            sequence = counter;
        }
        StringBuilder id = new StringBuilder(prefix).append('_');
        id.append(String.format("%012x%04x", millis, sequence));
        for (int i = 0; i < 8; i++) {
            id.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
        }
        return id.toString();
    }
}
