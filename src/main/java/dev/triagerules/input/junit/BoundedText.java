package dev.triagerules.input.junit;

import dev.triagerules.input.junit.TestCaseResult.Text;

/** Collects the head of a text of any length: the first {@link JunitXmlReader#MAX_TEXT_CHARS} chars, and the count. */
final class BoundedText {
    private final StringBuilder head = new StringBuilder();
    private long length;

    void append(char[] chars, int start, int count) {
        int room = JunitXmlReader.MAX_TEXT_CHARS - head.length();
        if (room > 0) {
            head.append(chars, start, Math.min(room, count));
        }
        length += count;
    }

    long length() {
        return length;
    }

    Text build() {
        return length == 0 ? Text.EMPTY : new Text(head.toString(), length);
    }
}
