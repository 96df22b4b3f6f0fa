package org.cameltaas.tenancy;

import java.time.Instant;

/** A token with what authenticates it: the hash of its secret and, after a rotation, the old one until a time. */
public record TokenEntry(Token token, String hash, String previousHash, Instant previousValidUntil) {
}
