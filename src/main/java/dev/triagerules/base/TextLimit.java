package dev.triagerules.base;

/**
 * Text cut to a number of chars without splitting a character: a cut between the two
 * halves of a surrogate pair (an emoji) left a lone surrogate, which the report's JSON
 * then carried as an escape no strict reader accepts (upstream's serde_json refuses it),
 * and which other writers showed as '?'.
 */
public final class TextLimit {
    private TextLimit() {
    }

    /** The first {@code maxChars} chars of {@code text}, one fewer when the last would be half a pair. */
    public static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars;
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) && Character.isLowSurrogate(text.charAt(end))) {
            end--;
        }
        return text.substring(0, end);
    }
}
