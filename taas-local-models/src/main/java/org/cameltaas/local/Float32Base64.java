package org.cameltaas.local;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * The {@code encoding_format: base64} form of a vector: its float32 values, little-endian, in Base64, as OpenAI
 * sends them (the SDKs decode it with {@code numpy.frombuffer(..., dtype="float32")}). A quarter of the size of the
 * JSON numbers, and exact.
 */
final class Float32Base64 {

    private Float32Base64() {
    }

    static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    static float[] decode(String base64) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(vector);
        return vector;
    }
}
