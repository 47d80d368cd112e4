package io.routemq.queue;

import java.nio.charset.StandardCharsets;

/** Deterministic test payloads whose content encodes their index, so garbage is recognisable. */
final class Payloads {
    private Payloads() {
    }

    static byte[] of(long index) {
        String head = "rec-" + index + ":";
        int len = (int) (head.length() + 10 + (index * 7919 % 150));
        byte[] b = new byte[len];
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(h, 0, b, 0, h.length);
        for (int i = h.length; i < len; i++) {
            b[i] = (byte) ('a' + (index + i) % 26);
        }
        return b;
    }

    /** @return the index a payload encodes, or -1 if it is not a valid payload */
    static long indexOf(byte[] payload) {
        String s = new String(payload, 0, Math.min(payload.length, 32), StandardCharsets.US_ASCII);
        if (!s.startsWith("rec-") || s.indexOf(':') < 0) {
            return -1;
        }
        try {
            long index = Long.parseLong(s.substring(4, s.indexOf(':')));
            return java.util.Arrays.equals(of(index), payload) ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
