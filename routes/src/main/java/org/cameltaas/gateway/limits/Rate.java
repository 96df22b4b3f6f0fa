package org.cameltaas.gateway.limits;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** So many units (requests or tokens) per period, e.g. {@code 5000/10m}. */
public record Rate(long amount, Duration period) {

    private static final Pattern SPEC = Pattern.compile("\\s*(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h|d)\\s*");

    public Rate {
        if (amount <= 0 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate needs a positive amount and period, not " + amount + "/" + period);
        }
    }

    public static Rate perMinute(long amount) {
        return new Rate(amount, Duration.ofMinutes(1));
    }

    /** {@code <amount>/<period>}: {@code 5000/10m}, {@code 100/1s}, {@code 60/m}; periods in ms, s, m, h or d. */
    public static Rate parse(String spec) {
        Matcher m = SPEC.matcher(spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("a rate is <amount>/<period> such as 5000/10m, not " + spec);
        }
        long n = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration unit = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(1);
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        return new Rate(Long.parseLong(m.group(1)), unit.multipliedBy(n));
    }

    /** A key part naming this rate, so a changed limit starts a bucket of its own. */
    String keyPart() {
        return amount + "per" + period.toMillis();
    }
}
