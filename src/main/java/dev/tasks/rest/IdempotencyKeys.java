package dev.tasks.rest;

import java.util.List;
import java.util.regex.Pattern;

import dev.tasks.service.InvalidParameterException;

/**
 * Reads the {@code Idempotency-Key} request header. The draft defines it as a Structured Field String
 * (RFC 8941, a quoted string: {@code "8e03978e-40d5-43e8-bc93-6894a57f9324"}); many clients send the
 * bare value, so an unquoted value of token characters is accepted as the same key. Either way the key
 * is 1 to 255 characters; anything else is a 400.
 */
final class IdempotencyKeys {

    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    // tchar of RFC 9110 plus ":" and "/" (as sf-token allows) and "=" and "@", so base64 and URNs pass.
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~:/=@-]+");

    private IdempotencyKeys() {
    }

    /** The key, or null when the request has none. */
    static String parse(List<String> headerValues) {
        if (headerValues == null || headerValues.isEmpty()) {
            return null;
        }
        if (headerValues.size() > 1) {
            throw invalid("must be sent once");
        }
        // Optional whitespace around a field value is not part of it (RFC 9110, RFC 8941 parsing).
        String value = headerValues.get(0).strip();
        String key = value.startsWith("\"") ? unquote(value) : bare(value);
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw invalid("must be 1 to " + MAX_LENGTH + " characters");
        }
        return key;
    }

    private static String bare(String value) {
        if (!BARE.matcher(value).matches()) {
            throw invalid("must be a quoted string (\"...\") or a bare value of letters, digits and !#$%&'*+-.^_`|~:/=@");
        }
        return value;
    }

    /** An sf-string: printable ASCII, with {@code \"} and {@code \\} as the only escapes, and nothing after it. */
    private static String unquote(String value) {
        StringBuilder key = new StringBuilder(value.length());
        for (int i = 1; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                if (i + 1 == value.length() || (value.charAt(i + 1) != '"' && value.charAt(i + 1) != '\\')) {
                    throw invalid("is not a valid quoted string: only \\\" and \\\\ may be escaped");
                }
                key.append(value.charAt(++i));
            } else if (c == '"') {
                if (i + 1 != value.length()) {
                    throw invalid("must be a single quoted string, without parameters");
                }
                return key.toString();
            } else if (c < 0x20 || c > 0x7E) {
                throw invalid("must hold printable ASCII characters only");
            } else {
                key.append(c);
            }
        }
        throw invalid("is not a valid quoted string: the closing quote is missing");
    }

    private static InvalidParameterException invalid(String message) {
        return new InvalidParameterException(HEADER, message);
    }
}
