package io.mehery.gateway.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Component;

import io.mehery.gateway.api.ContractOperations;
import io.mehery.gateway.config.MeheryProperties;

/**
 * Reads a request's body, once where it goes and who sends it are known: whole within
 * {@code mehery.http.body-timeout} (else 408), no larger than {@code mehery.http.max-body} (else 413), and, for a
 * body nothing has authenticated yet (a provider's, verified by its signature once read), only while fewer than
 * {@code mehery.http.max-unauthenticated} others are being read (else 503 at once). A website visitor's upload may be
 * as large as {@code mehery.webchat.max-upload} and is read only while fewer than
 * {@code mehery.webchat.max-concurrent-uploads} others are (else 503 at once); its place is held until the request
 * is answered ({@link #uploadAnswered}).
 */
@Component
class BodyReading {

    /** A website visitor's file: as large as mehery.webchat.max-upload allows. */
    private static final Pattern WEBCHAT_UPLOAD = Pattern.compile("/webhooks/website/[^/]+/files");
    private static final int CHUNK = 8192;

    private final long maxBody;
    private final long maxUpload;
    private final long bodyTimeoutNanos;
    private final Semaphore unauthenticatedBodies;
    private final Semaphore uploads;

    BodyReading(MeheryProperties properties) {
        this.maxBody = properties.http().maxBody().toBytes();
        this.maxUpload = Math.max(maxBody, properties.webchat().maxUpload().toBytes());
        this.bodyTimeoutNanos = properties.http().bodyTimeout().toNanos();
        this.unauthenticatedBodies = new Semaphore(properties.http().maxUnauthenticated());
        this.uploads = new Semaphore(properties.webchat().maxConcurrentUploads());
    }

    static boolean isUpload(String path) {
        return WEBCHAT_UPLOAD.matcher(path).matches();
    }

    /** Refuses a body declared larger than the path takes, before a byte of it is read. */
    void requireDeclaredSize(HttpServletRequest request, String path) {
        long limit = limitOf(path);
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
    }

    /** Takes a place among the uploads being read; the caller gives it back with {@link #uploadAnswered}. */
    void enterUpload() {
        if (!uploads.tryAcquire()) {
            throw EdgeRefusal.busy("Too many files are being received; retry shortly");
        }
    }

    void uploadAnswered() {
        uploads.release();
    }

    /** The body, with a place among the unauthenticated reads while it is read, if nothing has authenticated it. */
    byte[] read(HttpServletRequest request, String path, ContractOperations.Found found) {
        boolean unauthenticated = found == ContractOperations.Found.OPEN && hasBody(request) && !isUpload(path);
        if (unauthenticated && !unauthenticatedBodies.tryAcquire()) {
            throw EdgeRefusal.busy("Too many unauthenticated requests are being received; retry shortly");
        }
        try {
            return readWithin(request, limitOf(path));
        } finally {
            if (unauthenticated) {
                unauthenticatedBodies.release();
            }
        }
    }

    static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    private long limitOf(String path) {
        return isUpload(path) ? maxUpload : maxBody;
    }

    /**
     * The body, whole within the body timeout; a socket that stalls is given up by the server's read timeout. A body
     * of declared length is read straight into an array of that length, so that a large upload is held once.
     */
    private byte[] readWithin(HttpServletRequest request, long bodyLimit) {
        long deadline = System.nanoTime() + bodyTimeoutNanos;
        long declared = request.getContentLengthLong();
        try {
            InputStream in = request.getInputStream();
            if (declared >= 0 && request.getHeader("Transfer-Encoding") == null) {
                byte[] body = new byte[(int) declared];
                int filled = 0;
                while (filled < body.length) {
                    int read = in.read(body, filled, Math.min(CHUNK, body.length - filled));
                    if (read == -1) {
                        throw bodyTooSlow();
                    }
                    filled += read;
                    requireInTime(deadline);
                }
                return body;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] chunk = new byte[CHUNK];
            for (int read = in.read(chunk); read != -1; read = in.read(chunk)) {
                body.write(chunk, 0, read);
                if (body.size() > bodyLimit) {
                    throw tooLarge(bodyLimit);
                }
                requireInTime(deadline);
            }
            return body.toByteArray();
        } catch (IOException stalledOrGone) {
            throw bodyTooSlow();
        }
    }

    private static void requireInTime(long deadline) {
        if (System.nanoTime() - deadline > 0) {
            throw bodyTooSlow();
        }
    }

    private static EdgeRefusal tooLarge(long bodyLimit) {
        return EdgeRefusal.of(413, "PAYLOAD_TOO_LARGE", "body",
                "The body is larger than the gateway accepts (" + bodyLimit + " bytes)", null);
    }

    private static EdgeRefusal bodyTooSlow() {
        return EdgeRefusal.of(408, "REQUEST_TIMEOUT", "body", "The body did not arrive in time", null);
    }
}
