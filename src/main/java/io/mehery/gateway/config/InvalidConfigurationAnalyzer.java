package io.mehery.gateway.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints a refused configuration as Spring Boot prints its own: what is wrong and what to do, no stack trace. */
public class InvalidConfigurationAnalyzer extends AbstractFailureAnalyzer<InvalidConfiguration> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfiguration cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct the mehery.* configuration (application.yaml, --key=value or environment variables) and"
                        + " start again; README.md, \"Configuration\", lists every key.", cause);
    }
}
