package org.cameltaas.testkit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;

/** Deterministic unit-length embedding vectors: the same text always maps to the same vector. */
final class FakeVectors {

    static final int DEFAULT_DIMENSIONS = 8;

    private FakeVectors() {
    }

    static float[] vector(String text, int dimensions) {
        SplittableRandom random = new SplittableRandom(fnv1a64(text));
        double[] raw = new double[Math.max(1, dimensions)];
        double norm = 0;
        for (int i = 0; i < raw.length; i++) {
            raw[i] = random.nextDouble() * 2 - 1;
            norm += raw[i] * raw[i];
        }
        norm = Math.sqrt(norm);
        float[] vector = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            vector[i] = (float) (raw[i] / norm);
        }
        return vector;
    }

    /** The base64 of little-endian float32s, as OpenAI's encoding_format "base64" returns. */
    static String base64(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            buffer.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    // a stable hash that does not depend on String.hashCode's 32 bits
    private static long fnv1a64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
