package dev.tasks.service;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A position in the change feed: the transaction id and audit id of the last entry a client has seen.
 * Clients get it as an opaque base64url string and hand it back unchanged.
 */
public record FeedCursor(long txid, long id) implements Comparable<FeedCursor> {

    public static final FeedCursor START = new FeedCursor(0, 0);

    /** As {@link #encode} writes it: decimal numbers without leading zeros, so one position has one cursor. */
    private static final Pattern FORMAT = Pattern.compile("v1:(0|[1-9]\\d{0,17}):(0|[1-9]\\d{0,17})");

    /** Feed order: by transaction id, then by audit id. */
    @Override
    public int compareTo(FeedCursor other) {
        int byTransaction = Long.compare(txid, other.txid);
        return byTransaction != 0 ? byTransaction : Long.compare(id, other.id);
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + txid + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads a cursor a client sent back in {@code after}; null or empty (no cursor) means the start of the feed. */
    public static FeedCursor decode(String text) {
        return decode(text, InvalidCursorException.AFTER);
    }

    /** Reads a cursor a client sent back in {@code field}, which a refusal names. */
    public static FeedCursor decode(String text, String field) {
        if (text == null || text.isEmpty()) {
            return START;
        }
        if (text.length() > 64) {
            throw new InvalidCursorException(field);
        }
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new InvalidCursorException(field);
        }
        Matcher m = FORMAT.matcher(decoded);
        if (!m.matches()) {
            throw new InvalidCursorException(field);
        }
        return new FeedCursor(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }
}
