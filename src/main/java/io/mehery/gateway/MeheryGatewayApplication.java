package io.mehery.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class MeheryGatewayApplication {
    public static void main(String[] args) {
        SpringApplication.run(MeheryGatewayApplication.class, args);
    }
}
