package dev.tasks.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which Host values are a host and port (RFC 9112, section 3.2), with and without the fast path. An empty
 * port is RFC 3986's, the default one.
 */
class HttpEdgeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "localhost               | true",
            "localhost:8080          | true",
            "127.0.0.1:80            | true",
            "tasks.example.com       | true",
            "[::1]:8080              | true",
            "[2001:db8::7]           | true",
            "xn--bcher-kva.example   | true",
            "''                      | false",
            "[zz]:80                 | false",
            "[1::2::3]               | false",
            "[v1.x]                  | false",
            "x:abc                   | false",
            "x:123456                | false",
            "x:                      | true",
            ":80                     | false",
            "a b                     | false",
            "user@host               | false",
            "host/path               | false" })
    void aHostIsAHostAndAnOptionalPort(String host, boolean valid) {
        assertEquals(valid, HttpEdge.isAuthority(host), host);
    }
}
