package org.cameltaas.tenancy;

import java.util.List;

final class Pages {

    private Pages() {
    }

    /** Lists are read with one row more than the limit: its presence is {@code has_more}. */
    static <T> Page<T> of(List<T> rows, int limit) {
        boolean more = rows.size() > limit;
        return new Page<>(more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows), more);
    }
}
