package io.mehery.gateway.tap;

import java.util.LinkedHashMap;
import java.util.Map;

/** An event's data: its named values in order, those that are null left out. */
public final class TapData {

    private TapData() {
    }

    public static Map<String, Object> of(Object... namesAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                data.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return data;
    }
}
