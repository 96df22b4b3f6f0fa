package org.cameltaas.tenancy;

/** A token just created or rotated, with its secret: the only moment the secret exists outside the caller. */
public record IssuedToken(Token token, String secret) {
}
