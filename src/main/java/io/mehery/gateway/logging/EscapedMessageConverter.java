package io.mehery.gateway.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The log line's message ({@code %m}, {@code %msg}, {@code %message}) with its control characters escaped. Spring
 * Boot's start-up failure report is the one message written on several lines on purpose (and it holds no value a
 * caller sent): it keeps its line breaks.
 */
public class EscapedMessageConverter extends MessageConverter {

    private static final String FAILURE_REPORTS = "org.springframework.boot.diagnostics";

    @Override
    public String convert(ILoggingEvent event) {
        String message = super.convert(event);
        return event.getLoggerName().startsWith(FAILURE_REPORTS) ? message : LogEscaping.escape(message);
    }
}
