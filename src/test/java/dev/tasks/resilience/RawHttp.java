package dev.tasks.resilience;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests that ordinary clients refuse to send: invalid UTF-8,
 * no content type, unknown methods, raw path bytes. One request per connection ({@code Connection: close}).
 */
final class RawHttp {

    private static final int MAX_RESPONSE = 1 << 20;

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** A request with a body sized by Content-Length; {@code contentType} null sends no Content-Type. */
    Response send(String method, String target, String contentType, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder()
                .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n")
                .append("Connection: close\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[start.length + (body == null ? 0 : body.length)];
        System.arraycopy(start, 0, request, 0, start.length);
        if (body != null) {
            System.arraycopy(body, 0, request, start.length, body.length);
        }
        return exchange(request);
    }

    /** Sends the bytes as they are and reads the answer to the end of the connection. */
    Response exchange(byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(15_000);
            IOException writeFailure = null;
            try {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before reading all of a body it refuses.
                writeFailure = e;
            }
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            try {
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[8192];
                int n;
                while ((n = in.read(buffer)) >= 0 && received.size() < MAX_RESPONSE) {
                    received.write(buffer, 0, n);
                }
            } catch (IOException e) {
                if (received.size() == 0) {
                    return Response.failed(writeFailure != null ? writeFailure : e);
                }
            }
            return Response.parse(received.toByteArray());
        } catch (IOException e) {
            return Response.failed(e);
        }
    }

    /** What came back; {@code status} is -1 when nothing parseable did. */
    record Response(int status, Map<String, String> headers, String body, String failure) {

        static Response failed(Exception e) {
            return new Response(-1, Map.of(), "", e.toString());
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        static Response parse(byte[] raw) {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.") || end < 0) {
                return new Response(-1, Map.of(), text, "not an HTTP response");
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            byte[] body = java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8), null);
        }

        private static byte[] dechunk(byte[] chunked) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int at = 0;
            while (at < chunked.length) {
                int lineEnd = indexOfCrlf(chunked, at);
                if (lineEnd < 0) {
                    break;
                }
                String sizeText = new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1)
                        .split(";")[0].trim();
                int size = Integer.parseInt(sizeText, 16);
                if (size == 0) {
                    break;
                }
                out.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
                at = lineEnd + 2 + size + 2;
            }
            return out.toByteArray();
        }

        private static int indexOfCrlf(byte[] bytes, int from) {
            for (int i = from; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
