package dev.triagerules.policy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in policy and on the command line: {@code 500ms},
 * {@code 90s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT10M}).
 */
public final class DurationText {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    private DurationText() {
    }

    /** The duration, or an IllegalArgumentException whose message says what is accepted. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration" + EXPECTED);
        }
        String trimmed = text.strip();
        Matcher m = SHORT.matcher(trimmed.toLowerCase(Locale.ROOT));
        Duration duration;
        if (m.matches()) {
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration \"" + text + "\" is too long");
            }
            duration = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } else {
            try {
                duration = Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("\"" + text + "\" is not a duration" + EXPECTED);
            }
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration \"" + text + "\" must be more than zero");
        }
        try {
            duration.toNanos(); // what a timeout is waited for in
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration \"" + text + "\" is too long (at most 292 years)");
        }
        return duration;
    }

    /** Short form for messages: {@code 10m}, {@code 90s}, {@code 1500ms}. */
    public static String format(Duration duration) {
        long ms = duration.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static final String EXPECTED = " (expected e.g. 500ms, 90s, 10m, 1h or ISO-8601 PT10M)";
}
