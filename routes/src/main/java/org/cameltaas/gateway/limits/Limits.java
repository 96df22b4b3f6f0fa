package org.cameltaas.gateway.limits;

/**
 * A token's rate limits: requests per minute, tokens per minute, requests in flight at once. {@code null} means
 * no limit of that kind (the tenancy store fills it from the project's default before handing it over).
 */
public record Limits(Integer rpm, Integer tpm, Integer maxConcurrent) {

    public static final Limits NONE = new Limits(null, null, null);

    public Limits {
        positive("rpm", rpm);
        positive("tpm", tpm);
        positive("max_concurrent", maxConcurrent);
    }

    /** These limits, with each one left unset taken from {@code defaults} (a token's own over its project's). */
    public Limits orElse(Limits defaults) {
        if (defaults == null) {
            return this;
        }
        return new Limits(rpm != null ? rpm : defaults.rpm, tpm != null ? tpm : defaults.tpm,
                maxConcurrent != null ? maxConcurrent : defaults.maxConcurrent);
    }

    public boolean none() {
        return rpm == null && tpm == null && maxConcurrent == null;
    }

    private static void positive(String name, Integer value) {
        if (value != null && value <= 0) {
            throw new IllegalArgumentException(name + " must be a positive number (leave it out for no limit), not " + value);
        }
    }
}
