package dev.tasks.health;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PL/pgSQL function as one {@code db/functions/*.sql} file declares it: name, argument count and the
 * body between the dollar quotes, which PostgreSQL keeps verbatim in {@code pg_proc.prosrc}.
 *
 * @param path the classpath resource the function came from
 * @param name the function name, without schema
 * @param arguments the number of input arguments ({@code pg_proc.pronargs})
 * @param bodyMd5 hex MD5 of the body, comparable with {@code md5(prosrc)}
 */
record FunctionFile(String path, String name, int arguments, String bodyMd5) {

    private static final Pattern HEAD = Pattern.compile(
            "CREATE\\s+(?:OR\\s+REPLACE\\s+)?FUNCTION\\s+(?:(?:\"[^\"]+\"|[\\w$]+)\\.)?(\"[^\"]+\"|[\\w$]+)\\s*\\(",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BODY_START = Pattern.compile("\\bAS\\s+(\\$[A-Za-z_0-9]*\\$)", Pattern.CASE_INSENSITIVE);

    /** The display form used in health data, e.g. {@code set_field_times/0}. */
    String signature() {
        return name + "/" + arguments;
    }

    /**
     * Reads the single function a file declares.
     *
     * @throws IllegalArgumentException when the file holds no function, more than one, or no dollar-quoted body
     */
    static FunctionFile parse(String path, String sql) {
        Matcher head = HEAD.matcher(sql);
        List<Integer> starts = new ArrayList<>();
        while (head.find()) {
            if (!inLineComment(sql, head.start())) {
                starts.add(head.start());
            }
        }
        if (starts.size() != 1) {
            throw new IllegalArgumentException(path + " declares " + starts.size() + " functions, expected exactly one");
        }
        Matcher found = HEAD.matcher(sql);
        found.find(starts.get(0));
        String name = unquote(found.group(1));
        int open = found.end() - 1;
        int close = closingParenthesis(sql, open, path);
        int arguments = countInputArguments(sql.substring(open + 1, close));

        Matcher start = BODY_START.matcher(sql);
        if (!start.find(close)) {
            throw new IllegalArgumentException(path + ": no AS $$ ... $$ body after " + name);
        }
        String tag = start.group(1);
        int bodyStart = start.end();
        int bodyEnd = sql.indexOf(tag, bodyStart);
        if (bodyEnd < 0) {
            throw new IllegalArgumentException(path + ": body of " + name + " is not closed by " + tag);
        }
        return new FunctionFile(path, name, arguments, md5(sql.substring(bodyStart, bodyEnd)));
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean inLineComment(String sql, int index) {
        int lineStart = sql.lastIndexOf('\n', index - 1) + 1;
        return sql.substring(lineStart, index).contains("--");
    }

    private static int closingParenthesis(String sql, int open, String path) {
        int depth = 0;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException(path + ": unbalanced parentheses in the argument list");
    }

    /** Arguments other than OUT ones, as pg_proc.pronargs counts them; commas inside types do not split. */
    private static int countInputArguments(String list) {
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (char c : list.toCharArray()) {
            if (c == ',' && depth == 0) {
                arguments.add(current.toString());
                current.setLength(0);
                continue;
            }
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            current.append(c);
        }
        arguments.add(current.toString());
        return (int) arguments.stream()
                .map(a -> a.strip().toUpperCase(Locale.ROOT))
                .filter(a -> !a.isEmpty())
                .filter(a -> !a.startsWith("OUT ") && !a.equals("OUT"))
                .count();
    }

    private static String unquote(String identifier) {
        return identifier.startsWith("\"") ? identifier.substring(1, identifier.length() - 1)
                : identifier.toLowerCase(Locale.ROOT);
    }
}
