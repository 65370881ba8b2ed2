# The gateway's container image: mvn -B -DskipTests package && docker build -t mehery-gateway .
# (docs/deployment.md). The routes and application.yaml travel beside the jar, on disk, so that a running container
# can be changed by configuration (mount your own over /app/routes and /app/config).
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /app mehery && mkdir -p /app/data /app/config && chown -R mehery /app
WORKDIR /app
# the jar as `mvn package` extracted it (target/app): the application's classes, and its libraries in lib/
COPY --chown=mehery target/app/lib /app/lib
COPY --chown=mehery target/app/mehery-gateway-*.jar /app/mehery-gateway.jar
COPY --chown=mehery application.yaml /app/application.yaml
COPY --chown=mehery routes /app/routes
USER mehery
# The start-up archive (README "Start-up"), made here by the image's own JVM: an archive serves only the JVM that
# made it. One start on the demo profile that exits once ready; its database and queues are thrown away.
RUN java -XX:ArchiveClassesAtExit=/app/application.jsa -jar /app/mehery-gateway.jar --spring.profiles.active=demo \
      --mehery.training-run=true --mehery.data-dir=/tmp/cds-training --server.port=0 --spring.main.banner-mode=off \
      --logging.level.root=WARN && rm -rf /tmp/cds-training
ENV MEHERY_DATA_DIR=/app/data JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
# readiness: down while the database or the broker is unreachable (docs/deployment.md)
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s \
  CMD wget -q -O /dev/null http://127.0.0.1:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-XX:SharedArchiveFile=/app/application.jsa", "-jar", "/app/mehery-gateway.jar"]
