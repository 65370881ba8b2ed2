package io.mehery.gateway.api;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The OpenAPI document the REST routes are bound to, served as JSON exactly as it is written. */
@Component("contractDocument")
public class ContractDocument {

    public static final String LOCATION = "openapi/mehery-api.yaml";

    private final byte[] json;

    public ContractDocument(ObjectMapper json) throws IOException {
        try (InputStream yaml = new ClassPathResource(LOCATION).getInputStream()) {
            this.json = json.writeValueAsBytes(new ObjectMapper(new YAMLFactory()).readTree(yaml));
        }
    }

    public byte[] json() {
        return json.clone();
    }
}
