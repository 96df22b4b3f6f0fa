package org.cameltaas.tenancy;

import java.util.List;

/** One page of a list, as the OpenAI list shape needs it. */
public record Page<T>(List<T> data, boolean hasMore) {
}
