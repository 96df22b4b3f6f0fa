package org.cameltaas.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Tiny but valid media files, generated so no binary fixtures are needed. */
final class FakeMedia {

    static final int WAV_SAMPLE_RATE = 24_000;
    private static final int SAMPLES_PER_CHAR = 240; // 10 ms of tone per character
    private static final int MAX_SAMPLES = WAV_SAMPLE_RATE; // at most one second
    private static final int MP3_FRAME_BYTES = 417; // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding

    private static final byte[] PNG = png(0x33, 0x99, 0xff);

    private FakeMedia() {
    }

    /** 16-bit mono PCM WAV: one short tone per character of the text. */
    static byte[] wav(String text) {
        int samples = Math.min(MAX_SAMPLES, Math.max(1, text.length()) * SAMPLES_PER_CHAR);
        int dataBytes = samples * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(WAV_SAMPLE_RATE).putInt(WAV_SAMPLE_RATE * 2).putShort((short) 2).putShort((short) 16);
        b.put(ascii("data")).putInt(dataBytes);
        for (int i = 0; i < samples; i++) {
            char c = text.isEmpty() ? 'a' : text.charAt(Math.min(text.length() - 1, i / SAMPLES_PER_CHAR));
            double frequency = 200 + (c % 64) * 10;
            b.putShort((short) (Math.sin(2 * Math.PI * frequency * i / WAV_SAMPLE_RATE) * 8000));
        }
        return b.array();
    }

    /** MP3-looking bytes: one frame (header 0xFF 0xFB 0x90 0x64) per word, payload derived from the text. */
    static byte[] mp3(String text) {
        int frames = Math.max(1, Words.count(text));
        byte[] seed = text.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[frames * MP3_FRAME_BYTES];
        for (int f = 0; f < frames; f++) {
            int at = f * MP3_FRAME_BYTES;
            out[at] = (byte) 0xFF;
            out[at + 1] = (byte) 0xFB;
            out[at + 2] = (byte) 0x90;
            out[at + 3] = (byte) 0x64;
            for (int i = 4; i < MP3_FRAME_BYTES; i++) {
                out[at + i] = seed.length == 0 ? 0 : seed[(f + i) % seed.length];
            }
        }
        return out;
    }

    /** A 1x1 PNG. */
    static byte[] png() {
        return PNG.clone();
    }

    private static byte[] png(int r, int g, int b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer header = ByteBuffer.allocate(13).putInt(1).putInt(1)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0); // 8-bit RGB
        chunk(out, "IHDR", header.array());
        chunk(out, "IDAT", deflate(new byte[] {0, (byte) r, (byte) g, (byte) b})); // filter byte + one pixel
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(ascii(type));
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(ascii(type));
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] deflate(byte[] raw) {
        Deflater deflater = new Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] buffer = new byte[64];
        int n = deflater.deflate(buffer);
        deflater.end();
        byte[] out = new byte[n];
        System.arraycopy(buffer, 0, out, 0, n);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
