package io.mehery.gateway.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A bound on a channel's provider calls: at most {@code calls} in each window of {@code per} (a second, a minute). */
public record ProviderRate(int calls, Duration per) {

    /** The value of {@code max-rate} that sets no bound, over a type's default. */
    public static final String NONE = "none";
    private static final Pattern FORM = Pattern.compile("([1-9][0-9]{0,6})/([sm])");

    public static boolean isValid(String text) {
        return NONE.equals(text) || FORM.matcher(text).matches();
    }

    public static ProviderRate parse(String text) {
        Matcher form = FORM.matcher(text);
        if (!form.matches()) {
            throw new IllegalArgumentException("a max-rate is calls per second or minute, as 80/s or 600/m: " + text);
        }
        return new ProviderRate(Integer.parseInt(form.group(1)),
                form.group(2).equals("s") ? Duration.ofSeconds(1) : Duration.ofMinutes(1));
    }
}
