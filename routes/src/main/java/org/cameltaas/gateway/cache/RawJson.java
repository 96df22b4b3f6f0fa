package org.cameltaas.gateway.cache;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * A JSON value kept as its UTF-8 bytes and written out as they are. A cache hit puts the stored embedding into the
 * reply this way: parsing 1,536 numbers into a tree and printing them again was most of a hit's cost.
 */
final class RawJson implements SerializableString {

    private final byte[] utf8;

    private RawJson(byte[] utf8) {
        this.utf8 = utf8;
    }

    /** A tree node that serializes as these bytes; the bytes must be one valid JSON value and are not copied. */
    static RawValue node(byte[] utf8) {
        return new RawValue(new RawJson(utf8));
    }

    @Override
    public String getValue() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
        return JsonStringEncoder.getInstance().quoteAsString(getValue());
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return utf8;
    }

    @Override
    public byte[] asQuotedUTF8() {
        return JsonStringEncoder.getInstance().quoteAsUTF8(getValue());
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return copy(asQuotedUTF8(), buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return copy(asQuotedChars(), buffer, offset);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        return copy(utf8, buffer, offset);
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        return copy(getValue().toCharArray(), buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        byte[] quoted = asQuotedUTF8();
        out.write(quoted);
        return quoted.length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8);
        return utf8.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        return put(asQuotedUTF8(), buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        return put(utf8, buffer);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RawJson that && Arrays.equals(utf8, that.utf8);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(utf8);
    }

    @Override
    public String toString() {
        return getValue();
    }

    /** Jackson's contract: the length copied, or -1 when it does not fit. */
    private static int copy(byte[] from, byte[] to, int offset) {
        if (offset + from.length > to.length) {
            return -1;
        }
        System.arraycopy(from, 0, to, offset, from.length);
        return from.length;
    }

    private static int copy(char[] from, char[] to, int offset) {
        if (offset + from.length > to.length) {
            return -1;
        }
        System.arraycopy(from, 0, to, offset, from.length);
        return from.length;
    }

    private static int put(byte[] from, ByteBuffer to) {
        if (from.length > to.remaining()) {
            return -1;
        }
        to.put(from);
        return from.length;
    }
}
