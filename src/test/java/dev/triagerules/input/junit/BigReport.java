package dev.triagerules.input.junit;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

/**
 * Reads a JUnit report of about {@code args[0]} MiB made on the fly (many failing test
 * cases with stack traces in CDATA, and one with an output of a third of the size) and
 * prints how many test cases and failures it saw. Run in a JVM with a small heap to show
 * the reader holds no document.
 */
public final class BigReport {
    private BigReport() {
    }

    public static void main(String[] args) {
        long mib = Long.parseLong(args[0]);
        long caseBytes = mib * (1L << 20) * 2 / 3;
        String oneCase = "<testcase classname=\"demo.Big\" name=\"t\"><failure type=\"java.lang.AssertionError\""
                + " message=\"expected 1\"><![CDATA[" + "at demo.Big.t(Big.java:1)\n".repeat(80)
                + "]]></failure></testcase>\n";
        long cases = caseBytes / oneCase.length();
        InputStream in = new SequenceInputStream(new Enumeration<InputStream>() {
            int part;

            @Override
            public boolean hasMoreElements() {
                return part < 5;
            }

            @Override
            public InputStream nextElement() {
                return switch (part++) {
                    case 0 -> bytes("<testsuites><testsuite name=\"big\">");
                    case 1 -> repeated(oneCase, cases);
                    case 2 -> bytes("<testcase name=\"noisy\"><system-out><![CDATA[");
                    case 3 -> repeated("log line of a chatty test\n", mib * (1L << 20) / 3 / 26);
                    default -> bytes("]]></system-out></testcase></testsuite></testsuites>");
                };
            }
        });
        long[] failures = new long[1];
        long read = new JunitXmlReader("big.xml", in).read(c -> {
            if (c.failed()) {
                failures[0]++;
            }
        });
        System.out.println(read + " test cases, " + failures[0] + " failed, expected " + (cases + 1) + " and "
                + cases);
    }

    private static InputStream bytes(String text) {
        return new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} {@code times} times, made as it is read. */
    private static InputStream repeated(String text, long times) {
        byte[] unit = text.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            long left = times;
            int at;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = 0;
                while (n < len && left > 0) {
                    int chunk = Math.min(len - n, unit.length - at);
                    System.arraycopy(unit, at, b, off + n, chunk);
                    n += chunk;
                    at += chunk;
                    if (at == unit.length) {
                        at = 0;
                        left--;
                    }
                }
                return n;
            }

            @Override
            public void close() throws IOException {
            }
        };
    }
}
